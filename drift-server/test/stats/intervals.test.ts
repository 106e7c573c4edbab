import { execFileSync } from 'node:child_process';
import {
  differenceInterval,
  normalQuantile,
  studentTQuantile,
  twoSidedZ,
  wilsonInterval,
} from '../../src/stats/intervals';
import { StatsInputError } from '../../src/stats/types';

/**
 * The reference values come from Debian's python3-scipy and python3-statsmodels, run here, so the
 * check is against their formulas and not against numbers copied once.
 */
const PYTHON = '/usr/bin/python3';

interface ShareCase {
  readonly successes: number;
  readonly trials: number;
  readonly confidence: number;
}

interface DifferenceCase {
  readonly a: [number, number];
  readonly b: [number, number];
  readonly confidence: number;
}

const SHARES: ShareCase[] = [
  { successes: 0, trials: 30, confidence: 0.95 },
  { successes: 12, trials: 12, confidence: 0.95 },
  { successes: 25, trials: 40, confidence: 0.95 },
  { successes: 349, trials: 499, confidence: 0.98 },
  { successes: 1, trials: 1, confidence: 0.9 },
  { successes: 15_600, trials: 20_000, confidence: 0.98 },
  { successes: 7_310, trials: 10_000, confidence: 0.999 },
];

const DIFFERENCES: DifferenceCase[] = [
  { a: [15_600, 20_000], b: [1_460, 2_000], confidence: 0.98 },
  { a: [30, 40], b: [70, 100], confidence: 0.95 },
  { a: [0, 30], b: [24, 30], confidence: 0.95 },
  { a: [12, 12], b: [400, 500], confidence: 0.9 },
  { a: [351, 500], b: [390, 500], confidence: 0.98 },
];

const QUANTILES = [1e-6, 0.001, 0.01, 0.025, 0.1, 0.3, 0.5, 0.51, 0.9, 0.975, 0.99, 0.995, 0.999999];
const T_DEGREES = [1, 2, 3, 4, 9, 10, 30, 101];

const SCRIPT = String.raw`
import json, sys
from scipy.stats import binomtest, norm, t
from statsmodels.stats.proportion import confint_proportions_2indep
cases = json.load(sys.stdin)
out = {"wilson": [], "newcombe": [], "normal": [], "t": []}
for c in cases["shares"]:
    ci = binomtest(c["successes"], c["trials"]).proportion_ci(confidence_level=c["confidence"], method="wilson")
    out["wilson"].append([ci.low, ci.high])
for c in cases["differences"]:
    low, high = confint_proportions_2indep(c["a"][0], c["a"][1], c["b"][0], c["b"][1], method="newcomb", compare="diff", alpha=1 - c["confidence"])
    out["newcombe"].append([float(low), float(high)])
out["normal"] = [float(norm.ppf(p)) for p in cases["quantiles"]]
out["t"] = [[float(t.ppf(p, dof)) for p in cases["quantiles"]] for dof in cases["t_degrees"]]
out["t_cdf"] = [[float(t.cdf(x, dof)) for x in row] for dof, row in zip(cases["t_degrees"], cases["t_values"])]
json.dump(out, sys.stdout)
`;

interface Expected {
  readonly wilson: [number, number][];
  readonly newcombe: [number, number][];
  readonly normal: number[];
  readonly t: number[][];
  /** scipy's distribution function at our quantiles. */
  readonly t_cdf: number[][];
}

function expected(): Expected {
  const tValues = T_DEGREES.map((dof) => QUANTILES.map((p) => studentTQuantile(p, dof)));
  const input = JSON.stringify({
    shares: SHARES,
    differences: DIFFERENCES,
    quantiles: QUANTILES,
    t_degrees: T_DEGREES,
    t_values: tValues,
  });
  return JSON.parse(execFileSync(PYTHON, ['-c', SCRIPT], { input, encoding: 'utf8' })) as Expected;
}

const relativeClose = (actual: number, wanted: number, tolerance: number) =>
  expect(Math.abs(actual - wanted)).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(wanted)));

describe('intervals against scipy and statsmodels', () => {
  let reference: Expected;
  beforeAll(() => {
    reference = expected();
  });

  it('normal quantiles equal scipy.stats.norm.ppf', () => {
    QUANTILES.forEach((p, index) => relativeClose(normalQuantile(p), reference.normal[index], 1e-11));
  });

  it("Student's t quantiles for whole degrees of freedom: scipy's t.cdf gives p back, and they agree with scipy's t.ppf", () => {
    // scipy's ppf (cephes stdtri) is itself good to about 1e-8 in the tails; its cdf is the sharper check.
    T_DEGREES.forEach((dof, row) =>
      QUANTILES.forEach((p, index) => {
        expect(Math.abs(reference.t_cdf[row][index] - p)).toBeLessThanOrEqual(1e-12 * Math.max(p, 1e-3));
        relativeClose(studentTQuantile(p, dof), reference.t[row][index], 1e-7);
      })
    );
  });

  it("Wilson score intervals equal scipy's binomtest(...).proportion_ci(method='wilson')", () => {
    SHARES.forEach(({ successes, trials, confidence }, index) => {
      const interval = wilsonInterval(successes, trials, twoSidedZ(confidence));
      relativeClose(interval.lower, reference.wilson[index][0], 1e-12);
      relativeClose(interval.upper, reference.wilson[index][1], 1e-12);
    });
  });

  it("the difference of two Wilson intervals equals statsmodels' Newcombe hybrid score interval", () => {
    DIFFERENCES.forEach(({ a, b, confidence }, index) => {
      const z = twoSidedZ(confidence);
      const side = ([successes, trials]: [number, number]) => ({
        value: successes / trials,
        ...wilsonInterval(successes, trials, z),
      });
      const interval = differenceInterval(side(a), side(b));
      relativeClose(interval.lower, reference.newcombe[index][0], 1e-12);
      relativeClose(interval.upper, reference.newcombe[index][1], 1e-12);
    });
  });
});

describe('intervals, the cases the issue names', () => {
  const z = twoSidedZ(0.95);

  it('never collapses at 0 or n successes, unlike the Wald band', () => {
    // 30 labels, none right: Wald gives [0, 0]; Wilson keeps the share plausibly up to 11 %.
    const none = wilsonInterval(0, 30, z);
    expect(none.lower).toBe(0);
    expect(none.upper).toBeGreaterThan(0.1);
    // 12 of 12 right: Wald says "100 % ± 0"; Wilson keeps about 76 % possible.
    const all = wilsonInterval(12, 12, z);
    expect(all.upper).toBe(1);
    expect(all.lower).toBeLessThan(0.76);
  });

  it('refuses impossible counts and levels', () => {
    expect(() => wilsonInterval(3, 0, z)).toThrow(StatsInputError);
    expect(() => wilsonInterval(5, 4, z)).toThrow(StatsInputError);
    expect(() => wilsonInterval(1.5, 4, z)).toThrow(StatsInputError);
    expect(() => twoSidedZ(1)).toThrow(StatsInputError);
    expect(() => studentTQuantile(0.9, 2.5)).toThrow(StatsInputError);
  });
});
