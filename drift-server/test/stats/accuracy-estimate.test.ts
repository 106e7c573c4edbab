import {
  accuracySums,
  addAccuracySums,
  BinaryOutcome,
  calibrate,
  Calibration,
  ClassifiedRow,
  estimatedAccuracyOf,
  NO_ACCURACY_SUMS,
  predictedClass,
  realizedAccuracyOf,
  windowAccuracy,
} from '../../src/stats/accuracy-estimate';
import { studentTQuantile } from '../../src/stats/intervals';
import { fitIsotonic, IsotonicFit, predictIsotonic } from '../../src/stats/isotonic';
import { createRandom } from '../../src/demo/random';

const row = (
  probability: number | null,
  prediction: BinaryOutcome | null,
  label: BinaryOutcome | null
): ClassifiedRow => ({ probability, prediction, label });
const Z_95 = 1.959963984540054;
const constant = (value: number): IsotonicFit => ({ thresholds: [0], values: [value] });
const estimate = (calibration: Calibration, rows: ClassifiedRow[]) => windowAccuracy(calibration, rows).estimated;

describe('predicted class', () => {
  it("takes the model's prediction column when present, else probability ≥ threshold", () => {
    expect(predictedClass(row(0.9, 0, null))).toBe(0);
    expect(predictedClass(row(0.5, null, null))).toBe(1);
    expect(predictedClass(row(0.49, null, null))).toBe(0);
    expect(predictedClass(row(0.6, null, null), 0.7)).toBe(0);
    expect(predictedClass(row(null, null, 1))).toBeNull();
  });
});

describe('CBPE by hand, one fit', () => {
  // At probability 0.2 one default in five, at 0.8 four in five: the fit is the identity on the two
  // knots and linear between them. One fit is how references were calibrated before cross-fitting.
  const single: Calibration = {
    fits: [
      fitIsotonic([
        ...[1, 0, 0, 0, 0].map((outcome) => ({ probability: 0.2, outcome })),
        ...[1, 1, 1, 1, 0].map((outcome) => ({ probability: 0.8, outcome })),
      ]),
    ],
  };

  it('averages the calibrated chance of the predicted class; the band is the chance variation alone', () => {
    // 0.2 predicted 0: right with 1 − 0.2 = 0.8; 0.8 predicted 1: 0.8; 0.5 predicted 1: 0.5.
    const estimated = estimate(single, [row(0.2, null, null), row(0.8, null, null), row(0.5, null, null)]);
    expect(estimated?.value).toBeCloseTo(2.1 / 3, 12);
    const sd = Math.sqrt(0.8 * 0.2 + 0.8 * 0.2 + 0.5 * 0.5) / 3;
    expect(estimated?.sampling_sd).toBeCloseTo(sd, 12);
    expect(estimated?.calibration_sd).toBeNull();
    expect(estimated?.upper).toBeCloseTo(Math.min(1, 0.7 + Z_95 * sd), 12);
    expect(estimated?.lower).toBeCloseTo(0.7 - Z_95 * sd, 12);
    expect(estimated?.rows).toBe(3);
  });

  it("uses the model's own prediction, even against its probability", () => {
    // Predicting 0 at a calibrated 0.8 is right with chance 0.2.
    expect(estimate(single, [row(0.8, 0, null)])?.value).toBeCloseTo(0.2, 12);
  });

  it('skips rows without a probability and is null when none is left', () => {
    expect(estimate(single, [row(null, 1, null), row(0.8, 1, null)])?.rows).toBe(1);
    expect(estimate(single, [row(null, 1, 1)])).toBeNull();
  });
});

describe('CBPE by hand, cross-fitted', () => {
  // Two folds whose fits say 0.6 and 0.8 everywhere: rows predicted 1 are right with 0.6 or 0.8.
  const folds: Calibration = { fits: [constant(0.6), constant(0.8)] };
  const rows = [row(0.9, null, null), row(0.7, null, null), row(0.6, null, null), row(0.55, null, null)];

  it('scores with the mean of the fits and keeps each fit’s Σq', () => {
    const sums = accuracySums(rows, folds);
    expect(sums.chance).toBeCloseTo(4 * 0.7, 12);
    expect(sums.chanceVariance).toBeCloseTo(4 * 0.7 * 0.3, 12);
    expect(sums.foldChance.map((chance) => Number(chance.toFixed(12)))).toEqual([2.4, 3.2]);
  });

  it('adds the jackknife variance over the folds, with a t quantile of K − 1 degrees of freedom, to the band', () => {
    const estimated = estimatedAccuracyOf(accuracySums(rows, folds)) as NonNullable<
      ReturnType<typeof estimatedAccuracyOf>
    >;
    // estimateₖ = 0.6 and 0.8 around 0.7: (K − 1)/K · Σ (estimateₖ − 0.7)² = ½ · 0.02 = 0.01.
    expect(estimated.calibration_sd).toBeCloseTo(0.1, 12);
    const sampling = (4 * 0.21) / 16;
    const halfWidth = Math.sqrt(Z_95 ** 2 * sampling + studentTQuantile(0.975, 1) ** 2 * 0.01);
    expect(estimated.lower).toBeCloseTo(Math.max(0, 0.7 - halfWidth), 12);
    expect(estimated.upper).toBeCloseTo(Math.min(1, 0.7 + halfWidth), 12);
  });

  it('adds and subtracts fold sums like every other sum', () => {
    const first = accuracySums(rows.slice(0, 1), folds);
    const rest = accuracySums(rows.slice(1), folds);
    const all = addAccuracySums(first, rest);
    const whole = accuracySums(rows, folds);
    whole.foldChance.forEach((chance, fold) => expect(all.foldChance[fold]).toBeCloseTo(chance, 12));
    expect(
      addAccuracySums(all, rest, -1)
        .foldChance.map((chance, fold) => chance - first.foldChance[fold])
        .every((left) => Math.abs(left) < 1e-12)
    ).toBe(true);
    expect(addAccuracySums(NO_ACCURACY_SUMS, whole).foldChance).toEqual(whole.foldChance);
  });
});

