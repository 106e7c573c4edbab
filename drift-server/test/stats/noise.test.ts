import {
  benjaminiHochberg,
  chiSquareHomogeneity,
  DEFAULT_THRESHOLDS,
  featureTests,
  poolBins,
  smoothedPsi,
  smoothedPsiNoise,
  StatsInputError,
} from '../../src/stats';
import { python } from '../support/scipy';

describe('pooling sparse bins', () => {
  it('merges consecutive bins until each expects 5 rows; a remainder expecting 1 stands alone, a smaller one joins the last group', () => {
    const shares = [0.4, 0.3, 0.1, 0.1, 0.05, 0.05];
    expect(poolBins(shares, [0, 1, 2, 3, 4, 5], 1000)).toEqual([[0], [1], [2], [3], [4], [5]]);
    expect(poolBins(shares, [0, 1, 2, 3, 4, 5], 50)).toEqual([[0], [1], [2], [3], [4, 5]]);
    expect(poolBins(shares, [0, 1, 2, 3, 4, 5], 20)).toEqual([[0], [1], [2, 3, 4], [5]]);
    expect(poolBins(shares, [0, 1, 2, 3, 4, 5], 5)).toEqual([[0, 1, 2, 3, 4, 5]]);
    expect(poolBins([0.7, 0.28, 0.02], [0, 1, 2], 20)).toEqual([[0], [1, 2]]);
  });

  it('keeps the rare values a Poisson(0.5) count moves onto apart from the value they moved from, even at 50 rows', () => {
    // Values 0–5 with shares 61, 30, 7.6, 1.3, 0.2, 0.02 %: moving 1 → 3 and 2 → 4 must stay visible.
    expect(poolBins([0.61, 0.3, 0.076, 0.013, 0.0016, 0.0002], [0, 1, 2, 3, 4, 5], 50)).toEqual([
      [0],
      [1],
      [2, 3, 4, 5],
    ]);
  });

  it('keeps every bin apart again once the window is large: rare categories are pooled, never hidden for good', () => {
    const shares = Array.from({ length: 200 }, () => 1 / 200);
    const order = shares.map((_, bin) => bin);
    expect(poolBins(shares, order, 300)).toHaveLength(50);
    expect(poolBins(shares, order, 1000)).toHaveLength(200);
  });
});

describe('smoothed PSI', () => {
  it('is (a − e)·ln(a/e) summed over shares (k + ½)/(n + G/2)', () => {
    const a = [10.5 / 20.5, 0.5 / 20.5, 9.5 / 20.5];
    const e = [50.5 / 101.5, 25.5 / 101.5, 25.5 / 101.5];
    const expected = a.reduce((sum, share, bin) => sum + (share - e[bin]) * Math.log(share / e[bin]), 0);
    expect(smoothedPsi([50, 25, 25], [10, 0, 9])).toBeCloseTo(expected, 14);
  });

  it('rejects vectors of different lengths and shares outside (0, 1)', () => {
    expect(() => smoothedPsi([1, 2], [1])).toThrow(StatsInputError);
    expect(() => smoothedPsiNoise([1], 10, 10)).toThrow(StatsInputError);
  });
});

/**
 * The noise model against numpy: for baselines and windows drawn from the same shares, numpy's
 * simulated mean of the smoothed PSI must match smoothedPsiNoise (within 4 standard errors), and
 * the share of windows whose shift test rejects at 5 % and 1 % must be the nominal level within
 * binomial error — at small windows with pooling as much as at large ones.
 */
