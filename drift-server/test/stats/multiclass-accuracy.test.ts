import { estimatedAccuracyOf, realizedAccuracyOf } from '../../src/stats/accuracy-estimate';
import { crossFitIsotonic } from '../../src/stats/isotonic';
import {
  calibrateMulticlass,
  classCounts,
  macroF1,
  mostProbableClass,
  MulticlassRow,
  multiclassAccuracySums,
  predictedMulticlass,
} from '../../src/stats/multiclass-accuracy';
import { StatsInputError } from '../../src/stats/types';
import { createRandom } from '../../src/demo/random';
import { checkEstimate, CLASSES, drawMulticlassRows } from '../../../bench/multiclass-simulation';
import { python } from '../support/scipy';

const row = (probabilities: number[] | null, prediction: number | null, label: number | null): MulticlassRow => ({
  probabilities,
  prediction,
  label,
});

describe('predicted class', () => {
  it("takes the model's prediction when present, else the most probable class (the first of equals)", () => {
    expect(predictedMulticlass(row([0.1, 0.7, 0.2], 2, null))).toBe(2);
    expect(predictedMulticlass(row([0.1, 0.7, 0.2], null, null))).toBe(1);
    expect(mostProbableClass([0.4, 0.2, 0.4])).toBe(0);
    expect(predictedMulticlass(row(null, null, 1))).toBeNull();
  });

  it('refuses rows that do not fit the model: wrong number of probabilities, a class index out of range', () => {
    expect(() => multiclassAccuracySums([row([0.5, 0.5], null, null)], null, 3)).toThrow(StatsInputError);
    expect(() => multiclassAccuracySums([row([0.2, 0.3, 0.5], null, 3)], null, 3)).toThrow(/label 3/);
    expect(() => classCounts([row(null, 1.5, 0)], 3)).toThrow(/prediction 1.5/);
    expect(() => calibrateMulticlass([], 1)).toThrow(/at least 2 classes/);
  });
});

/** Random rows of a 4-class model, some without probabilities, prediction or label. */
function randomRows(seed: number, size: number): MulticlassRow[] {
  const random = createRandom(seed);
  return Array.from({ length: size }, () => {
    const raw = [0, 1, 2, 3].map(() => random.uniform() ** 2);
    const total = raw.reduce((sum, value) => sum + value, 0);
    const probabilities = raw.map((value) => value / total);
    const noisyLabel = random.uniform() < 0.6 ? mostProbableClass(probabilities) : Math.floor(random.uniform() * 4);
    return row(
      random.uniform() < 0.05 ? null : probabilities,
      random.uniform() < 0.1 ? Math.floor(random.uniform() * 4) : null,
      random.uniform() < 0.2 ? null : noisyLabel
    );
  });
}

describe('realized figures, against scikit-learn', () => {
  it('accuracy and macro F1 of the labelled rows are accuracy_score and f1_score(average="macro")', () => {
    const rows = randomRows(11, 3_000);
    // Class 3 is never predicted or labelled in the second set: sklearn leaves it out of the macro mean.
    const withoutClass3 = rows.filter((one) => one.label !== 3 && predictedMulticlass(one) !== 3);
    for (const sample of [rows, withoutClass3]) {
      const labelled = sample.filter((one) => predictedMulticlass(one) !== null && one.label !== null);
      const expected = python<{ accuracy: number; f1: number }>(
        `from sklearn.metrics import accuracy_score, f1_score
emit({"accuracy": accuracy_score(data["y"], data["p"]), "f1": f1_score(data["y"], data["p"], average="macro")})`,
        { y: labelled.map((one) => one.label), p: labelled.map(predictedMulticlass) }
      );
      const sums = multiclassAccuracySums(sample, null, 4);
      expect(realizedAccuracyOf(sums)?.value).toBeCloseTo(expected.accuracy, 12);
      expect(macroF1(classCounts(sample, 4))).toBeCloseTo(expected.f1, 12);
    }
    expect(macroF1(classCounts([row([0.5, 0.5, 0, 0], null, null)], 4))).toBeNull();
  });
});

