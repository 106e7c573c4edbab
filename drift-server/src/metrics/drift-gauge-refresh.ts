import type { DriftEngine } from '../engine';
import type { SeverityThresholds } from '../stats';
import { HourlyVerdictCache } from './drift-hours';
import { driftSnapshots } from './drift-snapshots';
import type { DriftGuardMetrics } from './definitions';
import { KsFigures } from './ks-figures';
import { setDriftGauges } from './snapshot';

export interface DriftGaugeSettings {
  readonly windowHours: number;
  /** The thresholds the engine's verdicts use, exported beside them. */
  readonly thresholds: SeverityThresholds;
  /** The time the gauges describe, in epoch milliseconds. */
  readonly clock: () => number;
  readonly onKsError: (error: Error) => void;
}

/**
 * Brings the drift gauges up to date before a scrape renders them. Scrapes arriving while a refresh
 * runs share it, so several Prometheus replicas (or a slow database) never stack up computations,
 * and an older refresh can never overwrite a newer one. KS figures come from the last background
 * computation, which each refresh starts again over the windows it used (so they lag the other
 * gauges by one scrape).
 */
export class DriftGaugeRefresh {
  private running: Promise<void> | undefined;
  private readonly ks: KsFigures;
  private readonly hourly = new HourlyVerdictCache();

  constructor(
    private readonly engine: DriftEngine,
    private readonly metrics: DriftGuardMetrics,
    private readonly settings: DriftGaugeSettings
  ) {
    this.ks = new KsFigures(engine);
  }

  refresh(): Promise<void> {
    const { windowHours, thresholds, clock, onKsError } = this.settings;
    this.running ??= driftSnapshots(this.engine, { nowMs: clock(), windowHours }, this.ks, this.hourly)
      .then((snapshots) => {
        setDriftGauges(this.metrics, snapshots, thresholds);
        this.ks.update(new Map(snapshots.map((snapshot) => [snapshot.model, snapshot.window]))).catch(onKsError);
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }
}