describe('the null distribution, simulated with numpy', () => {
  const RUNS = 4000;
  const cases = [
    { name: 'ten equal bins, 50 vs 20 000 rows', shares: new Array(10).fill(0.1), production: 50, reference: 20_000 },
    {
      name: 'ten equal bins, 30 rows (pooled to five)',
      shares: new Array(10).fill(0.1),
      production: 30,
      reference: 20_000,
    },
    {
      name: 'ten equal bins, 1 000 vs 200 rows (a small baseline)',
      shares: new Array(10).fill(0.1),
      production: 1000,
      reference: 200,
    },
    {
      name: 'a 20-level categorical with rare levels, 200 rows',
      shares: [0.3, 0.2, 0.1, 0.1, 0.05, 0.05, 0.05, 0.03, 0.02, 0.02, ...new Array(10).fill(0.008)],
      production: 200,
      reference: 20_000,
    },
    {
      name: 'Poisson(4) per value, 125 rows',
      shares: [0.018, 0.073, 0.147, 0.195, 0.195, 0.156, 0.104, 0.06, 0.03, 0.013, 0.005, 0.002, 0.002],
      production: 125,
      reference: 20_000,
    },
  ];
  const simulated = python<{ reference: number[][]; production: number[][]; psi_mean: number; psi_se: number }[]>(
    `
out = []
for i, case in enumerate(data["cases"]):
    rng = np.random.default_rng(1000 + i)
    p = np.array(case["shares"]) / sum(case["shares"])
    ref = rng.multinomial(case["reference"], p, size=data["runs"])
    prod = rng.multinomial(case["production"], p, size=data["runs"])
    # numpy's own smoothed PSI of the unpooled bins, for the noise mean (large samples only, below).
    g = len(p)
    a = (prod + 0.5) / (case["production"] + g / 2)
    e = (ref + 0.5) / (case["reference"] + g / 2)
    psi = ((a - e) * np.log(a / e)).sum(axis=1)
    out.append({"reference": ref.tolist(), "production": prod.tolist(), "psi_mean": float(psi.mean()), "psi_se": float(psi.std() / np.sqrt(len(psi)))})
emit(out)
`,
    { cases, runs: RUNS }
  );

  it.each(cases.map((testCase, index) => [testCase.name, index]))(
    '%s: the shift test holds its level',
    (_name, index) => {
      const { reference, production } = simulated[index as number];
      const pValues = reference.map((counts, run) => {
        const tests = featureTests(
          {
            kind: 'categorical',
            binning: null,
            reference: { counts, missing: 0 },
            production: { counts: production[run], missing: 0 },
          },
          DEFAULT_THRESHOLDS
        );
        return tests.shift?.p_value ?? 1;
      });
      for (const level of [0.05, 0.01]) {
        const rejected = pValues.filter((p) => p <= level).length / RUNS;
        const standardError = Math.sqrt((level * (1 - level)) / RUNS);
        // Within 3.5 standard errors of the level: valid, and not so conservative that it wastes power.
        expect(Math.abs(rejected - level)).toBeLessThan(3.5 * standardError);
      }
    }
  );

  it.each(cases.map((testCase, index) => [testCase.name, index]))(
    '%s: psi_noise is the simulated mean of the smoothed PSI',
    (_name, index) => {
      const testCase = cases[index as number];
      const { psi_mean: mean, psi_se: standardError } = simulated[index as number];
      const shares = testCase.shares.map((share) => share / testCase.shares.reduce((sum, value) => sum + value, 0));
      expect(Math.abs(smoothedPsiNoise(shares, testCase.reference, testCase.production) - mean)).toBeLessThan(
        4 * standardError
      );
    }
  );

  it('chiSquareHomogeneity of pooled bins matches scipy chi2_contingency', () => {
    const tables = simulated.slice(0, 3).map(({ reference, production }) => [reference[0], production[0]]);
    const expected = python<number[]>(
      'emit([float(stats.chi2_contingency(np.array(t), correction=False)[1]) for t in data])',
      tables
    );
    tables.forEach(([reference, production], index) => {
      expect(chiSquareHomogeneity(reference, production).pvalue).toBeCloseTo(expected[index], 10);
    });
  });
});

describe('Benjamini–Hochberg', () => {
  it('matches scipy.stats.false_discovery_control(method="bh") (statsmodels fdr_bh where scipy predates it)', () => {
    const families = python<number[][]>(
      `
rng = np.random.default_rng(7)
emit([np.concatenate([rng.uniform(size=m - k), rng.uniform(0, 1e-3, size=k)]).tolist() for m, k in [(3, 0), (21, 2), (60, 5), (60, 0), (200, 30)]] + [[0.01, 0.01, 0.04, 1.0], [0.0, 1.0]])
`
    );
    const expected = python<number[][]>(
      `
if hasattr(stats, "false_discovery_control"):
    adjust = lambda p: stats.false_discovery_control(np.array(p), method="bh")
else:
    from statsmodels.stats.multitest import multipletests
    adjust = lambda p: multipletests(p, method="fdr_bh")[1]
emit([adjust(p).tolist() for p in data])
`,
      families
    );
    families.forEach((family, index) => {
      const adjusted = benjaminiHochberg(family);
      adjusted.forEach((q, position) => expect(q).toBeCloseTo(expected[index][position], 12));
    });
  });

  it('rejects p-values outside [0, 1]', () => {
    expect(() => benjaminiHochberg([0.5, 1.2])).toThrow(StatsInputError);
    expect(() => benjaminiHochberg([Number.NaN])).toThrow(StatsInputError);
  });
});
