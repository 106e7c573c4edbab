import { DataSourceRef } from '@grafana/schema';
import { getDataSourceSrv } from '@grafana/runtime';
import { RetrainJobRecord } from './retrainJobs';

export interface TimeWindow {
  fromMs: number;
  toMs: number;
}

/**
 * What the panel needs of the DriftGuard data source instance. Typed here rather than imported:
 * the panel and the data source are separate plugins, loaded separately by Grafana.
 */
export interface RetrainOperations {
  scheduleRetrain(modelId: string, options?: { reason?: string }): Promise<RetrainJobRecord>;
  cancelRetrain(jobId: string): Promise<RetrainJobRecord>;
  /** Newest first. */
  listRetrainJobs(modelId: string): Promise<RetrainJobRecord[]>;
  /** A same-origin URL through Grafana's data proxy. */
  reportUrl(modelId: string, format: 'csv' | 'pdf', window: TimeWindow): string;
}

const OPERATIONS: ReadonlyArray<keyof RetrainOperations> = [
  'scheduleRetrain',
  'cancelRetrain',
  'listRetrainJobs',
  'reportUrl',
];

export function hasRetrainOperations(instance: unknown): instance is RetrainOperations {
  return (
    typeof instance === 'object' &&
    instance !== null &&
    OPERATIONS.every((name) => typeof (instance as Record<string, unknown>)[name] === 'function')
  );
}

export type RetrainOperationsLookup =
  { state: 'ready'; operations: RetrainOperations } | { state: 'unavailable'; reason: string };

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
