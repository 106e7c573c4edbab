import { logGamma } from './special';
import { StatsInputError } from './types';

/**
 * Rows a pooled bin must expect on the smaller side before it stands alone in the drift test:
 * Cochran's rule for the chi-square test, under which its p-values hold their level.
 */
export const MIN_EXPECTED_ROWS = 5;

/**
 * Fewest rows the last, short group may expect and still stand alone: Cochran's rule allows a
 * cell below 5 but none below 1. Kept apart, the rare values at the end of the order (a count's
 * high values, a categorical's rare levels) are still seen when mass moves onto them; merged into
 * their neighbour they would hide a move from it to them.
 */
export const MIN_REMAINDER_ROWS = 1;

/**
 * Bins merged into groups, walking them in `order`, so that every group expects at least
 * `minExpected` of `rows` rows under the reference `shares`; a short remainder stands alone when
 * it expects MIN_REMAINDER_ROWS, else joins the last group. Bins too sparse to judge alone are
 * thus judged together — neither inflating the divergence with chance zeros nor vanishing into
 * one "other" — and with more rows every bin stands alone again. Returns the groups as lists of
 * bin indices (one group: nothing to test).
 */
export function poolBins(
  shares: readonly number[],
  order: readonly number[],
  rows: number,
  minExpected = MIN_EXPECTED_ROWS
): number[][] {
  const groups: number[][] = [];
  let current: number[] = [];
  let expected = 0;
  for (const bin of order) {
    current.push(bin);
    expected += shares[bin] * rows;
    if (expected >= minExpected) {
      groups.push(current);
      current = [];
      expected = 0;
    }
  }
  if (current.length > 0) {
    if (groups.length === 0 || expected >= MIN_REMAINDER_ROWS) groups.push(current);
    else groups[groups.length - 1].push(...current);
  }
  return groups;
}

/** Counts summed per group. */
export function pooledCounts(counts: readonly number[], groups: readonly number[][]): number[] {
  return groups.map((group) => {
    let total = 0;
    for (const bin of group) total += counts[bin];
    return total;
  });
}

/** Jeffreys-smoothed share of a count: (k + ½) / (n + G/2), never 0, so no floor is needed. */
function smoothedShare(count: number, rows: number, groups: number): number {
  return (count + 0.5) / (rows + groups / 2);
}

/**
 * PSI over pooled counts on Jeffreys-smoothed shares. Unlike the 1e-4 floor, the smoothing keeps
 * a chance empty bin from adding a large term (an empty bin of 10 % at 50 rows adds 0.69 with the
 * floor), so its bias is small and smooth in the window size and can be subtracted.
 */
export function smoothedPsi(referenceCounts: readonly number[], productionCounts: readonly number[]): number {
  const groups = referenceCounts.length;
  if (productionCounts.length !== groups) throw new StatsInputError('pooled count vectors differ in length');
  const referenceRows = referenceCounts.reduce((sum, count) => sum + count, 0);
  const productionRows = productionCounts.reduce((sum, count) => sum + count, 0);
  let psi = 0;
  for (let group = 0; group < groups; group += 1) {
    const e = smoothedShare(referenceCounts[group], referenceRows, groups);
    const a = smoothedShare(productionCounts[group], productionRows, groups);
    psi += (a - e) * Math.log(a / e);
  }
  return psi;
}

/** E[ln(X + ½)] and E[(X + ½)·ln(X + ½)] for X ~ Binomial(n, p). */
interface LogMoments {
  readonly log: number;
  readonly xLogX: number;
}

/** Beyond this variance the binomial sums (about 24σ terms) give way to their second-order expansion, exact to ~1e-12. */
const MAX_SUMMED_VARIANCE = 1e6;
/** Terms of the sum below this share of the largest one are dropped: beyond ±12σ or so. */
const NEGLIGIBLE_TERM = 1e-17;
const MAX_CACHED_MOMENTS = 100_000;

/** Remembered per rows, then per share: number keys, since a trend asks for the same few thousands of times. */
const momentCache = new Map<number, Map<number, LogMoments>>();
let cachedMoments = 0;

