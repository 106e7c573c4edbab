import { sortFloat64 } from './radix-sort';
import { logGamma } from './special';
import { StatsInputError } from './types';

export interface KsTestResult {
  /** D = sup |F_ref − F_prod|; on the exact path snapped to the nearest multiple of 1/lcm(n, m), as scipy does. */
  readonly statistic: number;
  /** Two-sided p-value P(D ≥ statistic) under the null hypothesis, in [0, 1]. */
  readonly pvalue: number;
  readonly method: 'exact' | 'asymptotic';
}

/** scipy.stats.ks_2samp(method='auto') is exact while both samples hold at most this many values. */
const MAX_EXACT_SAMPLE_SIZE = 10_000;

/**
 * Path probabilities below this are flushed to zero: they cannot move a p-value that matters, and
 * subnormal arithmetic would slow the lattice recursion down by orders of magnitude.
 */
const NEGLIGIBLE_PROBABILITY = 1e-300;

/** Simard & L'Ecuyer (2011) use the Durbin matrix up to this n and where n·d^1.5 < 1.4 up to 100 000. */
const SMALL_N = 140;
const MAX_DURBIN_N = 100_000;

/** Sizes up to which the Birnbaum–Tingey sum is summed term by term; above, the asymptotic form is used. */
const MAX_BIRNBAUM_TINGEY_N = 100_000;

/** Scaling step of the matrix power (Marsaglia, Tsang & Wang keep entries near 1e±140 the same way). */
const MATRIX_SCALE_LOG2 = 465;

function sortedCopy(values: readonly number[], side: string): Float64Array {
  if (values.length === 0) throw new StatsInputError(`${side} sample is empty`);
  const sorted = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new StatsInputError(`${side} sample holds a non-finite value (${value}); drop missing values first`);
    }
    sorted[i] = value;
  }
  return sortFloat64(sorted);
}

function requireSortedFinite(sorted: Float64Array, side: string): void {
  if (sorted.length === 0) throw new StatsInputError(`${side} sample is empty`);
  for (let i = 0; i < sorted.length; i++) {
    if (!Number.isFinite(sorted[i]))
      throw new StatsInputError(`${side} sample holds a non-finite value (${sorted[i]})`);
    if (i > 0 && sorted[i] < sorted[i - 1]) throw new StatsInputError(`${side} sample is not sorted ascending`);
  }
}

/** sup |F_a − F_b| by one merge pass, evaluated (like scipy) after all values equal to the current one. */
function maxCdfDistance(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  const m = b.length;
  let i = 0;
  let j = 0;
  let distance = 0;
  while (i < n && j < m) {
    const x = a[i];
    const y = b[j];
    // Step past every copy of the smaller value (of both, on a tie) before comparing the CDFs.
    if (x <= y) {
      do i++;
      while (i < n && a[i] === x);
    }
    if (y <= x) {
      do j++;
      while (j < m && b[j] === y);
    }
    const gap = Math.abs(i / n - j / m);
    if (gap > distance) distance = gap;
  }
  return distance;
}

/** Two-sample Kolmogorov–Smirnov statistic D of two unsorted samples of finite numbers. */
export function ksStatistic(reference: readonly number[], production: readonly number[]): number {
  return maxCdfDistance(sortedCopy(reference, 'reference'), sortedCopy(production, 'production'));
}

/** Two-sided two-sample KS test, as scipy.stats.ks_2samp(reference, production, method='auto'). */
export function ksTwoSample(reference: readonly number[], production: readonly number[]): KsTestResult {
  return ksTwoSampleSorted(sortedCopy(reference, 'reference'), sortedCopy(production, 'production'));
}

/** ksTwoSample for samples the caller has already sorted ascending (checked, not re-sorted). */
export function ksTwoSampleSorted(sortedReference: Float64Array, sortedProduction: Float64Array): KsTestResult {
  requireSortedFinite(sortedReference, 'reference');
  requireSortedFinite(sortedProduction, 'production');
  const n = sortedReference.length;
  const m = sortedProduction.length;
  const statistic = maxCdfDistance(sortedReference, sortedProduction);
  return Math.max(n, m) <= MAX_EXACT_SAMPLE_SIZE ? exactTest(n, m, statistic) : asymptoticTest(n, m, statistic);
}

