import { StatsInputError } from './types';

const LOG_SQRT_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** Below this argument Stirling's series is reached by shifting with Γ(x+1) = x·Γ(x). */
const STIRLING_MIN_ARGUMENT = 10;

/** B₂ₖ / (2k(2k−1)) for k = 1..8: the terms of Stirling's series in 1/x^(2k−1). */
const STIRLING_COEFFICIENTS = [1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360, 1 / 156, -3617 / 122400];

const CONVERGENCE_TOLERANCE = Number.EPSILON;

/** Keeps the modified Lentz recursion away from a division by zero (Numerical Recipes §5.2). */
const LENTZ_FLOOR = 1e-300;

const MAX_QUANTILE_ITERATIONS = 200;

function requireFinite(value: number, name: string): void {
  if (!Number.isFinite(value)) throw new StatsInputError(`${name} must be a finite number, got ${value}`);
}

function requirePositive(value: number, name: string): void {
  requireFinite(value, name);
  if (value <= 0) throw new StatsInputError(`${name} must be positive, got ${value}`);
}

function requireNonNegative(value: number, name: string): void {
  requireFinite(value, name);
  if (value < 0) throw new StatsInputError(`${name} must not be negative, got ${value}`);
}

/** Σ B₂ₖ/(2k(2k−1)x^(2k−1)): the part of ln Γ(x) beyond (x−½)ln x − x + ln√(2π); error < 2e-18 for x ≥ 10. */
function stirlingCorrection(x: number): number {
  const inverseSquare = 1 / (x * x);
  let series = 0;
  for (let k = STIRLING_COEFFICIENTS.length - 1; k >= 0; k--)
    series = series * inverseSquare + STIRLING_COEFFICIENTS[k];
  return series / x;
}

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  requirePositive(x, 'logGamma argument');
  // Each shifted argument x + k is formed directly (one rounding) rather than by repeated increments.
  let shift = 0;
  let product = 1;
  while (x + shift < STIRLING_MIN_ARGUMENT) {
    product *= x + shift;
    shift += 1;
  }
  const shifted = x + shift;
  return (
    (shifted - 0.5) * Math.log(shifted) - shifted + LOG_SQRT_TWO_PI + stirlingCorrection(shifted) - Math.log(product)
  );
}

/**
 * ln(xᵃ·e⁻ˣ / Γ(a+1)), the factor shared by the series and the continued fraction. For large a the
 * naive form subtracts numbers of size a·ln x; rewriting with Stirling's formula for Γ(a+1) leaves
 * a·(ln(1+u) − u) with u = (x−a)/a, which log1p evaluates without that cancellation (Temme's idea).
 */
function logPoissonWeight(a: number, x: number): number {
  if (a < STIRLING_MIN_ARGUMENT) return a * Math.log(x) - x - logGamma(a + 1);
  const u = (x - a) / a;
  const logRatioMinusU = Math.abs(u) < 0.5 ? Math.log1p(u) - u : Math.log(x / a) - u;
  return a * logRatioMinusU - 0.5 * Math.log(2 * Math.PI * a) - stirlingCorrection(a);
}

/** The terms shrink like exp(−n²/2a) when x ≈ a, so about √a·9 terms reach double precision. */
function maxSeriesTerms(a: number): number {
  return 1000 + Math.ceil(20 * Math.sqrt(a));
}

/** P(a, x) = xᵃe⁻ˣ/Γ(a+1) · Σₙ xⁿ/((a+1)…(a+n)); converges fast for x < a + 1. */
function lowerGammaSeries(a: number, x: number): number {
  let term = 1;
  let sum = 1;
  const limit = maxSeriesTerms(a);
  for (let n = 1; n <= limit; n++) {
    term *= x / (a + n);
    sum += term;
    if (term <= sum * CONVERGENCE_TOLERANCE) break;
  }
  return Math.exp(logPoissonWeight(a, x)) * sum;
}

/**
 * Q(a, x) = xᵃe⁻ˣ/Γ(a) · 1/(x+1−a− 1·(1−a)/(x+3−a− 2·(2−a)/(x+5−a− …))), the Legendre continued
 * fraction evaluated by the modified Lentz method; converges fast for x ≥ a + 1.
 */
