import {
  BinaryOutcome,
  calibrate,
  ClassifiedRow,
  estimateAccuracy,
  predictedClass,
  realizedAccuracy,
  windowAccuracy,
} from '../../src/stats/accuracy-estimate';
import { fitIsotonic } from '../../src/stats/isotonic';
import { createRandom } from '../../src/demo/random';

const row = (probability: number | null, prediction: BinaryOutcome | null, label: BinaryOutcome | null): ClassifiedRow => ({ probability, prediction, label });
const Z_95 = 1.959963984540054;

describe('predicted class', () => {
  it("takes the model's prediction column when present, else probability ≥ threshold", () => {
    expect(predictedClass(row(0.9, 0, null))).toBe(0);
    expect(predictedClass(row(0.5, null, null))).toBe(1);
    expect(predictedClass(row(0.49, null, null))).toBe(0);
    expect(predictedClass(row(0.6, null, null), 0.7)).toBe(0);
    expect(predictedClass(row(null, null, 1))).toBeNull();
  });
});

describe('CBPE by hand', () => {
  // Reference: at probability 0.2 one default in five, at 0.8 four in five: the calibration is the
  // identity on the two knots and linear between them.
  const reference = [
    ...[1, 0, 0, 0, 0].map((label) => row(0.2, null, label as BinaryOutcome)),
    ...[1, 1, 1, 1, 0].map((label) => row(0.8, null, label as BinaryOutcome)),
  ];
  const calibration = calibrate(reference);

  it('averages the calibrated chance of the predicted class', () => {
    // 0.2 predicted 0: right with 1 − 0.2 = 0.8; 0.8 predicted 1: 0.8; 0.5 predicted 1: 0.5.
    const estimate = estimateAccuracy(calibration, [row(0.2, null, null), row(0.8, null, null), row(0.5, null, null)]);
    expect(estimate?.value).toBeCloseTo(2.1 / 3, 12);
    const halfWidth = (Z_95 * Math.sqrt(0.8 * 0.2 + 0.8 * 0.2 + 0.5 * 0.5)) / 3;
    expect(estimate?.upper).toBeCloseTo(Math.min(1, 0.7 + halfWidth), 12);
    expect(estimate?.lower).toBeCloseTo(0.7 - halfWidth, 12);
    expect(estimate?.rows).toBe(3);
  });

  it("uses the model's own prediction, even against its probability", () => {
    // Predicting 0 at a calibrated 0.8 is right with chance 0.2.
    expect(estimateAccuracy(calibration, [row(0.8, 0, null)])?.value).toBeCloseTo(0.2, 12);
  });

  it('skips rows without a probability and is null when none is left', () => {
    expect(estimateAccuracy(calibration, [row(null, 1, null), row(0.8, 1, null)])?.rows).toBe(1);
    expect(estimateAccuracy(calibration, [row(null, 1, 1)])).toBeNull();
  });

  it('calibrates only on rows with both probability and label', () => {
    const fit = calibrate([row(0.3, null, 1), row(null, null, 0), row(0.6, null, null), row(0.7, null, 0)]);
    // Left: (0.3, 1) and (0.7, 0), which violate the order and pool to 0.5.
    expect(fit).toEqual(fitIsotonic([{ probability: 0.3, outcome: 1 }, { probability: 0.7, outcome: 0 }]));
    expect(fit.values).toEqual([0.5, 0.5]);
  });
});

describe('realized accuracy', () => {
  it('is the share of labelled rows predicted right, with the binomial band', () => {
    const rows = [row(0.9, 1, 1), row(0.1, 0, 0), row(0.7, 1, 0), row(0.4, null, 0), row(0.8, 1, null)];
    const realized = realizedAccuracy(rows);
    // Labelled: 4 rows, right: 3 (the 0.7 row predicted 1 with label 0 is wrong).
    expect(realized?.value).toBe(0.75);
    expect(realized?.rows).toBe(4);
    expect(realized?.lower).toBeCloseTo(0.75 - Z_95 * Math.sqrt((0.75 * 0.25) / 4), 12);
    expect(realizedAccuracy([row(0.9, 1, null)])).toBeNull();
  });
});

describe('CBPE on a calibrated model', () => {
  /** A model whose probabilities are true: labels drawn from them. */
  function calibratedRows(seed: number, size: number, skew: (u: number) => number): ClassifiedRow[] {
    const random = createRandom(seed);
    return Array.from({ length: size }, () => {
      const probability = skew(random.uniform());
      return row(probability, null, random.uniform() < probability ? 1 : 0);
    });
  }

  it('estimates the realized accuracy within its band under covariate shift', () => {
    const reference = calibratedRows(1, 20_000, (u) => u);
    // Production leans to confident scores: accuracy rises, and the estimate must follow.
    const production = calibratedRows(2, 10_000, (u) => u ** 3);
    const result = windowAccuracy(calibrate(reference), production);
    const realized = result.realized?.value as number;
    const estimated = result.estimated?.value as number;
    // Expected accuracy E[max(p, 1 − p)] for p = u³: with c = 2^(−1/3) (where u³ = ½),
    // ∫₀ᶜ (1 − u³) du + ∫꜀¹ u³ du = c + ¼ − c⁴/2 ≈ 0.8453, well above the reference's 0.75.
    const c = 2 ** (-1 / 3);
    const expected = c + 0.25 - c ** 4 / 2;
    expect(estimated).toBeCloseTo(expected, 2);
    expect(Math.abs(realized - expected)).toBeLessThan(0.015);
    expect(result.estimate_error).toBeCloseTo(estimated - realized, 12);
    expect(realized).toBeGreaterThanOrEqual((result.estimated?.lower as number) - 0.01);
    expect(realized).toBeLessThanOrEqual((result.estimated?.upper as number) + 0.01);
  });
});