function greatestCommonDivisor(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/**
 * Exact null distribution of D for samples without ties: every interleaving of the two samples,
 * i.e. every monotone lattice path from (0, 0) to (n, m), is equally likely, and D ≥ h/lcm(n, m)
 * exactly when the path touches a point with |i/n − j/m| ≥ h/lcm. scipy falls back to the
 * asymptotic distribution when the computation breaks down; so do we.
 */
function exactTest(n: number, m: number, distance: number): KsTestResult {
  const lcm = (n / greatestCommonDivisor(n, m)) * m;
  const h = Math.round(distance * lcm);
  const statistic = h / lcm;
  if (h === 0) return { statistic, pvalue: 1, method: 'exact' };
  const pvalue = n === m ? equalSizeTail(n, h) : unequalSizeTail(n, m, h);
  if (!(pvalue >= 0 && pvalue <= 1)) return asymptoticTest(n, m, statistic);
  return { statistic, pvalue, method: 'exact' };
}

/** r_k = C(2n, n−kh) / C(2n, n−(k−1)h) = Π_{j<h} (n−(k−1)h−j) / (n+(k−1)h+j+1). */
function reflectionRatio(n: number, h: number, k: number): number {
  const offset = (k - 1) * h;
  let ratio = 1;
  for (let j = 0; j < h; j++) ratio *= (n - offset - j) / (n + offset + j + 1);
  return ratio;
}

/**
 * P(D ≥ h/n) for two samples of n: by the reflection principle the share of paths reaching
 * |i − j| = h is 2·Σ_{k≥1} (−1)^{k+1} C(2n, n−kh)/C(2n, n). Written as r₁(1 − r₂(1 − r₃(1 − …)))
 * and evaluated from the innermost factor, the alternating sum needs no huge binomials and no
 * subtraction of nearly equal terms.
 */
function equalSizeTail(n: number, h: number): number {
  let nested = 0;
  for (let k = Math.floor(n / h); k >= 1; k--) nested = reflectionRatio(n, h, k) * (1 - nested);
  return 2 * nested;
}

/**
 * P(D ≥ h/lcm) for n ≠ m. With g = gcd(n, m) the point (i, j) lies inside the band when
 * |i·(m/g) − j·(n/g)| < h. Let A(i, j) be the probability that a uniformly random path from (0, 0) to
 * (i, j) has left the band: A = 1 outside it and, since the last step came from (i−1, j) with
 * probability i/(i+j), A(i, j) = (i·A(i−1, j) + j·A(i, j−1))/(i + j) inside. Probabilities stay in
 * [0, 1] (no overflowing path counts, no 1 − x cancellation for tiny p), and only the band of the
 * current column is live: it is updated in place, its lower edge never moving down.
 */
function unequalSizeTail(sizeA: number, sizeB: number, h: number): number {
  // Columns run over the larger sample so the live band is the shorter dimension and the result
  // does not depend on the argument order.
  const n = Math.max(sizeA, sizeB);
  const m = Math.min(sizeA, sizeB);
  const g = greatestCommonDivisor(n, m);
  const columnSlope = m / g;
  const rowSlope = n / g;
  const reciprocals = new Float64Array(n + m + 1);
  for (let s = 1; s <= n + m; s++) reciprocals[s] = 1 / s;
  const leftBand = new Float64Array(m + 1).fill(1);
  const firstTop = Math.min(m, Math.ceil(h / rowSlope) - 1);
  for (let j = 0; j <= firstTop; j++) leftBand[j] = 0;
  for (let i = 1; i <= n; i++) {
    const bottom = Math.max(0, Math.floor((i * columnSlope - h) / rowSlope) + 1);
    const top = Math.min(m, Math.ceil((i * columnSlope + h) / rowSlope) - 1);
    if (bottom > top) return 1;
    let previous = bottom === 0 ? 0 : 1;
    for (let j = bottom; j <= top; j++) {
      // Only the last multiply-add depends on the previous cell, which keeps the loop fast.
      const reciprocal = reciprocals[i + j];
      previous = i * reciprocal * leftBand[j] + j * reciprocal * previous;
      if (previous < NEGLIGIBLE_PROBABILITY) previous = 0;
      leftBand[j] = previous;
    }
  }
  return leftBand[m];
}

/** numpy's round(): halves go to the even neighbour. */
function roundHalfEven(x: number): number {
  const rounded = Math.round(x);
  return rounded - x === 0.5 && rounded % 2 !== 0 ? rounded - 1 : rounded;
}

/** scipy's large-sample p-value: the one-sample distribution at the effective size n·m/(n+m). */
function asymptoticTest(n: number, m: number, statistic: number): KsTestResult {
  const effectiveSize = roundHalfEven((n * m) / (n + m));
  return { statistic, pvalue: Math.min(1, Math.max(0, ksOneSampleSf(statistic, effectiveSize))), method: 'asymptotic' };
}

/**
 * P(D_n ≥ d) for the two-sided one-sample KS statistic of n observations (scipy.stats.kstwo.sf),
 * following the method choice of Simard & L'Ecuyer (2011), "Computing the two-sided
 * Kolmogorov–Smirnov distribution", J. Stat. Software 39(11), as scipy does, except that the
 * Durbin matrix also covers their Pomeranz range (n ≤ 140, 0.75 < n·d² ≤ 4): both are exact.
 */
export function ksOneSampleSf(d: number, n: number): number {
  if (!Number.isFinite(d)) throw new StatsInputError(`KS distance must be finite, got ${d}`);
  if (!Number.isSafeInteger(n) || n < 1) throw new StatsInputError(`sample size must be a positive integer, got ${n}`);
  if (d <= 0) return 1;
  if (d >= 1) return 0;
  const nd = n * d;
  if (nd <= 0.5) return 1;
  if (nd <= 1) return 1 - rubenGambinoCdf(n, nd);
  if (nd >= n - 1) return 2 * (1 - d) ** n;
  // The two-sided tail is twice the one-sided one less P(D⁺ ≥ d and D⁻ ≥ d), which is zero for
  // d ≥ ½ and under 2e-6 of the tail once n·d² passes these bounds (Miller 1956; scipy switches
  // at the same points).
  const ndSquared = nd * d;
  if (d >= 0.5 || ndSquared > (n <= SMALL_N ? 4 : 2.2)) return 2 * smirnovSf(n, d);
  const useDurbin = n <= SMALL_N || (n <= MAX_DURBIN_N && n * d ** 1.5 < 1.4);
  return 1 - (useDurbin ? durbinMatrixCdf(n, d) : pelzGoodCdf(n, d));
}

/** P(D_n < d) = n!/nⁿ·(2nd − 1)ⁿ for ½ < n·d ≤ 1 (Ruben & Gambino 1982). */
function rubenGambinoCdf(n: number, nd: number): number {
  return Math.exp(logGamma(n + 1) - n * Math.log(n) + n * Math.log(2 * nd - 1));
}

/**
 * One-sided P(D⁺_n ≥ d). Up to MAX_BIRNBAUM_TINGEY_N the exact Birnbaum & Tingey (1951) sum
 * d·Σ_{j ≤ n(1−d)} C(n, j)(1 − d − j/n)^(n−j)(d + j/n)^(j−1), in logarithms with a running
 * maximum. Above, Maag & Dicaire's (1971) exp(−(6nd + 1)²/(18n)) times exp(−4nd⁴/9), the next
 * term of the large-deviation rate 2d² + 4d⁴/9 + …; against the exact sum its relative error
 * stays below 1e-3 for n ≥ 1e5 up to n·d² = 370, where the tail underflows.
 */
function smirnovSf(n: number, d: number): number {
  if (n > MAX_BIRNBAUM_TINGEY_N) return Math.exp(-((6 * n * d + 1) ** 2) / (18 * n) - (4 * n * d ** 4) / 9);
  const nd = n * d;
  let logBinomial = 0;
  let maxLog = -Infinity;
  let scaledSum = 0;
  // Terms run while 1 − d − j/n > 0 as computed; the term where it is exactly 0 vanishes.
  for (let j = 0; n - j - nd > 0; j++) {
    const logTerm = logBinomial + (n - j) * Math.log(n - j - nd) + (j - 1) * Math.log(nd + j);
    if (logTerm > maxLog) {
      scaledSum = scaledSum * Math.exp(maxLog - logTerm) + 1;
      maxLog = logTerm;
    } else {
      scaledSum += Math.exp(logTerm - maxLog);
    }
    logBinomial += Math.log((n - j) / (j + 1));
  }
  // The factors 1/n of every (1 − d − j/n) and (d + j/n) were left out of the terms: (n − 1) of them.
  return Math.exp(maxLog + Math.log(scaledSum) + Math.log(d) - (n - 1) * Math.log(n));
}

/**
 * P(D_n < d) by Durbin's matrix formula as organised by Marsaglia, Tsang & Wang (2003),
 * "Evaluating Kolmogorov's distribution", J. Stat. Software 8(18): with k = ⌊nd⌋ + 1 and
 * h = k − nd, the answer is n!/nⁿ times the central element of Hⁿ for a (2k−1)×(2k−1) matrix H.
 */
function durbinMatrixCdf(n: number, d: number): number {
  const k = Math.floor(n * d) + 1;
  const size = 2 * k - 1;
  const { matrix, log2Scale } = scaledMatrixPower(durbinMatrix(size, k - n * d), size, n);
  const centre = matrix[(k - 1) * size + (k - 1)];
  return Math.exp(Math.log(centre) + log2Scale * Math.LN2 + logGamma(n + 1) - n * Math.log(n));
}

function durbinMatrix(size: number, h: number): Float64Array {
  const matrix = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j <= Math.min(i + 1, size - 1); j++) matrix[i * size + j] = 1;
  }
  for (let i = 0; i < size; i++) {
    matrix[i * size] -= h ** (i + 1);
    matrix[(size - 1) * size + i] -= h ** (size - i);
  }
  if (2 * h - 1 > 0) matrix[(size - 1) * size] += (2 * h - 1) ** size;
  for (let i = 0; i < size; i++) {
    let factorial = 1;
    for (let j = i; j >= 0; j--) {
      factorial *= i - j + 1;
      matrix[i * size + j] /= factorial;
    }
  }
  return matrix;
}

