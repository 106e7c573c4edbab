import type { DriftEngine, TimeWindow } from '../engine';
import { LATEST_REFERENCE, unlessUncomparable } from './comparable';

export interface KsFigure {
  readonly statistic: number;
  readonly pvalue: number;
}

/**
 * The two-sample KS of every numeric feature over each model's metrics window, computed beside the
 * scrapes rather than inside them: exact KS needs both sides' raw values sorted, a raw-row scan per
 * model, which for 50 models would hold a scrape for seconds. Scrapes serve the figures of the last
 * finished computation and start the next; the engine's result cache makes models whose data and
 * window did not change cost nothing, and models are computed one at a time so the scans never
 * crowd out API queries.
 */
export class KsFigures {
  private latest = new Map<string, ReadonlyMap<string, KsFigure>>();
  private running: Promise<void> | undefined;

  constructor(private readonly engine: DriftEngine) {}

  /** A model's KS per numeric feature from the last finished computation; undefined before one. */
  of(modelId: string): ReadonlyMap<string, KsFigure> | undefined {
    return this.latest.get(modelId);
  }

  /** Starts a computation over each model's window unless one runs; resolves when the running one is done. */
  update(windows: ReadonlyMap<string, TimeWindow>): Promise<void> {
    this.running ??= this.compute(windows).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async compute(windows: ReadonlyMap<string, TimeWindow>): Promise<void> {
    const next = new Map<string, ReadonlyMap<string, KsFigure>>();
    for (const [modelId, window] of windows) {
      const details = await unlessUncomparable(this.engine.featureDetails(modelId, window, LATEST_REFERENCE));
      const figures = new Map<string, KsFigure>();
      for (const { drift } of details ?? []) {
        if (drift.ks_statistic !== null && drift.ks_pvalue !== null)
          figures.set(drift.feature, { statistic: drift.ks_statistic, pvalue: drift.ks_pvalue });
      }
      next.set(modelId, figures);
    }
    this.latest = next;
  }
}
