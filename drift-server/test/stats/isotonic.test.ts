import fc from 'fast-check';
import { createRandom } from '../../src/demo/random';
import { CROSS_FIT_FOLDS, crossFitIsotonic, fitIsotonic, predictIsotonic } from '../../src/stats/isotonic';
import { StatsInputError } from '../../src/stats/types';

const point = (probability: number, outcome: number) => ({ probability, outcome });

describe('pool-adjacent-violators, by hand', () => {
  it('pools a violating pair into its mean and keeps the ordered blocks', () => {
    // Outcomes by probability: 0, 1, 0, 1, 1. The pair (1, 0) at 0.2 and 0.3 violates the order and
    // is pooled to 0.5; everything else is already non-decreasing.
    const fit = fitIsotonic([point(0.4, 1), point(0.1, 0), point(0.3, 0), point(0.5, 1), point(0.2, 1)]);
    expect(fit.thresholds).toEqual([0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(fit.values).toEqual([0, 0.5, 0.5, 1, 1]);
  });

  it('treats tied probabilities as one weighted block and pools backwards through several blocks', () => {
    // Blocks: 0.1 → 1 (weight 1), 0.2 → 1/3 (weight 3), 0.3 → 0, 0.6 → 1.
    // 1 > 1/3 pools to 2/4 = 0.5 over [0.1, 0.2]; then 0.5 > 0 pools to 2/5 = 0.4 over [0.1, 0.3]; 0.4 ≤ 1 stops.
    const fit = fitIsotonic([point(0.1, 1), point(0.2, 1), point(0.2, 0), point(0.2, 0), point(0.3, 0), point(0.6, 1)]);
    expect(fit.thresholds).toEqual([0.1, 0.3, 0.6]);
    expect(fit.values.map((value) => Number(value.toFixed(12)))).toEqual([0.4, 0.4, 1]);
  });

  it('interpolates linearly between knots and holds the end values outside them', () => {
    const fit = fitIsotonic([point(0.1, 1), point(0.2, 1), point(0.2, 0), point(0.2, 0), point(0.3, 0), point(0.6, 1)]);
    expect(predictIsotonic(fit, 0.2)).toBeCloseTo(0.4, 12);
    // Halfway between (0.3, 0.4) and (0.6, 1): 0.4 + 0.5 · 0.6.
    expect(predictIsotonic(fit, 0.45)).toBeCloseTo(0.7, 12);
    expect(predictIsotonic(fit, 0)).toBeCloseTo(0.4, 12);
    expect(predictIsotonic(fit, 0.99)).toBe(1);
  });

  it('rejects an empty reference and values it cannot fit', () => {
    expect(() => fitIsotonic([])).toThrow(StatsInputError);
    expect(() => fitIsotonic([point(Number.NaN, 1)])).toThrow(StatsInputError);
    expect(() => fitIsotonic([point(0.5, 2)])).toThrow(StatsInputError);
  });
});

describe('isotonic fit, properties', () => {
  const points = fc.array(
    fc.record({ probability: fc.double({ min: 0, max: 1, noNaN: true }), outcome: fc.constantFrom(0, 1) }),
    { minLength: 1, maxLength: 200 }
  );

  it('is non-decreasing in the fitted values and in its predictions, and stays within [0, 1]', () => {
    fc.assert(
      fc.property(
        points,
        fc.array(fc.double({ min: -0.5, max: 1.5, noNaN: true }), { minLength: 2, maxLength: 20 }),
        (sample, probes) => {
          const fit = fitIsotonic(sample);
          for (let index = 1; index < fit.values.length; index += 1) {
            expect(fit.values[index]).toBeGreaterThanOrEqual(fit.values[index - 1]);
            expect(fit.thresholds[index]).toBeGreaterThan(fit.thresholds[index - 1]);
          }
          const predictions = [...probes]
            .sort((left, right) => left - right)
            .map((probe) => predictIsotonic(fit, probe));
          for (let index = 1; index < predictions.length; index += 1)
            expect(predictions[index]).toBeGreaterThanOrEqual(predictions[index - 1] - 1e-12);
          for (const prediction of predictions) expect(prediction >= 0 && prediction <= 1).toBe(true);
        }
      )
    );
  });

  it('keeps the mean outcome: pooling replaces values by their mean, so the weighted fit sums to the outcomes', () => {
    fc.assert(
      fc.property(points, (sample) => {
        const fit = fitIsotonic(sample);
        const fitted = sample.reduce((sum, { probability }) => sum + predictIsotonic(fit, probability), 0);
        const observed = sample.reduce((sum, { outcome }) => sum + outcome, 0);
        expect(fitted).toBeCloseTo(observed, 8);
      })
    );
  });

  it('reproduces outcomes that are already ordered by probability', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 50 }),
        fc.nat(),
        (thousandthsList, split) => {
          const sorted = thousandthsList.map((thousandths) => thousandths / 1000).sort((left, right) => left - right);
          const firstPositive = split % (sorted.length + 1);
          const fit = fitIsotonic(
            sorted.map((probability, index) => point(probability, index >= firstPositive ? 1 : 0))
          );
          sorted.forEach((probability, index) =>
            expect(predictIsotonic(fit, probability)).toBe(index >= firstPositive ? 1 : 0)
          );
        }
      )
    );
  });
});

describe('cross-fitted isotonic calibration', () => {
  const random = createRandom(11);
  const points = Array.from({ length: 253 }, () => {
    const probability = random.uniform();
    return { probability, outcome: random.uniform() < probability ? 1 : 0 };
  });

  it('deals the points into 10 folds of equal size (±1) and fits each fold’s fit on the other folds only', () => {
    const { folds, fits, heldOut } = crossFitIsotonic(points);
    expect(fits).toHaveLength(CROSS_FIT_FOLDS);
    const sizes = Array.from({ length: CROSS_FIT_FOLDS }, (_, fold) => folds.filter((one) => one === fold).length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    fits.forEach((fit, fold) => expect(fit).toEqual(fitIsotonic(points.filter((_, index) => folds[index] !== fold))));
    points.forEach((point, index) =>
      expect(heldOut[index]).toBe(predictIsotonic(fits[folds[index]], point.probability))
    );
  });

  it('gives the same folds for the same points, unrelated to their order', () => {
    expect(crossFitIsotonic(points).folds).toEqual(crossFitIsotonic(points).folds);
    // Points sorted by probability still land in every fold across the whole range.
    const sorted = [...points].sort((left, right) => left.probability - right.probability);
    const { folds } = crossFitIsotonic(sorted);
    const firstTenth = new Set(folds.slice(0, 60));
    expect(firstTenth.size).toBeGreaterThan(5);
  });

  it('refuses fewer points than folds', () => {
    expect(() => crossFitIsotonic(points.slice(0, 9))).toThrow(StatsInputError);
    expect(() => crossFitIsotonic(points, 1)).toThrow(StatsInputError);
  });
});
