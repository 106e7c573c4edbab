import type { TimeWindow } from '../engine/window';
import { HOUR_MS } from '../store/hourly-counts';

/**
 * The window the drift gauges describe at `nowMs`: the current hour and the `hours − 1` before it,
 * [ceil(now) − hours, ceil(now)). Aggregates are hourly, so whole hours are what can be summed; the
 * current hour is included so a shift shows up in its first minutes rather than an hour later.
 * Passed as `from`/`to` to GET /api/v1/models/{id}/summary, these bounds give the same figures.
 */
export function metricsWindow(nowMs: number, hours: number): TimeWindow {
  const toMs = Math.ceil(nowMs / HOUR_MS) * HOUR_MS;
  return { fromMs: toMs - hours * HOUR_MS, toMs };
}
