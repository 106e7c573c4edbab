import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  chiSquareCdf,
  chiSquarePpf,
  chiSquareSf,
  hypergeometricUpperTail,
  logGamma,
  regularizedGammaP,
  regularizedGammaQ,
} from '../../src/stats/special';
import { StatsInputError } from '../../src/stats/types';
import { loadOracleCases } from '../support/oracle';
import { python } from '../support/scipy';
import { withinRelative } from '../support/tolerance';

interface SpecialVectors {
  readonly chi2: [dof: number, x: number, cdf: number, sf: number][];
  readonly chi2_ppf: [dof: number, p: number, x: number][];
  readonly gamma: {
    readonly log_gamma: [x: number, value: number][];
    readonly incomplete: [a: number, x: number, p: number, q: number][];
  };
}

const vectors = JSON.parse(
  readFileSync(path.resolve(__dirname, '../fixtures/ks-chi2-vectors.json'), 'utf8')
) as SpecialVectors;

/** Relative agreement, except that values scipy reports below 1e-300 only need to be as tiny. */
function expectRelative(actual: number, expected: number, relative: number, label: string): void {
  const ok = Math.abs(expected) < 1e-300 ? Math.abs(actual) < 1e-290 : withinRelative(actual, expected, relative);
  if (!ok) throw new Error(`${label}: expected ${expected} within ${relative} relative, got ${actual}`);
}

describe('logGamma', () => {
  it.each(vectors.gamma.log_gamma)('matches scipy gammaln(%p)', (x, expected) => {
    expect(Math.abs(logGamma(x) - expected)).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(expected)));
  });

  it('gives ln((n−1)!) at integers', () => {
    let factorial = 1;
    for (let n = 1; n <= 25; n++) {
      expect(Math.abs(logGamma(n) - Math.log(factorial))).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.log(factorial)));
      factorial *= n;
    }
  });

  it.each([0, -1, NaN, Infinity, -Infinity])('rejects %p', (x) => {
    expect(() => logGamma(x)).toThrow(StatsInputError);
  });
});

describe('regularized incomplete gamma', () => {
  it.each(vectors.gamma.incomplete)('P(%p, %p) and Q match scipy gammainc / gammaincc', (a, x, p, q) => {
    expectRelative(regularizedGammaP(a, x), p, 1e-12, 'P');
    expectRelative(regularizedGammaQ(a, x), q, 1e-12, 'Q');
  });

  it('has P(1, x) = 1 − e^−x and Q(1, x) = e^−x', () => {
    for (const x of [1e-8, 0.3, 1, 2, 7.5, 40, 300]) {
      expectRelative(regularizedGammaP(1, x), -Math.expm1(-x), 1e-13, `P(1, ${x})`);
      expectRelative(regularizedGammaQ(1, x), Math.exp(-x), 1e-13, `Q(1, ${x})`);
    }
  });

  it('is 0 / 1 at x = 0', () => {
    expect(regularizedGammaP(2.5, 0)).toBe(0);
    expect(regularizedGammaQ(2.5, 0)).toBe(1);
  });

  it('keeps P + Q = 1 and P increasing in x', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 500, noNaN: true }),
        fc.double({ min: 0, max: 1000, noNaN: true }),
        (a, x) => {
          const p = regularizedGammaP(a, x);
          expect(Math.abs(p + regularizedGammaQ(a, x) - 1)).toBeLessThanOrEqual(1e-13);
          expect(regularizedGammaP(a, x * 1.01 + 1e-9)).toBeGreaterThanOrEqual(p);
        }
      )
    );
  });

  it.each([
    [0, 1],
    [-1, 1],
    [1, -0.5],
    [NaN, 1],
    [1, NaN],
    [Infinity, 1],
    [1, Infinity],
  ])('rejects a = %p, x = %p', (a, x) => {
    expect(() => regularizedGammaP(a, x)).toThrow(StatsInputError);
    expect(() => regularizedGammaQ(a, x)).toThrow(StatsInputError);
  });
});

