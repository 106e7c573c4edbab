import { DAY_MS } from '../time';

/** Times [fromMs, toMs). */
export interface Span {
  readonly fromMs: number;
  readonly toMs: number;
}

/** A span counted in buckets of `bucketMs` from fromMs. */
export interface BucketedRange extends Span {
  readonly bucketMs: number;
}

/** Where a bucketed read takes its counts from: whole days from the daily rollups, the rest from the hourly aggregates. */
export interface ResolutionSplit {
  readonly hours: readonly Span[];
  readonly days: readonly Span[];
}

/** Above this many spans the read's filter would grow more than the rollup saves, so it stays hourly. */
const MAX_SPANS = 8;

function append(spans: Span[], fromMs: number, toMs: number): void {
  if (fromMs >= toMs) return;
  const last = spans[spans.length - 1];
  if (last?.toMs === fromMs) spans[spans.length - 1] = { fromMs: last.fromMs, toMs };
  else spans.push({ fromMs, toMs });
}

/**
 * Splits a range so every UTC day lying wholly inside one bucket is read from the daily rollup
 * and every other hour from the hourly aggregates: a 90-day summary reads 90 daily rows per bin
 * and the hours at its edges instead of 2 160 hourly rows. Buckets shorter than a day, and
 * buckets that cut days into many pieces, read hours only.
 */
export function splitByResolution({ fromMs, toMs, bucketMs }: BucketedRange): ResolutionSplit {
  const hoursOnly = { hours: [{ fromMs, toMs }], days: [] };
  if (bucketMs < DAY_MS) return hoursOnly;
  const hours: Span[] = [];
  const days: Span[] = [];
  for (let start = fromMs; start < toMs; start += bucketMs) {
    const end = Math.min(start + bucketMs, toMs);
    const firstDay = Math.ceil(start / DAY_MS) * DAY_MS;
    const lastDay = Math.floor(end / DAY_MS) * DAY_MS;
    if (firstDay >= lastDay) {
      append(hours, start, end);
      continue;
    }
    append(hours, start, firstDay);
    append(days, firstDay, lastDay);
    append(hours, lastDay, end);
    if (hours.length + days.length > MAX_SPANS) return hoursOnly;
  }
  return { hours, days };
}