describe('one-vs-rest CBPE, against scikit-learn isotonic regression', () => {
  it('scores each row by the calibrated probability of its predicted class, fold by fold', () => {
    const reference = drawMulticlassRows(3, 600);
    const production = drawMulticlassRows(4, 400, [0.6, -0.3, 0.2]);
    const { calibration, heldOut } = calibrateMulticlass(reference, CLASSES);
    const sums = multiclassAccuracySums(production, calibration, CLASSES);
    const folds = crossFitIsotonic(reference.map(() => ({ probability: 0, outcome: 0 }))).folds;
    const expected = python<{ fold_chance: number[]; held_out: number }>(
      `from sklearn.isotonic import IsotonicRegression
P = np.array(data["p"]); y = np.array(data["y"]); folds = np.array(data["folds"]); Q = np.array(data["q"])
pred = Q.argmax(axis=1); K = P.shape[1]
fold_chance = []; held = np.zeros(len(y))
for k in range(10):
    train = folds != k
    fits = [IsotonicRegression(y_min=0, y_max=1, out_of_bounds="clip").fit(P[train, c], (y[train] == c).astype(float)) for c in range(K)]
    cal = np.column_stack([fits[c].predict(Q[:, c]) for c in range(K)])
    fold_chance.append(float(cal[np.arange(len(Q)), pred].sum()))
    own = np.column_stack([fits[c].predict(P[~train, c]) for c in range(K)])
    held[~train] = own[np.arange(len(own)), P[~train].argmax(axis=1)]
emit({"fold_chance": fold_chance, "held_out": float(held.sum())})`,
      {
        p: reference.map((one) => one.probabilities),
        y: reference.map((one) => one.label),
        folds,
        q: production.map((one) => one.probabilities),
      }
    );
    sums.foldChance.forEach((chance, fold) => expect(chance).toBeCloseTo(expected.fold_chance[fold], 9));
    const mean = expected.fold_chance.reduce((total, chance) => total + chance, 0) / 10;
    expect(sums.chance).toBeCloseTo(mean, 9);
    expect(heldOut.chance).toBeCloseTo(expected.held_out, 9);
    // The sums are the binary estimate's: the band and its parts come from estimatedAccuracyOf.
    const estimated = estimatedAccuracyOf(sums);
    expect(estimated?.rows).toBe(400);
    expect(estimated?.calibration_sd).toBeGreaterThan(0);
  });
});

describe('the estimate against realized accuracy, simulated (small seeded version of bench:multiclass-estimate)', () => {
  const runs = 12;
  const checks = (mean: readonly number[]) =>
    Array.from({ length: runs }, (_, run) => checkEstimate(10_007 * (run + 1), 2_000, 2_000, mean));

  it('stays within 3 points of realized accuracy in most windows, and its band covers it, without shift', () => {
    const results = checks([0, 0, 0]);
    const within = results.filter((check) => Math.abs(check.estimated - check.realized) <= 0.03).length;
    expect(within / runs).toBeGreaterThanOrEqual(0.9);
    expect(results.filter((check) => check.covered).length / runs).toBeGreaterThanOrEqual(0.8);
  });

  it('stays within 3 points on average under covariate shift, where the uncalibrated probabilities are 9 points off', () => {
    const results = checks([0.8, -0.6, 0.4]);
    const meanError = results.reduce((sum, check) => sum + Math.abs(check.estimated - check.realized), 0) / runs;
    expect(meanError).toBeLessThan(0.03);
    const window = drawMulticlassRows(77, 2_000, [0.8, -0.6, 0.4]);
    const uncalibrated = window.reduce((sum, one) => sum + Math.max(...(one.probabilities as number[])), 0) / 2_000;
    const realized = window.filter((one) => predictedMulticlass(one) === one.label).length / 2_000;
    expect(uncalibrated - realized).toBeGreaterThan(0.05);
  });
});