describe('chi-square distribution', () => {
  it.each(vectors.chi2)('cdf and sf match scipy at dof %p, x %p', (dof, x, cdf, sf) => {
    expectRelative(chiSquareCdf(x, dof), cdf, 1e-12, 'cdf');
    expectRelative(chiSquareSf(x, dof), sf, 1e-12, 'sf');
  });

  it.each(vectors.chi2_ppf)('ppf matches scipy at dof %p, p %p', (dof, p, x) => {
    expectRelative(chiSquarePpf(p, dof), x, 1e-12, 'ppf');
  });

  describe('ppf for large degrees of freedom, against scipy chi2.ppf', () => {
    // A log-spaced grid to 10^6 and the dof the Halley iteration used to lose its bracket at (7 823: 5 101 instead of 8 028).
    const dofs = [
      ...Array.from({ length: 61 }, (_, step) => Math.round(10 ** (step / 10))),
      4_250,
      4_999,
      7_823,
      12_345,
      999_999,
    ];
    const probabilities = [1e-9, 0.001, 0.05, 0.5, 0.95, 0.99, 0.999, 1 - 1e-9];
    const expected = python<number[][]>(
      'emit([[float(stats.chi2.ppf(p, d)) for p in data["p"]] for d in data["dof"]])',
      { dof: dofs, p: probabilities }
    );

    it.each(dofs.map((dof, row) => [dof, row]))('dof %p', (dof, row) => {
      probabilities.forEach((p, column) =>
        expectRelative(chiSquarePpf(p, dof), expected[row][column], 1e-10, `ppf(${p}, ${dof})`)
      );
    });
  });

  it('keeps relative precision far in the upper tail', () => {
    // χ²(2) has sf = e^(−x/2) exactly; 1 − cdf would already be 0 here.
    expectRelative(chiSquareSf(1200, 2), Math.exp(-600), 1e-12, 'sf(1200, 2)');
    expect(chiSquareCdf(1200, 2)).toBe(1);
  });

  it('inverts the cdf', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-9, max: 1 - 1e-9, noNaN: true }), fc.integer({ min: 1, max: 300 }), (p, dof) => {
        const x = chiSquarePpf(p, dof);
        const roundTrip = p <= 0.5 ? chiSquareCdf(x, dof) : 1 - chiSquareSf(x, dof);
        expect(Math.abs(roundTrip - p)).toBeLessThanOrEqual(1e-12 * Math.max(p, 1e-3));
      })
    );
  });

  it('has the ppf end points 0 and +∞', () => {
    expect(chiSquarePpf(0, 3)).toBe(0);
    expect(chiSquarePpf(1, 3)).toBe(Infinity);
  });

  it.each([
    [-1, 2],
    [NaN, 2],
    [Infinity, 2],
    [-Infinity, 2],
    [1, 0],
    [1, -3],
    [1, NaN],
    [1, Infinity],
  ])('cdf and sf reject x = %p, dof = %p', (x, dof) => {
    expect(() => chiSquareCdf(x, dof)).toThrow(StatsInputError);
    expect(() => chiSquareSf(x, dof)).toThrow(StatsInputError);
  });

  it.each([
    [-0.1, 2],
    [1.1, 2],
    [NaN, 2],
    [Infinity, 2],
    [0.5, 0],
    [0.5, -Infinity],
  ])('ppf rejects p = %p, dof = %p', (p, dof) => {
    expect(() => chiSquarePpf(p, dof)).toThrow(StatsInputError);
  });
});

describe('psi_critical of the shared oracle', () => {
  const total = (counts: number[]) => counts.reduce((sum, count) => sum + count, 0);

  it.each(loadOracleCases().map((oracleCase) => [oracleCase.name, oracleCase.expected] as const))(
    '%s: χ²₀.₉₅(K−1)·(1/N + 1/M)',
    (_name, expected) => {
      const referenceCounts = expected.reference_counts as number[];
      const productionCounts = expected.production_counts as number[];
      const occupiedBins = referenceCounts.filter((count, bin) => count > 0 || productionCounts[bin] > 0).length;
      const critical =
        chiSquarePpf(0.95, occupiedBins - 1) * (1 / total(referenceCounts) + 1 / total(productionCounts));
      expectRelative(critical, expected.psi_critical as number, 1e-9, 'psi_critical');
    }
  );
});

describe('hypergeometric upper tail (one-sided Fisher exact test)', () => {
  // [k, population, successes, draws]: missing values and out-of-range counts as the verdict meets them.
  const cases: [number, number, number, number][] = [
    [1, 20_125, 1, 125],
    [3, 20_125, 3, 125],
    [2, 20_127, 2, 125],
    [60, 200, 100, 100],
    [45, 23_000, 9_300, 3_000],
    [1_200, 23_000, 9_300, 3_000],
    [1_400, 23_000, 9_300, 3_000],
    [125, 20_125, 18_125, 125],
    [0, 10, 3, 4],
    [3, 10, 3, 4],
    [4, 10, 3, 4],
    [520, 1_000_000, 1_000, 500_000],
    [40_000, 2_000_000, 60_000, 1_000_000],
  ];
  const expected = python<number[]>('emit([float(stats.hypergeom.sf(k - 1, N, K, n)) for k, N, K, n in data])', cases);

  it.each(cases.map((row, index) => [...row, index]))(
    'P(X ≥ %p) for N = %p, K = %p, n = %p matches scipy hypergeom.sf',
    (k, population, successes, draws, index) => {
      const tail = hypergeometricUpperTail(k, population, successes, draws);
      const reference = expected[index];
      if (reference < 1e-300) expect(tail).toBeLessThan(1e-290);
      // ln C(n, k) of millions loses ~1e-9 of relative precision to cancellation; p-values need far less.
      else expectRelative(tail, reference, 1e-7, 'tail');
    }
  );

  it('rejects impossible tables', () => {
    expect(() => hypergeometricUpperTail(1, 10, 11, 2)).toThrow(StatsInputError);
    expect(() => hypergeometricUpperTail(1.5, 10, 3, 2)).toThrow(StatsInputError);
    expect(() => hypergeometricUpperTail(1, 10, 3, -2)).toThrow(StatsInputError);
  });
});
