import { quantileSorted, sortSample } from './sample';
import { CategoricalSample, NumericSample, StatsInputError } from './types';

/** Counts per bin, with values that were missing (null/NaN) counted apart. */
export interface BinCounts {
  readonly counts: number[];
  readonly missing: number;
}

export const DEFAULT_BUCKETS = 10;

function checkBuckets(buckets: number): void {
  if (!Number.isInteger(buckets) || buckets < 2 || buckets > 1000) {
    throw new StatsInputError(`buckets must be a whole number from 2 to 1000, got ${buckets}`);
  }
}

/**
 * Cut points frozen from sorted reference values: quantiles at k/B for k = 1..B−1, duplicates
 * removed. Heavy ties therefore give fewer, wider bins rather than empty ones.
 */
export function cutPointsFromSorted(sortedReference: Float64Array, buckets = DEFAULT_BUCKETS): number[] {
  checkBuckets(buckets);
  if (sortedReference.length === 0) {
    throw new StatsInputError('reference has no non-missing values: cut points cannot be computed');
  }
  const cuts: number[] = [];
  for (let k = 1; k < buckets; k += 1) {
    const cut = quantileSorted(sortedReference, k / buckets);
    if (cuts.length === 0 || cut !== cuts[cuts.length - 1]) cuts.push(cut);
  }
  return cuts;
}

export function numericCutPoints(reference: NumericSample, buckets = DEFAULT_BUCKETS): number[] {
  if (reference.length === 0) throw new StatsInputError('reference sample is empty');
  return cutPointsFromSorted(sortSample(reference, 'reference').sorted, buckets);
}

/** Bin of a value: the number of cut points ≤ value (left-closed bins, outer bins open). */
export function numericBinIndex(cuts: readonly number[], value: number): number {
  let low = 0;
  let high = cuts.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (cuts[middle] <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Bin counts of already sorted values: one binary search per cut point instead of per value. */
export function countSortedNumeric(cuts: readonly number[], sorted: Float64Array, missing: number): BinCounts {
  const counts: number[] = [];
  let start = 0;
  for (const cut of cuts) {
    const end = firstAtLeast(sorted, cut, start);
    counts.push(end - start);
    start = end;
  }
  counts.push(sorted.length - start);
  return { counts, missing };
}

function firstAtLeast(sorted: Float64Array, value: number, from: number): number {
  let low = from;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

export function countNumeric(cuts: readonly number[], sample: NumericSample): BinCounts {
  const { sorted, missing } = sortSample(sample, 'sample');
  return countSortedNumeric(cuts, sorted, missing);
}

/** Every category seen in any of the samples, sorted; missing values are not a category. */
export function categoryList(...samples: CategoricalSample[]): string[] {
  const seen = new Set<string>();
  for (const sample of samples) {
    for (const value of sample) if (value !== null) seen.add(value);
  }
  return [...seen].sort();
}

export function countCategorical(categories: readonly string[], sample: CategoricalSample): BinCounts {
  const index = new Map(categories.map((category, position) => [category, position]));
  const counts = new Array<number>(categories.length).fill(0);
  let missing = 0;
  for (const value of sample) {
    if (value === null) {
      missing += 1;
      continue;
    }
    const position = index.get(value);
    if (position === undefined) throw new StatsInputError(`category ${JSON.stringify(value)} is not in the category list`);
    counts[position] += 1;
  }
  return { counts, missing };
}

/** Human-readable labels of numeric bins: "< c1", "[c1, c2)", …, "≥ cn". */
export function numericBinLabels(cuts: readonly number[]): string[] {
  if (cuts.length === 0) return ['all values'];
  const format = (value: number) => String(Number(value.toPrecision(6)));
  const labels = [`< ${format(cuts[0])}`];
  for (let k = 1; k < cuts.length; k += 1) labels.push(`[${format(cuts[k - 1])}, ${format(cuts[k])})`);
  labels.push(`≥ ${format(cuts[cuts.length - 1])}`);
  return labels;
}
