import { Registry } from 'prom-client';
import { defineMetrics, DriftGuardMetrics } from './definitions';

export { DRIFT_HOURS_LOOKBACK } from './definitions';
export type { DriftGuardMetrics } from './definitions';
export { DriftGaugeRefresh } from './drift-gauge-refresh';
export { metricsWindow } from './metrics-window';
export { setDriftGauges } from './snapshot';
export type { FeatureDriftSnapshot, ModelDriftSnapshot, PredictionDriftSnapshot } from './snapshot';

export interface MetricsRegistry {
  readonly registry: Registry;
  readonly metrics: DriftGuardMetrics;
  /** The exposition in the Prometheus text format, and the Content-Type to serve it with. */
  render(): Promise<{ readonly contentType: string; readonly body: string }>;
}

/**
 * A registry of its own per server, so tests and several servers in one process never share series.
 * prom-client's Node.js default metrics are left out: three of them (nodejs_active_*_total gauges)
 * fail `promtool check metrics`.
 */
export function createMetricsRegistry(): MetricsRegistry {
  const registry = new Registry();
  const metrics = defineMetrics(registry);
  return {
    registry,
    metrics,
    render: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
  };
}
