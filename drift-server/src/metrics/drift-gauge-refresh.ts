import type { DriftEngine } from '../engine';
import { driftSnapshots } from './drift-snapshots';
import type { DriftGuardMetrics } from './definitions';
import { KsFigures } from './ks-figures';
import { metricsWindow } from './metrics-window';
import { setDriftGauges } from './snapshot';

/**
 * Brings the drift gauges up to date before a scrape renders them. Scrapes arriving while a refresh
 * runs share it, so several Prometheus replicas (or a slow database) never stack up computations,
 * and an older refresh can never overwrite a newer one. KS figures come from the last background
 * computation, which each refresh starts again (so they lag the other gauges by one scrape).
 */
export class DriftGaugeRefresh {
  private running: Promise<void> | undefined;
  private readonly ks: KsFigures;

  constructor(
    private readonly engine: DriftEngine,
    private readonly metrics: DriftGuardMetrics,
    private readonly windowHours: number,
    private readonly onKsError: (error: Error) => void,
  ) {
    this.ks = new KsFigures(engine);
  }

  refresh(): Promise<void> {
    const window = metricsWindow(Date.now(), this.windowHours);
    this.running ??= driftSnapshots(this.engine, window, this.ks)
      .then((snapshots) => setDriftGauges(this.metrics, snapshots))
      .finally(() => {
        this.running = undefined;
      });
    this.ks.update(window).catch(this.onKsError);
    return this.running;
  }
}