function upperGammaContinuedFraction(a: number, x: number): number {
  let denominator = x + 1 - a;
  let c = 1 / LENTZ_FLOOR;
  let d = 1 / denominator;
  let fraction = d;
  const limit = maxSeriesTerms(a);
  for (let i = 1; i <= limit; i++) {
    const numerator = -i * (i - a);
    denominator += 2;
    d = numerator * d + denominator;
    if (Math.abs(d) < LENTZ_FLOOR) d = LENTZ_FLOOR;
    c = denominator + numerator / c;
    if (Math.abs(c) < LENTZ_FLOOR) c = LENTZ_FLOOR;
    d = 1 / d;
    const delta = d * c;
    fraction *= delta;
    if (Math.abs(delta - 1) <= CONVERGENCE_TOLERANCE) break;
  }
  return a * Math.exp(logPoissonWeight(a, x)) * fraction;
}

function requireGammaArguments(a: number, x: number): void {
  requirePositive(a, 'shape a');
  requireNonNegative(x, 'x');
}

/** Regularized lower incomplete gamma function P(a, x) = γ(a, x)/Γ(a), a > 0, x ≥ 0. */
export function regularizedGammaP(a: number, x: number): number {
  requireGammaArguments(a, x);
  if (x === 0) return 0;
  return x < a + 1 ? lowerGammaSeries(a, x) : 1 - upperGammaContinuedFraction(a, x);
}

/** Regularized upper incomplete gamma function Q(a, x) = Γ(a, x)/Γ(a) = 1 − P(a, x), a > 0, x ≥ 0. */
export function regularizedGammaQ(a: number, x: number): number {
  requireGammaArguments(a, x);
  if (x === 0) return 1;
  return x < a + 1 ? 1 - lowerGammaSeries(a, x) : upperGammaContinuedFraction(a, x);
}

/** P(X ≤ x) for X ~ χ²(dof), x ≥ 0, dof > 0. */
export function chiSquareCdf(x: number, dof: number): number {
  requirePositive(dof, 'degrees of freedom');
  requireNonNegative(x, 'chi-square value');
  return regularizedGammaP(dof / 2, x / 2);
}

/** P(X > x) for X ~ χ²(dof), taken from Q directly so tiny tail probabilities keep their relative precision. */
export function chiSquareSf(x: number, dof: number): number {
  requirePositive(dof, 'degrees of freedom');
  requireNonNegative(x, 'chi-square value');
  return regularizedGammaQ(dof / 2, x / 2);
}

/** Standard normal quantile to about 4.5e-4 (Abramowitz & Stegun 26.2.23): only a starting point. */
function roughNormalQuantile(p: number): number {
  const tail = Math.min(p, 1 - p);
  const t = Math.sqrt(-2 * Math.log(tail));
  const magnitude =
    t - (2.515517 + t * (0.802853 + t * 0.010328)) / (1 + t * (1.432788 + t * (0.189269 + t * 0.001308)));
  return p < 0.5 ? -magnitude : magnitude;
}

/**
 * Start for the gamma quantile: the Wilson–Hilferty cube-root normal approximation, or, where that
 * is not positive (small p, small a), the leading series term P(a, y) ≈ yᵃ/Γ(a+1).
 */
function gammaQuantileGuess(a: number, p: number): number {
  const c = 1 / (9 * a);
  const wilsonHilferty = a * (1 - c + roughNormalQuantile(p) * Math.sqrt(c)) ** 3;
  if (wilsonHilferty > 0) return wilsonHilferty;
  return Math.exp((Math.log(p) + logGamma(a + 1)) / a);
}

/**
 * y with P(a, y) = p, by Halley's method on a bracket that every evaluation narrows; steps that
 * leave the bracket fall back to bisection (or doubling while no upper bound is known). The
 * residual is taken in the smaller tail (P for p ≤ ½, Q otherwise; 1 − p is exact there).
 * Far from the root the density is tiny, the Newton step huge, and Halley's factor would shrink
 * it to about y/(a − 1 − y): a crawl of a few units per step at large a. So the Halley correction
 * is taken only while it changes the Newton step by less than half; otherwise the Newton step
 * stands and, being outside the bracket, turns into bisection.
 */