function multiplySquare(a: Float64Array, b: Float64Array, size: number): Float64Array {
  const product = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    for (let k = 0; k < size; k++) {
      const aik = a[i * size + k];
      if (aik === 0) continue;
      for (let j = 0; j < size; j++) product[i * size + j] += aik * b[k * size + j];
    }
  }
  return product;
}

/** Keeps the entries representable by factoring out powers of two, tracked in log2Scale. */
function rescale(matrix: Float64Array, size: number, log2Scale: number): number {
  const centre = (size >> 1) * (size + 1);
  if (!(matrix[centre] > 2 ** MATRIX_SCALE_LOG2)) return log2Scale;
  const factor = 2 ** -MATRIX_SCALE_LOG2;
  for (let i = 0; i < matrix.length; i++) matrix[i] *= factor;
  return log2Scale + MATRIX_SCALE_LOG2;
}

/** Hⁿ by binary exponentiation from the most significant bit, as matrix × 2^log2Scale. */
function scaledMatrixPower(
  base: Float64Array,
  size: number,
  exponent: number
): { matrix: Float64Array; log2Scale: number } {
  let matrix = base;
  let log2Scale = 0;
  for (let bit = 30 - Math.clz32(exponent); bit >= 0; bit--) {
    matrix = multiplySquare(matrix, matrix, size);
    log2Scale = rescale(matrix, size, 2 * log2Scale);
    if ((exponent >> bit) & 1) {
      matrix = multiplySquare(matrix, base, size);
      log2Scale = rescale(matrix, size, log2Scale);
    }
  }
  return { matrix, log2Scale };
}

