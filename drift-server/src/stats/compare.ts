import {
  BinCounts,
  categoryList,
  countCategorical,
  countSortedNumeric,
  cutPointsFromSorted,
  DEFAULT_BUCKETS,
  frozenBinLabels,
  frozenEdgesFromSorted,
  FrozenEdges,
  numericBinLabels,
  NumericBinning,
} from './binning';
import { chiSquareHomogeneity } from './chisquare';
import { describeSorted, DescriptiveStats } from './describe';
import { CountDrift, driftFromCounts } from './divergence';
import { ksTwoSampleSorted } from './ks';
import { sortSample } from './sample';
import { CategoricalSample, FeatureKind, NumericSample, StatsInputError } from './types';
import type { FeatureCounts } from './verdict';

interface CommonComparison extends CountDrift {
  /** Both sides' counts over the bins, missing apart: what a verdict is decided from. */
  readonly counts: { readonly reference: BinCounts; readonly production: BinCounts };
}

export interface NumericComparison extends CommonComparison {
  readonly kind: 'numeric';
  readonly cuts: number[];
  readonly binning: NumericBinning;
  /** The reference's range, with `frozen` edges (the bins beyond it are the tail bins); null for plain quantile cut points. */
  readonly range: FrozenEdges['range'] | null;
  /** Kolmogorov–Smirnov D and two-sided p over non-missing values; null when a side has none. */
  readonly ks_statistic: number | null;
  readonly ks_pvalue: number | null;
  readonly ks_method: 'exact' | 'asymptotic' | null;
  readonly reference_stats: DescriptiveStats;
  readonly production_stats: DescriptiveStats;
}

export interface CategoricalComparison extends CommonComparison {
  readonly kind: 'categorical';
  /** Categories in bin order; `null` is the missing bin, present when either side has missing values. */
  readonly categories: (string | null)[];
  readonly chi2_statistic: number;
  readonly chi2_pvalue: number;
  readonly chi2_dof: number;
}

export type FeatureComparison = NumericComparison | CategoricalComparison;

export interface CompareOptions {
  readonly buckets?: number;
  /**
   * `frozen` (default): the edges a reference version freezes — quantile cut points plus tail bins
   * beyond the reference's range, or one bin per value for a feature with few distinct values.
   * `quantiles`: the quantile cut points alone, as the shared oracle vectors define them.
   */
  readonly edges?: 'frozen' | 'quantiles';
}

function requireReference(reference: { readonly length: number }): void {
  if (reference.length === 0) throw new StatsInputError('reference sample is empty');
}

export function compareNumeric(
  reference: NumericSample,
  production: NumericSample,
  options: CompareOptions = {}
): NumericComparison {
  requireReference(reference);
  const referenceSample = sortSample(reference, 'reference');
  const productionSample = sortSample(production, 'production');
  const buckets = options.buckets ?? DEFAULT_BUCKETS;
  const edges =
    options.edges === 'quantiles'
      ? { cuts: cutPointsFromSorted(referenceSample.sorted, buckets), binning: 'quantiles' as const, range: null }
      : frozenEdgesFromSorted(referenceSample.sorted, buckets);
  const counts = {
    reference: countSortedNumeric(edges.cuts, referenceSample.sorted, referenceSample.missing),
    production: countSortedNumeric(edges.cuts, productionSample.sorted, productionSample.missing),
  };
  const labels =
    edges.range === null ? numericBinLabels(edges.cuts) : frozenBinLabels({ ...edges, range: edges.range });
  const drift = driftFromCounts(counts.reference, counts.production, labels, 'last');
  const ks =
    productionSample.sorted.length > 0 ? ksTwoSampleSorted(referenceSample.sorted, productionSample.sorted) : null;
  return {
    kind: 'numeric',
    cuts: edges.cuts,
    binning: edges.binning,
    range: edges.range,
    ...drift,
    counts,
    ks_statistic: ks?.statistic ?? null,
    ks_pvalue: ks?.pvalue ?? null,
    ks_method: ks?.method ?? null,
    reference_stats: describeSorted(referenceSample),
    production_stats: describeSorted(productionSample),
  };
}

export function compareCategorical(reference: CategoricalSample, production: CategoricalSample): CategoricalComparison {
  requireReference(reference);
  const categories = categoryList(reference, production);
  const counts = {
    reference: countCategorical(categories, reference),
    production: countCategorical(categories, production),
  };
  // Missing sorts before every category, as null does in the reference implementation.
  const drift = driftFromCounts(counts.reference, counts.production, categories, 'first');
  const chi2 = chiSquareHomogeneity(drift.reference_counts, drift.production_counts);
  return {
    kind: 'categorical',
    categories: drift.reference_counts.length > categories.length ? [null, ...categories] : categories,
    ...drift,
    counts,
    chi2_statistic: chi2.statistic,
    chi2_pvalue: chi2.pvalue,
    chi2_dof: chi2.dof,
  };
}

/** All drift figures of one feature from raw reference and production values. */
export function compareFeature(
  kind: FeatureKind,
  reference: NumericSample | CategoricalSample,
  production: NumericSample | CategoricalSample,
  options: CompareOptions = {}
): FeatureComparison {
  switch (kind) {
    case 'numeric':
      return compareNumeric(reference as NumericSample, production as NumericSample, options);
    case 'categorical':
      return compareCategorical(reference as CategoricalSample, production as CategoricalSample);
    default:
      throw new StatsInputError(`unknown feature kind ${JSON.stringify(kind)}: expected "numeric" or "categorical"`);
  }
}

/** The counts a verdict on a comparison is decided from. */
export function comparisonCounts(comparison: FeatureComparison): FeatureCounts {
  return {
    kind: comparison.kind,
    binning: comparison.kind === 'numeric' ? comparison.binning : null,
    ...comparison.counts,
  };
}