describe('calibrating a reference', () => {
  it('cross-fits on the rows with both a probability and a label, and scores them by the fit that did not see each', () => {
    const random = createRandom(5);
    const reference = Array.from({ length: 400 }, (_, index) => {
      const probability = random.uniform();
      return index % 7 === 0
        ? row(probability, null, null)
        : row(probability, null, random.uniform() < probability ? 1 : 0);
    });
    const { calibration, heldOut } = calibrate(reference);
    expect(calibration.fits).toHaveLength(10);
    const sample = reference.filter((one) => one.label !== null);
    expect(heldOut.scored).toBe(sample.length);
    expect(heldOut.labelled).toBe(sample.length);
    expect(heldOut.right).toBe(sample.filter((one) => predictedClass(one) === one.label).length);
    // Held-out scores come from one fit each, so they carry no per-fold sums.
    expect(heldOut.foldChance).toEqual([]);
  });
});

describe('realized accuracy', () => {
  it('is the share of labelled rows predicted right, with the Wilson band', () => {
    const rows = [row(0.9, 1, 1), row(0.1, 0, 0), row(0.7, 1, 0), row(0.4, null, 0), row(0.8, 1, null)];
    const realized = realizedAccuracyOf(accuracySums(rows, null));
    // Labelled: 4 rows, right: 3 (the 0.7 row predicted 1 with label 0 is wrong).
    expect(realized?.value).toBe(0.75);
    expect(realized?.rows).toBe(4);
    const centre = (0.75 + Z_95 ** 2 / 8) / (1 + Z_95 ** 2 / 4);
    const halfWidth = (Z_95 * Math.sqrt((0.75 * 0.25) / 4 + Z_95 ** 2 / 64)) / (1 + Z_95 ** 2 / 4);
    expect(realized?.lower).toBeCloseTo(centre - halfWidth, 12);
    expect(realizedAccuracyOf(accuracySums([row(0.9, 1, null)], null))).toBeNull();
  });

  it('keeps a band at all-right and all-wrong windows, where the Wald band was a point', () => {
    const allRight = realizedAccuracyOf(
      accuracySums(
        Array.from({ length: 12 }, () => row(0.9, 1, 1)),
        null
      )
    );
    expect(allRight?.upper).toBe(1);
    expect(allRight?.lower).toBeLessThan(0.76);
    const allWrong = realizedAccuracyOf(
      accuracySums(
        Array.from({ length: 30 }, () => row(0.9, 1, 0)),
        null
      )
    );
    expect(allWrong?.lower).toBe(0);
    expect(allWrong?.upper).toBeGreaterThan(0.1);
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
    const result = windowAccuracy(calibrate(reference).calibration, production);
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

describe('the estimate band covers realized accuracy with a 300-row reference', () => {
  /** A calibrated model: logit scores ~ N(0, 1.8), labels drawn from the probabilities. */
  function window(seed: number, size: number): ClassifiedRow[] {
    const random = createRandom(seed);
    return Array.from({ length: size }, () => {
      const probability = 1 / (1 + Math.exp(-1.8 * random.normal()));
      return row(probability, null, random.uniform() < probability ? 1 : 0);
    });
  }

  it('covers at least 85 % of windows once the calibration error is in the band; the chance variation alone covers far fewer', () => {
    // 80 references of 300 rows, each against a 2 000-row window: the calibration error dominates.
    let covered = 0;
    let coveredBySamplingAlone = 0;
    const references = 80;
    for (let seed = 0; seed < references; seed += 1) {
      const { calibration } = calibrate(window(1_000 + seed, 300));
      const { estimated, realized } = windowAccuracy(calibration, window(5_000 + seed, 2_000));
      const [value, actual] = [estimated?.value as number, realized?.value as number];
      if (actual >= (estimated?.lower as number) && actual <= (estimated?.upper as number)) covered += 1;
      if (Math.abs(actual - value) <= Z_95 * (estimated?.sampling_sd as number)) coveredBySamplingAlone += 1;
    }
    expect(covered / references).toBeGreaterThanOrEqual(0.85);
    expect(coveredBySamplingAlone / references).toBeLessThan(0.7);
  });
});

describe('scoring with several fits', () => {
  it('gives each fit’s own calibrated values (fits merged onto one grid of their knots), in and outside their ranges', () => {
    const random = createRandom(17);
    const fits = [0, 1, 2].map((shift) =>
      fitIsotonic(
        Array.from({ length: 40 + 10 * shift }, () => {
          const probability = 0.1 * shift + 0.8 * random.uniform();
          return { probability, outcome: random.uniform() < probability ? 1 : 0 };
        })
      )
    );
    const rows = Array.from({ length: 500 }, () => row(1.2 * random.uniform() - 0.1, null, null)).map((one) => ({
      ...one,
      probability: Math.min(1, Math.max(0, one.probability as number)),
    }));
    const sums = accuracySums(rows, { fits });
    fits.forEach((fit, fold) => {
      const direct = rows.reduce((total, one) => {
        const positive = predictIsotonic(fit, one.probability as number);
        return total + (predictedClass(one) === 1 ? positive : 1 - positive);
      }, 0);
      expect(sums.foldChance[fold]).toBeCloseTo(direct, 10);
    });
  });
});