function gammaQuantile(a: number, p: number): number {
  const useLowerTail = p <= 0.5;
  const target = useLowerTail ? p : 1 - p;
  let below = 0;
  let above = Infinity;
  let y = gammaQuantileGuess(a, p);
  for (let iteration = 0; iteration < MAX_QUANTILE_ITERATIONS; iteration++) {
    const lowerTailExcess = useLowerTail ? regularizedGammaP(a, y) - target : target - regularizedGammaQ(a, y);
    if (lowerTailExcess === 0) return y;
    if (lowerTailExcess < 0) below = y;
    else above = y;
    const density = (a * Math.exp(logPoissonWeight(a, y))) / y;
    const newtonStep = lowerTailExcess / density;
    // Halley's correction uses f''/f' = (a − 1)/y − 1 for the gamma density.
    const halleyFactor = 1 - 0.5 * newtonStep * ((a - 1) / y - 1);
    const step = halleyFactor > 0.5 && halleyFactor < 2 ? newtonStep / halleyFactor : newtonStep;
    // A step below the last bit of y is convergence, not a reason to bisect toward a far bound.
    if (Math.abs(step) <= 1e-15 * y) return y - step;
    let next = y - step;
    if (!(next > below && next < above)) next = above === Infinity ? 2 * y : 0.5 * (below + above);
    if (Math.abs(next - y) <= 1e-15 * next) return next;
    y = next;
  }
  return y;
}

/**
 * Inverse of chiSquareCdf: x with P(X ≤ x) = p for X ~ χ²(dof); p = 0 gives 0 and p = 1 gives +∞.
 */
export function chiSquarePpf(p: number, dof: number): number {
  requirePositive(dof, 'degrees of freedom');
  requireFinite(p, 'probability');
  if (p < 0 || p > 1) throw new StatsInputError(`probability must lie in [0, 1], got ${p}`);
  if (p === 0) return 0;
  if (p === 1) return Infinity;
  return 2 * gammaQuantile(dof / 2, p);
}

/** Hypergeometric terms below this share of the largest one summed are dropped: they cannot move a p-value. */
const NEGLIGIBLE_TERM = 1e-17;

function logChoose(n: number, k: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

/**
 * P(X ≥ k) for X ~ Hypergeometric(population, successes, draws): the one-sided p-value of Fisher's
 * exact test that a window (`draws` of the pooled rows) holds `k` or more of the pooled rows of a
 * kind (missing values, values outside the baseline's range). Summed outward from k by the ratio
 * of neighbouring terms, in whichever tail is the smaller, until the terms stop mattering: O(σ)
 * terms, however large the counts.
 */
export function hypergeometricUpperTail(k: number, population: number, successes: number, draws: number): number {
  if (
    !Number.isInteger(k) ||
    !(
      Number.isInteger(population) &&
      Number.isInteger(successes) &&
      Number.isInteger(draws) &&
      Math.min(population, successes, draws) >= 0
    )
  ) {
    throw new StatsInputError(
      `hypergeometric arguments must be whole numbers (counts ≥ 0), got k = ${k}, N = ${population}, K = ${successes}, n = ${draws}`
    );
  }
  if (successes > population || draws > population)
    throw new StatsInputError('hypergeometric successes and draws cannot exceed the population');
  const lowest = Math.max(0, draws - (population - successes));
  const highest = Math.min(successes, draws);
  if (k <= lowest) return 1;
  if (k > highest) return 0;
  const failures = population - successes;
  const mean = (draws * successes) / population;
  // The smaller tail: from k upward when k lies above the mean, else 1 − (from k − 1 downward).
  const upward = k > mean;
  const start = upward ? k : k - 1;
  const end = upward ? highest : lowest;
  const first = Math.exp(
    logChoose(successes, start) + logChoose(failures, draws - start) - logChoose(population, draws)
  );
  let term = first;
  let sum = first;
  for (let x = start; x !== end; x += upward ? 1 : -1) {
    // term(x + 1) / term(x) = (K − x)(n − x) / ((x + 1)(N − K − n + x + 1)).
    const from = upward ? x : x - 1;
    const ratio = ((successes - from) * (draws - from)) / ((from + 1) * (failures - draws + from + 1));
    term *= upward ? ratio : 1 / ratio;
    sum += term;
    if (term < NEGLIGIBLE_TERM * sum) break;
  }
  return upward ? Math.min(1, sum) : Math.max(0, 1 - sum);
}
