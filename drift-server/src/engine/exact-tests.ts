import {
  chiSquareHomogeneity,
  describeSorted,
  DescriptiveStats,
  ksTwoSampleSorted,
  NumericSample,
  sortSample,
  StatsInputError,
} from '../stats';
import type { FeatureDefinition } from '../store';
import type { FeatureDrift } from './feature-drift';

export interface NumericTests {
  readonly tests: {
    readonly ks_statistic: number | null;
    readonly ks_pvalue: number | null;
    readonly ks_method: 'exact' | 'asymptotic' | null;
  };
  readonly stats: { readonly reference: DescriptiveStats | null; readonly production: DescriptiveStats | null };
}

export const NO_NUMERIC_TESTS: NumericTests = {
  tests: { ks_statistic: null, ks_pvalue: null, ks_method: null },
  stats: { reference: null, production: null },
};

/** KS test and descriptive statistics of raw numeric values (missing as null), each side sorted once. */
export function numericTests(
  reference: readonly (number | string | null)[],
  production: readonly (number | string | null)[]
): NumericTests {
  const referenceSorted = sortSample(reference as NumericSample, 'reference');
  const productionSorted = sortSample(production as NumericSample, 'production');
  const stats = { reference: describeSorted(referenceSorted), production: describeSorted(productionSorted) };
  if (referenceSorted.sorted.length === 0 || productionSorted.sorted.length === 0)
    return { tests: NO_NUMERIC_TESTS.tests, stats };
  const ks = ksTwoSampleSorted(referenceSorted.sorted, productionSorted.sorted);
  return { tests: { ks_statistic: ks.statistic, ks_pvalue: ks.pvalue, ks_method: ks.method }, stats };
}

/** Chi-square test of a categorical feature's 2×K table of counts, taken from the aggregated bins. */
export function chiSquareOf(
  feature: FeatureDefinition,
  drift: FeatureDrift
): { chi2_statistic: number | null; chi2_pvalue: number | null; chi2_dof: number | null } {
  const none = { chi2_statistic: null, chi2_pvalue: null, chi2_dof: null };
  if (feature.kind !== 'categorical' || drift.bins.length === 0) return none;
  try {
    const test = chiSquareHomogeneity(
      drift.bins.map((bin) => bin.reference_count),
      drift.bins.map((bin) => bin.production_count)
    );
    return { chi2_statistic: test.statistic, chi2_pvalue: test.pvalue, chi2_dof: test.dof };
  } catch (error) {
    // One category on both sides leaves no degrees of freedom: there is no test to report.
    if (error instanceof StatsInputError) return none;
    throw error;
  }
}
