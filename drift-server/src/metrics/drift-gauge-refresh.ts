import type { DriftEngine } from '../engine';
import { driftSnapshots } from './drift-snapshots';
import type { DriftGuardMetrics } from './definitions';
import { metricsWindow } from './metrics-window';
import { setDriftGauges } from './snapshot';

/**
 * Brings the drift gauges up to date before a scrape renders them. Scrapes arriving while a refresh
 * runs share it, so several Prometheus replicas (or a slow database) never stack up computations,
 * and an older refresh can never overwrite a newer one.
 */
export class DriftGaugeRefresh {
  private running: Promise<void> | undefined;

  constructor(
    private readonly engine: DriftEngine,
    private readonly metrics: DriftGuardMetrics,
    private readonly windowHours: number,
  ) {}

  refresh(): Promise<void> {
    this.running ??= driftSnapshots(this.engine, metricsWindow(Date.now(), this.windowHours))
      .then((snapshots) => setDriftGauges(this.metrics, snapshots))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }
}
