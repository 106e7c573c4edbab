import { chiSquareSf } from './special';
import { StatsInputError } from './types';

export interface ChiSquareTestResult {
  readonly statistic: number;
  /** P(χ²(dof) ≥ statistic); 1 when fewer than two categories hold data. */
  readonly pvalue: number;
  readonly dof: number;
}

function requireCounts(counts: readonly number[], side: string): void {
  for (const count of counts) {
    if (!Number.isInteger(count) || count < 0) {
      throw new StatsInputError(`${side} counts must be non-negative integers, got ${count}`);
    }
  }
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

/**
 * Pearson's chi-square test of homogeneity on the 2×K table of reference and production counts,
 * as scipy.stats.chi2_contingency(table, correction=False) after dropping categories that are empty
 * on both sides; dof = K' − 1 for the K' categories left.
 */
export function chiSquareHomogeneity(
  referenceCounts: readonly number[],
  productionCounts: readonly number[]
): ChiSquareTestResult {
  if (referenceCounts.length !== productionCounts.length) {
    throw new StatsInputError(
      `count vectors differ in length (${referenceCounts.length} vs ${productionCounts.length})`
    );
  }
  requireCounts(referenceCounts, 'reference');
  requireCounts(productionCounts, 'production');
  const referenceTotal = sum(referenceCounts);
  const productionTotal = sum(productionCounts);
  if (referenceTotal === 0 || productionTotal === 0)
    throw new StatsInputError('each side needs at least one counted row');
  const total = referenceTotal + productionTotal;
  let statistic = 0;
  let occupied = 0;
  for (let category = 0; category < referenceCounts.length; category++) {
    const categoryTotal = referenceCounts[category] + productionCounts[category];
    if (categoryTotal === 0) continue;
    occupied += 1;
    const referenceExpected = (referenceTotal * categoryTotal) / total;
    const productionExpected = (productionTotal * categoryTotal) / total;
    statistic += (referenceCounts[category] - referenceExpected) ** 2 / referenceExpected;
    statistic += (productionCounts[category] - productionExpected) ** 2 / productionExpected;
  }
  if (occupied < 2) return { statistic: 0, pvalue: 1, dof: 0 };
  const dof = occupied - 1;
  return { statistic, pvalue: chiSquareSf(statistic, dof), dof };
}