/**
 * P(D_n ≤ d) ≈ K₀(z) + K₁(z)/√n + K₂(z)/n + K₃(z)/n^(3/2), z = d√n: the Pelz & Good (1976)
 * expansion in the Jacobi-theta form given by Simard & L'Ecuyer (2011), accurate for small z. The
 * K's are sums over odd m of polynomials in u = m²π²/4 times e^(−u/2z²), and K₂, K₃ also over all
 * k ≥ 1 of polynomials in k²π² times e^(−k²π²/2z²).
 */
function pelzGoodCdf(n: number, d: number): number {
  const z = d * Math.sqrt(n);
  const z2 = z * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const sqrtTwoPi = Math.sqrt(2 * Math.PI);
  const piSquared = Math.PI * Math.PI;
  let odd0 = 0;
  let odd1 = 0;
  let odd2 = 0;
  let odd3 = 0;
  let all2 = 0;
  let all3 = 0;
  // Terms beyond e^-100 of the first are negligible even after their polynomial factors.
  for (let m = 1; ((m * m - 1) * piSquared) / (8 * z2) < 100; m += 2) {
    const u = (m * m * piSquared) / 4;
    const weight = Math.exp(-u / (2 * z2));
    odd0 += weight;
    odd1 += (u - z2) * weight;
    odd2 += (6 * z6 + 2 * z4 + (2 * z4 - 5 * z2) * u + (1 - 2 * z2) * u * u) * weight;
    odd3 +=
      (-30 * z6 - 90 * z6 * z2 + (135 * z4 - 96 * z6) * u + (212 * z4 - 60 * z2) * u * u + (5 - 30 * z2) * u * u * u) *
      weight;
  }
  for (let k = 1; ((k * k - 1) * piSquared) / (2 * z2) < 100; k++) {
    const v = k * k * piSquared;
    const weight = Math.exp(-v / (2 * z2));
    all2 += v * weight;
    all3 += (3 * z2 - v) * v * weight;
  }
  const k0 = (sqrtTwoPi / z) * odd0;
  const k1 = (sqrtTwoPi / (6 * z4)) * odd1;
  const k2 = (sqrtTwoPi / (72 * z6 * z)) * odd2 - (sqrtTwoPi / (36 * z2 * z)) * all2;
  const k3 = (sqrtTwoPi / (6480 * z4 * z6)) * odd3 + (sqrtTwoPi / (216 * z6)) * all3;
  const sqrtN = Math.sqrt(n);
  return k0 + k1 / sqrtN + k2 / n + k3 / (n * sqrtN);
}
