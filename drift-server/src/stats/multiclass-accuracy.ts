import { AccuracySums, AccuracySumsBuilder } from './accuracy-estimate';
import { CROSS_FIT_FOLDS, crossFitIsotonic, IsotonicFit, predictIsotonic } from './isotonic';
import { StatsInputError } from './types';

/** One prediction of a classifier over `classes` classes, each named by its index in the model's class order. */
export interface MulticlassRow {
  /** The model's probability of each class, in class order; null when the model logged none. */
  readonly probabilities: readonly number[] | null;
  /** The class the model output; when null, the most probable class. */
  readonly prediction: number | null;
  readonly label: number | null;
}

/**
 * One-vs-rest calibration: `fits[k][c]` is fold k's isotonic fit of P(label = c | probability of c),
 * made without fold k. Every class is cross-fitted on the same folds, so fold k's fits score a row
 * together.
 */
export interface MulticlassCalibration {
  readonly classes: number;
  readonly fits: readonly (readonly IsotonicFit[])[];
}

/** The most probable class; the first of equals, so a tie is decided the same way every time. */
export function mostProbableClass(probabilities: readonly number[]): number {
  let best = 0;
  for (let index = 1; index < probabilities.length; index += 1)
    if (probabilities[index] > probabilities[best]) best = index;
  return best;
}

export function predictedMulticlass(row: MulticlassRow): number | null {
  if (row.prediction !== null) return row.prediction;
  return row.probabilities === null ? null : mostProbableClass(row.probabilities);
}

function checkRow(row: MulticlassRow, classes: number): void {
  const { probabilities, prediction, label } = row;
  if (probabilities !== null && probabilities.length !== classes)
    throw new StatsInputError(
      `a row has ${probabilities.length} class probabilities; the model has ${classes} classes`
    );
  for (const [name, value] of [
    ['prediction', prediction],
    ['label', label],
  ] as const)
    if (value !== null && !(Number.isInteger(value) && value >= 0 && value < classes))
      throw new StatsInputError(`a row's ${name} ${value} is not a class index below ${classes}`);
}

/**
 * The chance that a row predicted `predicted` is right under one fold's fits: the calibrated
 * probability of the predicted class, P(label = c | probability of c). It is not divided by the sum
 * of every class's calibrated probability, although the one-vs-rest fits need not sum to 1: in
 * bench/multiclass-estimate.bench.ts, which measures both, that normalisation made the estimate
 * optimistic by 0.7–1.7 points in every case, against under 0.8 points either way without it.
 */
function chanceOfBeingRight(fits: readonly IsotonicFit[], probabilities: readonly number[], predicted: number): number {
  return predictIsotonic(fits[predicted], probabilities[predicted]);
}

/**
 * Accuracy sums of multiclass rows: the same sums binary rows make, so windows add up and the estimate
 * and its band are `estimatedAccuracyOf`'s. CBPE for several classes: a row is right with chance q, the
 * calibrated probability of its predicted class (the mean over the calibration's fits).
 */
export function multiclassAccuracySums(
  rows: readonly MulticlassRow[],
  calibration: MulticlassCalibration | null,
  classes: number
): AccuracySums {
  if (calibration !== null && calibration.classes !== classes)
    throw new StatsInputError(`a calibration of ${calibration.classes} classes cannot score a ${classes}-class model`);
  const fits = calibration?.fits ?? [];
  const folds = fits.length;
  const foldChances = new Float64Array(folds);
  const sums = new AccuracySumsBuilder(folds);
  for (const row of rows) {
    checkRow(row, classes);
    const predicted = predictedMulticlass(row);
    if (predicted === null) continue;
    if (folds > 0 && row.probabilities !== null) {
      for (let fold = 0; fold < folds; fold += 1)
        foldChances[fold] = chanceOfBeingRight(fits[fold], row.probabilities, predicted);
      sums.addScored(foldChances);
    }
    if (row.label !== null) sums.addLabelled(predicted === row.label);
  }
  return sums.build();
}

export interface FittedMulticlassCalibration {
  readonly calibration: MulticlassCalibration;
  /** Sums over the calibration's own rows, each scored by the fold fits that did not see it. */
  readonly heldOut: AccuracySums;
}

/** One-vs-rest cross-fitted isotonic calibration on the reference rows that have probabilities and a label. */
export function calibrateMulticlass(
  reference: readonly MulticlassRow[],
  classes: number,
  folds = CROSS_FIT_FOLDS
): FittedMulticlassCalibration {
  if (!(Number.isInteger(classes) && classes >= 2))
    throw new StatsInputError(`a classifier has at least 2 classes, got ${classes}`);
  reference.forEach((row) => checkRow(row, classes));
  const sample = reference.filter((row) => row.probabilities !== null && row.label !== null);
  // crossFitIsotonic deals points into folds by their count alone, so every class gets the same folds.
  const perClass = Array.from({ length: classes }, (_, cls) =>
    crossFitIsotonic(
      sample.map((row) => ({
        probability: (row.probabilities as readonly number[])[cls],
        outcome: row.label === cls ? 1 : 0,
      })),
      folds
    )
  );
  const fits = Array.from({ length: folds }, (_, fold) => perClass.map((fit) => fit.fits[fold]));
  const foldOf = perClass[0].folds;
  const sums = new AccuracySumsBuilder(1);
  sample.forEach((row, index) => {
    const predicted = predictedMulticlass(row) as number;
    sums.addScored([chanceOfBeingRight(fits[foldOf[index]], row.probabilities as readonly number[], predicted)]);
    sums.addLabelled(predicted === row.label);
  });
  return { calibration: { classes, fits }, heldOut: sums.build() };
}

/**
 * Per-class counts of labelled rows, additive over hours like the accuracy sums: true positives,
 * rows predicted as the class, rows labelled as the class.
 */
export interface ClassCounts {
  readonly truePositives: readonly number[];
  readonly predicted: readonly number[];
  readonly actual: readonly number[];
}

export function classCounts(rows: readonly MulticlassRow[], classes: number): ClassCounts {
  const truePositives = new Array<number>(classes).fill(0);
  const predicted = new Array<number>(classes).fill(0);
  const actual = new Array<number>(classes).fill(0);
  for (const row of rows) {
    checkRow(row, classes);
    const output = predictedMulticlass(row);
    if (output === null || row.label === null) continue;
    predicted[output] += 1;
    actual[row.label] += 1;
    if (output === row.label) truePositives[output] += 1;
  }
  return { truePositives, predicted, actual };
}

/**
 * Macro F1: the mean over classes of F1 = 2·TP / (predicted + actual), over the classes that were
 * predicted or labelled at least once (scikit-learn's `f1_score(average='macro')` without `labels`).
 * Null without labelled rows.
 */
export function macroF1(counts: ClassCounts): number | null {
  let sum = 0;
  let present = 0;
  counts.truePositives.forEach((truePositives, cls) => {
    const denominator = counts.predicted[cls] + counts.actual[cls];
    if (denominator === 0) return;
    sum += (2 * truePositives) / denominator;
    present += 1;
  });
  return present === 0 ? null : sum / present;
}
