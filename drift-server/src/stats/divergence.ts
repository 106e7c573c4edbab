import { BinCounts } from './binning';
import { chiSquarePpf } from './special';
import { StatsInputError } from './types';

/** Share substituted for an empty bin in PSI and KL, so that ln(a/e) stays finite. */
export const EMPTY_SHARE = 1e-4;

/** Where the missing bin goes when one is added: numeric features list it last, categorical first. */
export type MissingBinPlacement = 'first' | 'last';

export interface AlignedCounts {
  readonly reference: number[];
  readonly production: number[];
  /** Index of the missing bin in both arrays, or -1 when neither side had missing values. */
  readonly missingIndex: number;
}

/** Adds a missing bin to both sides when either side has missing values. */
export function alignCounts(
  reference: BinCounts,
  production: BinCounts,
  placement: MissingBinPlacement
): AlignedCounts {
  if (reference.counts.length !== production.counts.length) {
    throw new StatsInputError(
      `bin counts differ in length: reference ${reference.counts.length}, production ${production.counts.length}`
    );
  }
  if (reference.missing === 0 && production.missing === 0) {
    return { reference: [...reference.counts], production: [...production.counts], missingIndex: -1 };
  }
  if (placement === 'first') {
    return {
      reference: [reference.missing, ...reference.counts],
      production: [production.missing, ...production.counts],
      missingIndex: 0,
    };
  }
  return {
    reference: [...reference.counts, reference.missing],
    production: [...production.counts, production.missing],
    missingIndex: reference.counts.length,
  };
}

function sum(terms: readonly number[]): number {
  let result = 0;
  for (let index = 0; index < terms.length; index += 1) result += terms[index];
  return result;
}

function total(counts: readonly number[]): number {
  let rows = 0;
  for (let bin = 0; bin < counts.length; bin += 1) {
    const count = counts[bin];
    // One comparison refuses NaN, negatives and Infinity alike.
    if (!(count >= 0 && count < Infinity)) throw new StatsInputError(`bin counts must be finite and ≥ 0, got ${count}`);
    rows += count;
  }
  return rows;
}

/** Shares of each bin over all rows of a side (missing included). */
export function shares(counts: readonly number[]): number[] {
  const rows = total(counts);
  if (rows === 0) throw new StatsInputError('a side with no rows has no distribution');
  const result = new Array<number>(counts.length);
  for (let bin = 0; bin < counts.length; bin += 1) result[bin] = counts[bin] / rows;
  return result;
}

function floored(share: number): number {
  return share === 0 ? EMPTY_SHARE : share;
}

/** Each bin's term of PSI: (a − e)·ln(a/e), a = production share, e = reference share. */
export function psiContributions(referenceShares: readonly number[], productionShares: readonly number[]): number[] {
  const terms = new Array<number>(productionShares.length);
  for (let bin = 0; bin < productionShares.length; bin += 1) {
    const actual = floored(productionShares[bin]);
    const expected = floored(referenceShares[bin]);
    terms[bin] = (actual - expected) * Math.log(actual / expected);
  }
  return terms;
}

/** Kullback–Leibler divergence of production from reference: Σ a·ln(a/e). */
export function klDivergence(referenceShares: readonly number[], productionShares: readonly number[]): number {
  let sum = 0;
  for (let bin = 0; bin < productionShares.length; bin += 1) {
    const actual = floored(productionShares[bin]);
    sum += actual * Math.log(actual / floored(referenceShares[bin]));
  }
  return sum;
}

/** Jensen–Shannon distance in base 2 on raw shares (0·log 0 = 0): √JSD, within [0, 1]. */
export function jensenShannonDistance(referenceShares: readonly number[], productionShares: readonly number[]): number {
  let divergence = 0;
  for (let bin = 0; bin < referenceShares.length; bin += 1) {
    const p = referenceShares[bin];
    const q = productionShares[bin];
    const middle = (p + q) / 2;
    if (p > 0) divergence += p * Math.log(p / middle);
    if (q > 0) divergence += q * Math.log(q / middle);
  }
  const bits = divergence / (2 * Math.LN2);
  // Rounding can leave a tiny negative divergence for identical distributions.
  return Math.sqrt(Math.min(1, Math.max(0, bits)));
}

