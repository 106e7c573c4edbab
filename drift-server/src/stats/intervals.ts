import { chiSquarePpf } from './special';
import { StatsInputError } from './types';

/** A two-sided interval [lower, upper] around a figure. */
export interface Interval {
  readonly lower: number;
  readonly upper: number;
}

/** A figure with its interval. */
export interface Bounded extends Interval {
  readonly value: number;
}

function requireProbability(p: number, name: string): void {
  if (!(p > 0 && p < 1)) throw new StatsInputError(`${name} must lie strictly between 0 and 1, got ${p}`);
}

/** The standard normal quantile z with P(Z ≤ z) = p, from χ²(1) = Z² (as scipy.stats.norm.ppf). */
export function normalQuantile(p: number): number {
  requireProbability(p, 'probability');
  if (p === 0.5) return 0;
  const z = Math.sqrt(chiSquarePpf(Math.abs(2 * p - 1), 1));
  return p > 0.5 ? z : -z;
}

/**
 * P(|T| ≤ t) for Student's t with a whole number of degrees of freedom, by the closed-form finite
 * series in θ = atan(t/√ν) (Abramowitz & Stegun 26.7.3 and 26.7.4).
 */
function studentTCentralMass(t: number, dof: number): number {
  const theta = Math.atan(t / Math.sqrt(dof));
  const cosSquare = Math.cos(theta) ** 2;
  if (dof % 2 === 1) {
    let term = Math.cos(theta);
    let series = dof > 1 ? term : 0;
    for (let k = 3; k <= dof - 2; k += 2) {
      term *= (cosSquare * (k - 1)) / k;
      series += term;
    }
    return (2 / Math.PI) * (theta + Math.sin(theta) * series);
  }
  let term = 1;
  let series = 1;
  for (let k = 2; k <= dof - 2; k += 2) {
    term *= (cosSquare * (k - 1)) / k;
    series += term;
  }
  return Math.sin(theta) * series;
}

const QUANTILE_BISECTIONS = 200;

/** Student's t quantile for a whole number of degrees of freedom (as scipy.stats.t.ppf), by bisection of the exact distribution function. */
export function studentTQuantile(p: number, dof: number): number {
  requireProbability(p, 'probability');
  if (!(Number.isInteger(dof) && dof >= 1))
    throw new StatsInputError(`degrees of freedom must be a whole number ≥ 1, got ${dof}`);
  if (p === 0.5) return 0;
  const mass = Math.abs(2 * p - 1);
  let low = 0;
  let high = 1;
  while (studentTCentralMass(high, dof) < mass) high *= 2;
  for (let step = 0; step < QUANTILE_BISECTIONS && high - low > 1e-15 * high; step += 1) {
    const middle = (low + high) / 2;
    if (studentTCentralMass(middle, dof) < mass) low = middle;
    else high = middle;
  }
  const t = (low + high) / 2;
  return p > 0.5 ? t : -t;
}

/** z of a two-sided interval at `confidence` (0.95 → 1.96). */
export function twoSidedZ(confidence: number): number {
  requireProbability(confidence, 'confidence');
  return normalQuantile((1 + confidence) / 2);
}

/**
 * Wilson score interval of a share successes/trials at z (as scipy's binomtest(...).proportion_ci
 * with method='wilson'): the shares p whose score test |p̂ − p| ≤ z·√(p(1−p)/n) accepts. Unlike the
 * Wald interval p̂ ± z·√(p̂(1−p̂)/n) it never collapses to a point at 0 or n successes and keeps close
 * to its nominal coverage with few trials.
 */
export function wilsonInterval(successes: number, trials: number, z: number): Interval {
  if (!(Number.isInteger(trials) && trials >= 1))
    throw new StatsInputError(`trials must be a whole number ≥ 1, got ${trials}`);
  if (!(Number.isInteger(successes) && successes >= 0 && successes <= trials)) {
    throw new StatsInputError(`successes must be a whole number in [0, ${trials}], got ${successes}`);
  }
  const share = successes / trials;
  const zSquare = z * z;
  const denominator = 1 + zSquare / trials;
  const centre = (share + zSquare / (2 * trials)) / denominator;
  const halfWidth = (z * Math.sqrt((share * (1 - share)) / trials + zSquare / (4 * trials * trials))) / denominator;
  // At 0 or n successes one end is exactly 0 or 1; rounding must not leave it a hair inside.
  return {
    lower: successes === 0 ? 0 : Math.max(0, centre - halfWidth),
    upper: successes === trials ? 1 : Math.min(1, centre + halfWidth),
  };
}

/**
 * Interval of the difference a − b of two independent figures from each one's own interval at the
 * same level, by the method of variance estimates recovery (Zou & Donner 2008): the distance from
 * the difference to each end combines the distances of the ends that make it. With Wilson intervals
 * on both sides this is Newcombe's hybrid score interval for a difference of proportions (statsmodels
 * confint_proportions_2indep with method='newcomb').
 */
export function differenceInterval(a: Bounded, b: Bounded): Interval {
  const difference = a.value - b.value;
  return {
    lower: difference - Math.hypot(a.value - a.lower, b.upper - b.value),
    upper: difference + Math.hypot(a.upper - a.value, b.value - b.lower),
  };
}
