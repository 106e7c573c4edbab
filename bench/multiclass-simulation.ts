/**
 * A simulated three-class model for measuring the multiclass accuracy estimate: three normal inputs,
 * labels drawn from a softmax of linear scores (the truth), and a model that logs overconfident,
 * slightly biased probabilities of that truth, so the estimate needs its calibration. Covariate shift
 * moves the inputs' mean and leaves P(label | inputs) as it was. Seeded: the same seed gives the same
 * rows. Used by bench/multiclass-estimate.bench.ts and, smaller, by the test suite.
 */
import { createRandom, Random } from '../drift-server/src/demo/random';
import {
  calibrateMulticlass,
  MulticlassCalibration,
  MulticlassRow,
  multiclassAccuracySums,
  predictedMulticlass,
} from '../drift-server/src/stats/multiclass-accuracy';
import { predictIsotonic } from '../drift-server/src/stats/isotonic';
import { AccuracySums, estimatedAccuracyOf, realizedAccuracyOf } from '../drift-server/src/stats/accuracy-estimate';

export const CLASSES = 3;
const WEIGHTS = [
  [1.2, -0.4, 0.3],
  [-0.5, 1.0, -0.6],
  [-0.3, -0.7, 0.9],
];
const BIASES = [0.2, 0, -0.2];
/** The model is sharper than the truth and leans towards class 0: what calibration has to undo. */
const MODEL_SHARPNESS = 1.6;
const MODEL_LEAN = [0.35, 0, -0.1];

/** Where the inputs' mean sits: the reference at 0, a shifted population elsewhere. */
export type InputMean = readonly number[];
export const REFERENCE_MEAN: InputMean = [0, 0, 0];

function softmax(scores: readonly number[]): number[] {
  const top = Math.max(...scores);
  const powers = scores.map((score) => Math.exp(score - top));
  const total = powers.reduce((sum, power) => sum + power, 0);
  return powers.map((power) => power / total);
}

function drawClass(random: Random, probabilities: readonly number[]): number {
  let threshold = random.uniform();
  for (let cls = 0; cls < probabilities.length - 1; cls += 1) {
    threshold -= probabilities[cls];
    if (threshold < 0) return cls;
  }
  return probabilities.length - 1;
}

/** `size` labelled rows of the simulated model with inputs around `mean`. */
export function drawMulticlassRows(seed: number, size: number, mean: InputMean = REFERENCE_MEAN): MulticlassRow[] {
  const random = createRandom(seed);
  return Array.from({ length: size }, () => {
    const inputs = mean.map((centre) => centre + random.normal());
    const scores = WEIGHTS.map((weights, cls) => BIASES[cls] + weights.reduce((sum, w, i) => sum + w * inputs[i], 0));
    const truth = softmax(scores);
    const probabilities = softmax(scores.map((score, cls) => MODEL_SHARPNESS * score + MODEL_LEAN[cls]));
    return { probabilities, prediction: null, label: drawClass(random, truth) };
  });
}

export interface EstimateCheck {
  readonly estimated: number;
  readonly realized: number;
  readonly covered: boolean;
  /** The alternative not taken: each fold's calibrated probabilities divided by their sum before the predicted class's is read. */
  readonly normalised: number;
}

function normalisedEstimate(calibration: MulticlassCalibration, rows: readonly MulticlassRow[]): number {
  let chance = 0;
  for (const row of rows) {
    const predicted = predictedMulticlass(row) as number;
    const probabilities = row.probabilities as readonly number[];
    for (const fits of calibration.fits) {
      const calibrated = fits.map((fit, cls) => predictIsotonic(fit, probabilities[cls]));
      chance += calibrated[predicted] / calibrated.reduce((sum, value) => sum + value, 0);
    }
  }
  return chance / (rows.length * calibration.fits.length);
}

/** Calibrates on a reference of `referenceRows` and scores one production window against its labels. */
export function checkEstimate(seed: number, referenceRows: number, windowRows: number, mean: InputMean): EstimateCheck {
  const { calibration } = calibrateMulticlass(drawMulticlassRows(seed, referenceRows), CLASSES);
  const window = drawMulticlassRows(seed + 1_000_003, windowRows, mean);
  const sums: AccuracySums = multiclassAccuracySums(window, calibration, CLASSES);
  const estimated = estimatedAccuracyOf(sums);
  const realized = realizedAccuracyOf(sums);
  if (!estimated || !realized) throw new Error('a simulated window has scored and labelled rows');
  return {
    estimated: estimated.value,
    realized: realized.value,
    covered: realized.value >= estimated.lower && realized.value <= estimated.upper,
    normalised: normalisedEstimate(calibration, window),
  };
}
