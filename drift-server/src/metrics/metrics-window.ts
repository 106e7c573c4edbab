import type { TimeWindow } from '../engine';
import { HOUR_MS } from '../time';

/**
 * The window the drift gauges describe at `nowMs`: the `hours` complete hours before the newest
 * complete hour's end, [floor(now) − hours, floor(now)). When a model's newest prediction is older,
 * the window ends with that prediction's hour instead, so once data stops the figures keep
 * describing the last data (and the freshness gauges say how old it is) rather than thin out to
 * nothing. The window moves once an hour, by a whole hour; its figures equal
 * GET /api/v1/models/{id}/summary?from=…&to= for these bounds.
 */
export function metricsWindow(nowMs: number, hours: number, newestPredictionMs: number | null): TimeWindow {
  const completeEnd = Math.floor(nowMs / HOUR_MS) * HOUR_MS;
  const dataEnd = newestPredictionMs === null ? completeEnd : (Math.floor(newestPredictionMs / HOUR_MS) + 1) * HOUR_MS;
  const toMs = Math.min(completeEnd, dataEnd);
  return { fromMs: toMs - hours * HOUR_MS, toMs };
}
