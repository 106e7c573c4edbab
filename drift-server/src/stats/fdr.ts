import { StatsInputError } from './types';

/**
 * Benjamini–Hochberg adjusted p-values (q-values) of a family of tests, in the input order:
 * q₍ᵢ₎ = min over j ≥ i of m·p₍ⱼ₎/j for the p-values sorted ascending, capped at 1 — the same as
 * scipy.stats.false_discovery_control(p, method='bh'). Rejecting every test with q ≤ α keeps the
 * expected share of false discoveries among the rejections at most α for independent or positively
 * dependent tests; when no hypothesis is false, it keeps the chance of any rejection at most α.
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length;
  for (const p of pValues) {
    if (!(p >= 0 && p <= 1)) throw new StatsInputError(`p-values must lie in [0, 1], got ${p}`);
  }
  const order = pValues.map((_, index) => index).sort((left, right) => pValues[left] - pValues[right]);
  const adjusted = new Array<number>(m);
  let running = 1;
  for (let rank = m; rank >= 1; rank -= 1) {
    const index = order[rank - 1];
    running = Math.min(running, (m * pValues[index]) / rank);
    adjusted[index] = running;
  }
  return adjusted;
}