function binomialLogMoments(n: number, p: number): LogMoments {
  let byShare = momentCache.get(n);
  const cached = byShare?.get(p);
  if (cached) return cached;
  const moments = computeLogMoments(n, p);
  if (cachedMoments >= MAX_CACHED_MOMENTS) {
    momentCache.clear();
    cachedMoments = 0;
    byShare = undefined;
  }
  if (!byShare) momentCache.set(n, (byShare = new Map()));
  byShare.set(p, moments);
  cachedMoments += 1;
  return moments;
}

function computeLogMoments(n: number, p: number): LogMoments {
  const mean = n * p + 0.5;
  const variance = n * p * (1 - p);
  if (variance > MAX_SUMMED_VARIANCE) {
    // E[ln X] ≈ ln μ − σ²/(2μ²), E[X ln X] ≈ μ ln μ + σ²/(2μ); the next terms are O(σ⁴/μ⁴).
    return { log: Math.log(mean) - variance / (2 * mean * mean), xLogX: mean * Math.log(mean) + variance / (2 * mean) };
  }
  const mode = Math.min(n, Math.floor((n + 1) * p));
  const logPmfAtMode =
    logGamma(n + 1) - logGamma(mode + 1) - logGamma(n - mode + 1) + mode * Math.log(p) + (n - mode) * Math.log1p(-p);
  const odds = p / (1 - p);
  let weight = 0;
  let log = 0;
  let xLogX = 0;
  const add = (k: number, pmf: number) => {
    const x = k + 0.5;
    const lx = Math.log(x);
    weight += pmf;
    log += pmf * lx;
    xLogX += pmf * x * lx;
  };
  const peak = Math.exp(logPmfAtMode);
  add(mode, peak);
  let pmf = peak;
  for (let k = mode; k < n; k += 1) {
    pmf *= ((n - k) / (k + 1)) * odds;
    if (pmf < NEGLIGIBLE_TERM * peak) break;
    add(k + 1, pmf);
  }
  pmf = peak;
  for (let k = mode; k > 0; k -= 1) {
    pmf *= k / (n - k + 1) / odds;
    if (pmf < NEGLIGIBLE_TERM * peak) break;
    add(k - 1, pmf);
  }
  // Normalising by the summed weight removes the rounding of the pmf at the mode.
  return { log: log / weight, xLogX: xLogX / weight };
}

/**
 * The PSI that sampling noise alone gives on average: E[smoothedPsi] when both sides are drawn
 * from the same distribution, `shares` (a window of `productionRows` rows and a baseline of
 * `referenceRows`, each group's count binomial). Exact, not simulated: with A and E independent,
 * E[(a − e)(ln a − ln e)] = E[a ln a] − E[a]·E[ln e] − E[e]·E[ln a] + E[e ln e], and each term is
 * a one-dimensional binomial sum, remembered per (rows, share) — a trend reuses them across its
 * intervals. Includes the baseline's own sampling error, which matters when it is small.
 */
export function smoothedPsiNoise(shares: readonly number[], referenceRows: number, productionRows: number): number {
  const groups = shares.length;
  const referenceDenominator = referenceRows + groups / 2;
  const productionDenominator = productionRows + groups / 2;
  const side = (share: number, rows: number, denominator: number) => {
    const { log, xLogX } = binomialLogMoments(rows, share);
    const mean = (rows * share + 0.5) / denominator;
    const logDenominator = Math.log(denominator);
    return { mean, log: log - logDenominator, xLogX: xLogX / denominator - mean * logDenominator };
  };
  let noise = 0;
  for (const share of shares) {
    if (!(share > 0 && share < 1))
      throw new StatsInputError(`a pooled group's share must lie strictly between 0 and 1, got ${share}`);
    const a = side(share, productionRows, productionDenominator);
    const e = side(share, referenceRows, referenceDenominator);
    noise += a.xLogX - a.mean * e.log - e.mean * a.log + e.xLogX;
  }
  return noise;
}
