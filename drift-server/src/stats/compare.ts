import { categoryList, countCategorical, countSortedNumeric, cutPointsFromSorted, DEFAULT_BUCKETS, numericBinLabels } from './binning';
import { chiSquareHomogeneity } from './chisquare';
import { describeSorted, DescriptiveStats } from './describe';
import { CountDrift, driftFromCounts } from './divergence';
import { ksTwoSampleSorted } from './ks';
import { sortSample } from './sample';
import { classifySeverity, DEFAULT_THRESHOLDS, Severity, SeverityThresholds } from './severity';
import { CategoricalSample, FeatureKind, NumericSample, StatsInputError } from './types';

interface CommonComparison extends CountDrift {
  readonly severity: Severity;
}

export interface NumericComparison extends CommonComparison {
  readonly kind: 'numeric';
  readonly cuts: number[];
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
  readonly thresholds?: SeverityThresholds;
}

function requireReference(reference: { readonly length: number }): void {
  if (reference.length === 0) throw new StatsInputError('reference sample is empty');
}

export function compareNumeric(reference: NumericSample, production: NumericSample, options: CompareOptions = {}): NumericComparison {
  requireReference(reference);
  const referenceSample = sortSample(reference, 'reference');
  const productionSample = sortSample(production, 'production');
  const cuts = cutPointsFromSorted(referenceSample.sorted, options.buckets ?? DEFAULT_BUCKETS);
  const drift = driftFromCounts(
    countSortedNumeric(cuts, referenceSample.sorted, referenceSample.missing),
    countSortedNumeric(cuts, productionSample.sorted, productionSample.missing),
    numericBinLabels(cuts),
    'last',
  );
  const ks = productionSample.sorted.length > 0 ? ksTwoSampleSorted(referenceSample.sorted, productionSample.sorted) : null;
  return {
    kind: 'numeric',
    cuts,
    ...drift,
    ks_statistic: ks?.statistic ?? null,
    ks_pvalue: ks?.pvalue ?? null,
    ks_method: ks?.method ?? null,
    reference_stats: describeSorted(referenceSample),
    production_stats: describeSorted(productionSample),
    severity: classifySeverity(
      {
        psi: drift.psi,
        psi_critical: drift.psi_critical,
        reference_rows: referenceSample.sorted.length,
        production_rows: productionSample.sorted.length,
      },
      options.thresholds ?? DEFAULT_THRESHOLDS,
    ),
  };
}

export function compareCategorical(
  reference: CategoricalSample,
  production: CategoricalSample,
  options: CompareOptions = {},
): CategoricalComparison {
  requireReference(reference);
  const categories = categoryList(reference, production);
  const referenceCounts = countCategorical(categories, reference);
  const productionCounts = countCategorical(categories, production);
  // Missing sorts before every category, as null does in the reference implementation.
  const drift = driftFromCounts(referenceCounts, productionCounts, categories, 'first');
  const chi2 = chiSquareHomogeneity(drift.reference_counts, drift.production_counts);
  const observed = (counts: { counts: number[] }) => counts.counts.reduce((sum, count) => sum + count, 0);
  return {
    kind: 'categorical',
    categories: drift.reference_counts.length > categories.length ? [null, ...categories] : categories,
    ...drift,
    chi2_statistic: chi2.statistic,
    chi2_pvalue: chi2.pvalue,
    chi2_dof: chi2.dof,
    severity: classifySeverity(
      {
        psi: drift.psi,
        psi_critical: drift.psi_critical,
        reference_rows: observed(referenceCounts),
        production_rows: observed(productionCounts),
      },
      options.thresholds ?? DEFAULT_THRESHOLDS,
    ),
  };
}

/** All drift metrics of one feature from raw reference and production values. */
export function compareFeature(
  kind: FeatureKind,
  reference: NumericSample | CategoricalSample,
  production: NumericSample | CategoricalSample,
  options: CompareOptions = {},
): FeatureComparison {
  switch (kind) {
    case 'numeric':
      return compareNumeric(reference as NumericSample, production as NumericSample, options);
    case 'categorical':
      return compareCategorical(reference as CategoricalSample, production as CategoricalSample, options);
    default:
      throw new StatsInputError(`unknown feature kind ${JSON.stringify(kind)}: expected "numeric" or "categorical"`);
  }
}
