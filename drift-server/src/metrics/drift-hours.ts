import type { Severity } from '../stats';

/** Severities each drift-hour count counts. */
export const CRITICAL: ReadonlySet<Severity> = new Set(['critical']);
export const DRIFTED: ReadonlySet<Severity> = new Set(['warning', 'critical']);

/**
 * Consecutive hours, counted back from the last, whose verdict is in `counted`. An hour without a
 * verdict (too few rows, no data at all) is skipped rather than ending the run: an alert on "6 hours
 * above the threshold" then needs six hours of data above it, however the data is spread in time,
 * and a pause in the data neither completes nor resets it.
 */
export function hoursInARow(severities: readonly Severity[], counted: ReadonlySet<Severity>): number {
  let hours = 0;
  for (let index = severities.length - 1; index >= 0; index -= 1) {
    const severity = severities[index];
    if (severity === 'insufficient_data') continue;
    if (!counted.has(severity)) break;
    hours += 1;
  }
  return hours;
}

/** Each feature's hourly verdicts, oldest first, over the hours before a window's end. */
export type HourlySeverities = ReadonlyMap<string, readonly Severity[]>;

/**
 * The hourly verdicts behind the streaks, kept per model until its window moves (or the model is
 * replaced or gets a new reference, or the last hour is still filling): the hours counted are
 * complete, so rows arriving for the hour in progress cannot change them, and a 48-hour trend per
 * model on every scrape would cost a fleet of 50 models × 50 features seconds. Rows arriving later
 * still for an hour already counted enter the streak when the window next moves, within the hour.
 */
export class HourlyVerdictCache {
  private readonly entries = new Map<
    string,
    { readonly key: string; readonly severities: Promise<HourlySeverities | undefined> }
  >();

  of(
    modelId: string,
    key: string,
    compute: () => Promise<HourlySeverities | undefined>
  ): Promise<HourlySeverities | undefined> {
    const entry = this.entries.get(modelId);
    if (entry?.key === key) return entry.severities;
    const severities = compute();
    this.entries.set(modelId, { key, severities });
    severities.catch(() => {
      if (this.entries.get(modelId)?.severities === severities) this.entries.delete(modelId);
    });
    return severities;
  }

  /** Forgets models that no longer exist. */
  keepOnly(modelIds: ReadonlySet<string>): void {
    for (const modelId of this.entries.keys()) if (!modelIds.has(modelId)) this.entries.delete(modelId);
  }
}
