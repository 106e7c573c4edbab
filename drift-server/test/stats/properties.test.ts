import fc from 'fast-check';
import { probit } from 'simple-statistics';
import { compareCategorical, compareFeature, compareNumeric, FeatureKind, StatsInputError } from '../../src/stats';

const finiteValue = fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true });
const numericSample = fc.array(
  fc.oneof({ weight: 9, arbitrary: finiteValue }, { weight: 1, arbitrary: fc.constant(null) }),
  {
    minLength: 1,
    maxLength: 300,
  }
);
const categoricalSample = fc.array(fc.oneof(fc.constantFrom('a', 'b', 'c', 'd'), fc.constant(null)), {
  minLength: 1,
  maxLength: 300,
});

/** A smooth standard-normal-shaped sample: the normal quantiles at (i + ½)/n. */
function normalGrid(size: number): number[] {
  return Array.from({ length: size }, (_, i) => probit((i + 0.5) / size));
}

describe('identical samples show no drift', () => {
  it('numeric: PSI = KL = JS = D = 0 and p = 1', () => {
    fc.assert(
      fc.property(numericSample, (sample) => {
        fc.pre(sample.some((value) => value !== null));
        const result = compareNumeric(sample, sample);
        expect([result.psi, result.kl, result.js, result.ks_statistic]).toEqual([0, 0, 0, 0]);
        expect(result.ks_pvalue).toBe(1);
      })
    );
  });

  it('categorical: PSI = KL = JS = chi-square = 0 and p = 1', () => {
    fc.assert(
      fc.property(categoricalSample, (sample) => {
        const result = compareCategorical(sample, sample);
        expect([result.psi, result.kl, result.js, result.chi2_statistic]).toEqual([0, 0, 0, 0]);
        expect(result.chi2_pvalue).toBe(1);
      })
    );
  });
});

describe('ranges', () => {
  it('PSI and KL-free bounds hold for any pair of numeric samples: PSI ≥ 0, JS ∈ [0, 1], p ∈ [0, 1]', () => {
    fc.assert(
      fc.property(numericSample, numericSample, (reference, production) => {
        fc.pre(reference.some((value) => value !== null));
        const result = compareNumeric(reference, production);
        expect(result.psi).toBeGreaterThanOrEqual(0);
        expect(result.js).toBeGreaterThanOrEqual(0);
        expect(result.js).toBeLessThanOrEqual(1);
        if (result.ks_pvalue !== null) {
          expect(result.ks_pvalue).toBeGreaterThanOrEqual(0);
          expect(result.ks_pvalue).toBeLessThanOrEqual(1);
        }
      })
    );
  });

  it('JS distance reaches 1 for disjoint supports', () => {
    const result = compareCategorical(['a', 'a', 'b'], ['c', 'd', 'd']);
    expect(result.js).toBeCloseTo(1, 12);
  });
});

describe('PSI grows with a growing mean shift', () => {
  const shifts = [0, 0.1, 0.25, 0.5, 1, 1.5, 2, 3];

  it('is strictly increasing in the shift, for any location and scale', () => {
    const base = normalGrid(4000);
    fc.assert(
      fc.property(
        fc.double({ min: -1e3, max: 1e3, noNaN: true }),
        fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
        (location, scale) => {
          const reference = base.map((z) => location + scale * z);
          const psis = shifts.map(
            (shift) =>
              compareNumeric(
                reference,
                base.map((z) => location + scale * (z + shift))
              ).psi
          );
          for (let k = 1; k < psis.length; k += 1) expect(psis[k]).toBeGreaterThan(psis[k - 1]);
        }
      ),
      { numRuns: 25 }
    );
  });
});

describe('bad input is an error with a clear message, never NaN', () => {
  it('rejects an empty reference', () => {
    expect(() => compareNumeric([], [1, 2])).toThrow(new StatsInputError('reference sample is empty'));
    expect(() => compareCategorical([], ['a'])).toThrow(StatsInputError);
  });

  it('rejects a reference with only missing values', () => {
    expect(() => compareNumeric([null, Number.NaN], [1])).toThrow(/no non-missing values/);
  });

  it.each([Infinity, -Infinity])('rejects %s on either side', (value) => {
    expect(() => compareNumeric([1, value, 3], [1, 2])).toThrow(/reference sample holds a non-finite value/);
    expect(() => compareNumeric([1, 2, 3], [value])).toThrow(/production sample holds a non-finite value/);
  });

  it('rejects an unknown feature kind', () => {
    expect(() => compareFeature('ordinal' as FeatureKind, [1], [1])).toThrow(/unknown feature kind "ordinal"/);
  });

  it('rejects bucket counts that are not whole numbers from 2 to 1000', () => {
    for (const buckets of [1, 2.5, 1001])
      expect(() => compareNumeric([1, 2, 3], [1], { buckets })).toThrow(/buckets must be/);
  });

  it('gives an all-missing production side finite metrics and no KS', () => {
    const reference = normalGrid(500);
    const result = compareNumeric(reference, new Array(500).fill(null));
    expect(Number.isFinite(result.psi)).toBe(true);
    expect([result.ks_statistic, result.ks_pvalue]).toEqual([null, null]);
    expect(result.production_stats).toMatchObject({ count: 0, missing: 500, mean: null, std: null });
  });
});
