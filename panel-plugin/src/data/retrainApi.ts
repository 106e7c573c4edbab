import { DataSourceRef } from '@grafana/schema';
import { getDataSourceSrv } from '@grafana/runtime';
import { RETRAINING_METHOD_NAMES, RetrainingMethods } from 'driftguard-api-contract';

/**
 * Whether a data source instance offers the DriftGuard data source's methods. The two plugins are
 * loaded separately by Grafana, so the instance is checked, not trusted.
 */
export function hasRetrainOperations(instance: unknown): instance is RetrainingMethods {
  return (
    typeof instance === 'object' &&
    instance !== null &&
    RETRAINING_METHOD_NAMES.every((name) => typeof (instance as Record<string, unknown>)[name] === 'function')
  );
}

export type RetrainOperationsLookup =
  { state: 'ready'; operations: RetrainingMethods } | { state: 'unavailable'; reason: string };

/** The data source instance behind the panel's queries, when it is a DriftGuard one that can schedule and export. */
export async function lookUpRetrainOperations(ref: DataSourceRef | undefined): Promise<RetrainOperationsLookup> {
  if (!ref) {
    return { state: 'unavailable', reason: 'The panel has no DriftGuard query, so it cannot reach drift-server.' };
  }
  try {
    const instance = await getDataSourceSrv().get(ref);
    return hasRetrainOperations(instance)
      ? { state: 'ready', operations: instance }
      : {
          state: 'unavailable',
          reason: `Data source "${instance.name}" cannot schedule retraining or export reports: use a DriftGuard data source of this release or later.`,
        };
  } catch (error) {
    return {
      state: 'unavailable',
      reason: `Data source not found: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}
