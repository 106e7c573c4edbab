import type { Severity } from '../stats/severity';

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
