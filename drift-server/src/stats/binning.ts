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

/**
 * How a reference version bins a numeric feature: `quantiles` (the quantile cut points above) or
 * `values` (one bin per distinct reference value, for features with few of them).
 */
export type NumericBinning = 'quantiles' | 'values';

/** The bin edges a reference version freezes for a numeric feature. */
export interface FrozenEdges {
  readonly cuts: number[];
  readonly binning: NumericBinning;
  /** The reference's smallest and largest value: the first and last bin hold what lies beyond them. */
  readonly range: { readonly min: number; readonly max: number };
}

/** A feature with at most this many distinct reference values per bucket of B is binned per value (20 for B = 10). */
export const VALUES_PER_BUCKET = 2;

const bitsView = new DataView(new ArrayBuffer(8));
// Not the literal 1n: the plugins type-check this module (their live tests start drift-server from
// source) with a target below ES2020, which has no bigint literals.
const ONE_ULP = BigInt(1);

/** The smallest double above a finite `value`; Infinity above the largest one. */
export function nextDoubleUp(value: number): number {
  if (value === 0) return Number.MIN_VALUE;
  bitsView.setFloat64(0, value);
  const bits = bitsView.getBigInt64(0);
  bitsView.setBigInt64(0, value > 0 ? bits + ONE_ULP : bits - ONE_ULP);
  return bitsView.getFloat64(0);
}

function distinctValues(sorted: Float64Array, limit: number): number[] | null {
  const values: number[] = [];
  for (let i = 0; i < sorted.length; i += 1) {
    if (i > 0 && sorted[i] === sorted[i - 1]) continue;
    if (values.length === limit) return null;
    values.push(sorted[i]);
  }
  return values;
}

/**
 * The edges frozen from sorted reference values. Quantile cut points alone leave two blind spots:
 * a value beyond the reference's range lands in an outer bin with ordinary values, and a feature
 * with a few heavy values (a constant, Poisson(0.5)) gets so few cut points that moving its values
 * changes no bin. So the cut points also include the reference minimum and the double just above
 * its maximum — bin 0 then holds only values below the reference and the last bin only values
 * above it, both empty in the reference — and a feature with at most VALUES_PER_BUCKET·B distinct
 * values gets one bin per value instead of quantiles. The rule "bin = number of cut points ≤ v"
 * is unchanged, so stored counts and SQL counting need nothing new.
 */
export function frozenEdgesFromSorted(sortedReference: Float64Array, buckets = DEFAULT_BUCKETS): FrozenEdges {
  const quantileCuts = cutPointsFromSorted(sortedReference, buckets);
  const min = sortedReference[0];
  const max = sortedReference[sortedReference.length - 1];
  const values = distinctValues(sortedReference, VALUES_PER_BUCKET * buckets);
  const inner = values ?? [min, ...quantileCuts.filter((cut) => cut > min)];
  const aboveMax = nextDoubleUp(max);
  // Above the largest double no finite value can land, so there is no upper tail to keep apart.
  const cuts = aboveMax === Infinity ? inner : [...inner, aboveMax];
  return { cuts, binning: values ? 'values' : 'quantiles', range: { min, max } };
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
    if (position === undefined)
      throw new StatsInputError(`category ${JSON.stringify(value)} is not in the category list`);
    counts[position] += 1;
  }
  return { counts, missing };
}

const formatEdge = (value: number) => String(Number(value.toPrecision(6)));

/** Human-readable labels of numeric bins: "< c1", "[c1, c2)", …, "≥ cn". */
export function numericBinLabels(cuts: readonly number[]): string[] {
  if (cuts.length === 0) return ['all values'];
  const labels = [`< ${formatEdge(cuts[0])}`];
  for (let k = 1; k < cuts.length; k += 1) labels.push(`[${formatEdge(cuts[k - 1])}, ${formatEdge(cuts[k])})`);
  labels.push(`≥ ${formatEdge(cuts[cuts.length - 1])}`);
  return labels;
}

/**
 * Labels of frozen bins: "< min" and "> max" for the tail bins, the value itself for a per-value
 * bin, "[c1, c2)" otherwise (the bin that ends at the maximum closes on it: "[c9, max]").
 * Edges frozen before tails existed (no `binning`) are labelled as plain cut points.
 */
export function frozenBinLabels(edges: {
  readonly cuts: readonly number[];
  readonly binning?: NumericBinning;
  readonly range?: FrozenEdges['range'];
}): string[] {
  const { cuts, binning, range } = edges;
  if (binning === undefined || range === undefined) return numericBinLabels(cuts);
  const upperTail = cuts[cuts.length - 1] > range.max;
  const labels = [`< ${formatEdge(range.min)}`];
  const innerEnd = upperTail ? cuts.length - 1 : cuts.length;
  for (let k = 0; k < innerEnd; k += 1) {
    const from = cuts[k];
    if (binning === 'values') labels.push(formatEdge(from));
    else if (k + 1 === innerEnd) labels.push(`[${formatEdge(from)}, ${formatEdge(range.max)}]`);
    else labels.push(`[${formatEdge(from)}, ${formatEdge(cuts[k + 1])})`);
  }
  if (upperTail) labels.push(`> ${formatEdge(range.max)}`);
  return labels;
}
