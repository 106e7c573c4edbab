import { sortFloat64 } from './radix-sort';
import { NumericSample, StatsInputError } from './types';

/** The non-missing values of a numeric sample, sorted ascending, and how many were missing. */
export interface SortedSample {
  readonly sorted: Float64Array;
  readonly missing: number;
}

/**
 * Splits a sample into its sorted non-missing values and a missing count. `null` and `NaN` are
 * missing; ±Infinity is an error because no bin, mean or quantile can hold it honestly.
 */
export function sortSample(sample: NumericSample, side: string): SortedSample {
  const values = new Float64Array(sample.length);
  let present = 0;
  for (let i = 0; i < sample.length; i += 1) {
    const value = sample[i];
    if (value === null) continue;
    // value − value is 0 exactly for finite numbers: one cheap test on the hot path.
    if (value - value !== 0) {
      if (Number.isNaN(value)) continue;
      throw new StatsInputError(
        `${side} sample holds a non-finite value (${value}); only finite numbers or missing values are allowed`
      );
    }
    values[present++] = value;
  }
  const sorted = sortFloat64(values.subarray(0, present));
  return { sorted, missing: sample.length - present };
}

/**
 * Quantile of sorted values with linear interpolation between closest ranks, the same
 * arithmetic as numpy's default method (and DuckDB's quantile_cont), so cut points match exactly.
 */
export function quantileSorted(sorted: Float64Array, probability: number): number {
  if (sorted.length === 0) throw new StatsInputError('cannot take a quantile of an empty sample');
  const position = (sorted.length - 1) * probability;
  const below = Math.floor(position);
  const fraction = position - below;
  const low = sorted[below];
  const high = sorted[Math.min(below + 1, sorted.length - 1)];
  const difference = high - low;
  // Two finite values more than the largest double apart (say −1e308 and 1e308): their difference
  // overflows, their weighted sum cannot.
  if (difference === Infinity) return low * (1 - fraction) + high * fraction;
  // numpy interpolates from the nearer end point, which keeps the result monotone and exact at ties.
  return fraction >= 0.5 ? high - difference * (1 - fraction) : low + difference * fraction;
}