const chiSquare95ByDof = new Map<number, number>();

/** χ²₀.₉₅ quantile, remembered per degrees of freedom: a trend asks for the same few thousands of times. */
function chiSquare95(dof: number): number {
  let quantile = chiSquare95ByDof.get(dof);
  if (quantile === undefined) {
    quantile = chiSquarePpf(0.95, dof);
    chiSquare95ByDof.set(dof, quantile);
  }
  return quantile;
}

/**
 * Sample-size-aware PSI threshold: χ²₀.₉₅(K−1)·(1/N + 1/M), K = bins with rows on either side.
 * Under no drift N·M/(N+M)·PSI is roughly χ²(K−1), so PSI above this is unlikely to be noise.
 */
export function psiCritical(referenceCounts: readonly number[], productionCounts: readonly number[]): number {
  const referenceRows = total(referenceCounts);
  const productionRows = total(productionCounts);
  if (referenceRows === 0 || productionRows === 0)
    throw new StatsInputError('a side with no rows has no PSI threshold');
  let occupiedBins = 0;
  for (let bin = 0; bin < referenceCounts.length; bin += 1)
    if (referenceCounts[bin] > 0 || productionCounts[bin] > 0) occupiedBins += 1;
  if (occupiedBins < 2) return 0;
  return chiSquare95(occupiedBins - 1) * (1 / referenceRows + 1 / productionRows);
}

export interface BinShare {
  readonly label: string;
  readonly reference_count: number;
  readonly production_count: number;
  readonly reference_share: number;
  readonly production_share: number;
  readonly psi_contribution: number;
}

export interface CountDrift {
  readonly reference_counts: number[];
  readonly production_counts: number[];
  readonly psi: number;
  readonly kl: number;
  readonly js: number;
  readonly psi_critical: number;
  readonly bins: BinShare[];
}

export const MISSING_LABEL = 'missing';

/**
 * Drift of one feature from bin counts alone; aggregates summed over any window feed this, so no
 * raw rows are needed. `labels` names the non-missing bins in order. Without `withBins` the
 * per-bin breakdown stays empty: trends score thousands of intervals and show figures only.
 */
export function driftFromCounts(
  reference: BinCounts,
  production: BinCounts,
  labels: readonly string[],
  placement: MissingBinPlacement = 'last',
  withBins = true
): CountDrift {
  if (labels.length !== reference.counts.length) {
    throw new StatsInputError(`${labels.length} bin labels for ${reference.counts.length} bins`);
  }
  const aligned = alignCounts(reference, production, placement);
  const referenceShares = shares(aligned.reference);
  const productionShares = shares(aligned.production);
  const contributions = psiContributions(referenceShares, productionShares);
  const allLabels = withBins ? [...labels] : [];
  if (withBins && aligned.missingIndex !== -1) allLabels.splice(aligned.missingIndex, 0, MISSING_LABEL);
  return {
    reference_counts: aligned.reference,
    production_counts: aligned.production,
    // PSI = Σ (a − e)·ln(a/e), the sum of the per-bin contributions.
    psi: sum(contributions),
    kl: klDivergence(referenceShares, productionShares),
    js: jensenShannonDistance(referenceShares, productionShares),
    psi_critical: psiCritical(aligned.reference, aligned.production),
    bins: allLabels.map((label, bin) => ({
      label,
      reference_count: aligned.reference[bin],
      production_count: aligned.production[bin],
      reference_share: referenceShares[bin],
      production_share: productionShares[bin],
      psi_contribution: contributions[bin],
    })),
  };
}
