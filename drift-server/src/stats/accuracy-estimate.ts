import { Bounded, studentTQuantile, twoSidedZ, wilsonInterval } from './intervals';
import { CROSS_FIT_FOLDS, crossFitIsotonic, IsotonicFit, predictIsotonic } from './isotonic';
import { StatsInputError } from './types';

export type BinaryOutcome = 0 | 1;

/** One prediction of a binary classifier; any field may be absent (labels arrive late, some models omit a column). */
export interface ClassifiedRow {
  /** The model's probability of the positive class. */
  readonly probability: number | null;
  /** The class the model output; when null it is derived as probability ≥ threshold. */
  readonly prediction: BinaryOutcome | null;
  readonly label: BinaryOutcome | null;
}

/** An accuracy with its 95 % band, over `rows` predictions. */
export interface AccuracyFigure extends Bounded {
  readonly rows: number;
}

/** The label-free estimate with what its band is made of. */
export interface EstimatedAccuracy extends AccuracyFigure {
  /** How far the window's share of right answers strays from the estimate by chance alone: √(Σ q(1−q)) / n. */
  readonly sampling_sd: number;
  /** The estimate's error from the calibration itself (jackknife over its folds); null for a calibration fitted before cross-fitting, whose band leaves it out. */
  readonly calibration_sd: number | null;
}

export interface WindowAccuracy {
  /** CBPE: expected accuracy from calibrated probabilities; needs no labels. Null without scored rows. */
  readonly estimated: EstimatedAccuracy | null;
  /** Share of labelled rows predicted right; null until labels arrive. */
  readonly realized: AccuracyFigure | null;
  /** estimated − realized, when both exist. */
  readonly estimate_error: number | null;
}

export const DEFAULT_DECISION_THRESHOLD = 0.5;
/** The level of every band shown. */
export const DISPLAY_CONFIDENCE = 0.95;

export function predictedClass(row: ClassifiedRow, threshold = DEFAULT_DECISION_THRESHOLD): BinaryOutcome | null {
  if (row.prediction !== null) return row.prediction;
  if (row.probability === null) return null;
  return row.probability >= threshold ? 1 : 0;
}

/**
 * What CBPE scores with: isotonic fits of P(label = 1 | probability). A cross-fitted calibration
 * has one fit per fold and scores with their mean; a single fit is how references were calibrated
 * before cross-fitting, and has no measure of its own error.
 */
export interface Calibration {
  readonly fits: readonly IsotonicFit[];
}

/**
 * What accuracy figures are made of. Every field is a sum over rows, so sums kept per hour add up
 * to any window's — which is how windows of any length get accuracy without rereading rows.
 */
export interface AccuracySums {
  /** Rows with a probability and a predicted class: the estimate's sample. */
  readonly scored: number;
  /** Σ q over scored rows, q = the row's calibrated chance of being right (mean over the calibration's fits). */
  readonly chance: number;
  /** Σ q(1 − q): the variance of the count of right answers (a Poisson-binomial count). */
  readonly chanceVariance: number;
  /** Σ q under each fit of a cross-fitted calibration alone; empty for a single fit. */
  readonly foldChance: readonly number[];
  /** Rows with a label and a predicted class: the realized accuracy's sample. */
  readonly labelled: number;
  /** Labelled rows predicted right. */
  readonly right: number;
}

export const NO_ACCURACY_SUMS: AccuracySums = {
  scored: 0,
  chance: 0,
  chanceVariance: 0,
  foldChance: [],
  labelled: 0,
  right: 0,
};

function addFoldChances(left: readonly number[], right: readonly number[], sign: 1 | -1): readonly number[] {
  if (right.length === 0) return left;
  if (left.length === 0) return sign === 1 ? right : right.map((chance) => -chance);
  if (left.length !== right.length)
    throw new StatsInputError(`cannot add sums of calibrations with ${left.length} and ${right.length} folds`);
  return left.map((chance, fold) => chance + sign * right[fold]);
}

export function addAccuracySums(left: AccuracySums, right: AccuracySums, sign: 1 | -1 = 1): AccuracySums {
  return {
    scored: left.scored + sign * right.scored,
    chance: left.chance + sign * right.chance,
    chanceVariance: left.chanceVariance + sign * right.chanceVariance,
    foldChance: addFoldChances(left.foldChance, right.foldChance, sign),
    labelled: left.labelled + sign * right.labelled,
    right: left.right + sign * right.right,
  };
}

/**
 * A calibration's fits merged onto one grid of all their knots: every fit is linear between two
 * neighbouring grid knots, so a row is located once and each fit's value is then one multiply-add,
 * instead of a search per fit.
 */
interface Scorer {
  readonly knots: Float64Array;
  readonly folds: number;
  /** Fit k's value at knot j, at j·folds + k. */
  readonly bases: Float64Array;
  /** Fit k's slope from knot j to knot j + 1, at j·folds + k. */
  readonly slopes: Float64Array;
}

const scorers = new WeakMap<Calibration, Scorer>();

function scorerOf(calibration: Calibration): Scorer {
  const cached = scorers.get(calibration);
  if (cached) return cached;
  const { fits } = calibration;
  const knots = Float64Array.from(new Set(fits.flatMap((fit) => fit.thresholds))).sort();
  const folds = fits.length;
  const bases = new Float64Array(knots.length * folds);
  const slopes = new Float64Array(knots.length * folds);
  for (let knot = 0; knot < knots.length; knot += 1) {
    for (let fold = 0; fold < folds; fold += 1) {
      const value = predictIsotonic(fits[fold], knots[knot]);
      bases[knot * folds + fold] = value;
      if (knot + 1 < knots.length)
        slopes[knot * folds + fold] =
          (predictIsotonic(fits[fold], knots[knot + 1]) - value) / (knots[knot + 1] - knots[knot]);
    }
  }
  const scorer = { knots, folds, bases, slopes };
  scorers.set(calibration, scorer);
  return scorer;
}

/** Writes each fit's calibrated P(label = 1) at `probability` into `out`. */
function scoreInto(scorer: Scorer, probability: number, out: Float64Array): void {
  const { knots, folds, bases, slopes } = scorer;
  let knot: number;
  let offset = 0;
  if (probability <= knots[0]) knot = 0;
  else if (probability >= knots[knots.length - 1]) knot = knots.length - 1;
  else {
    let low = 0;
    let high = knots.length - 1;
    while (high - low > 1) {
      const middle = (low + high) >>> 1;
      if (knots[middle] <= probability) low = middle;
      else high = middle;
    }
    knot = low;
    offset = probability - knots[low];
  }
  const base = knot * folds;
  for (let fold = 0; fold < folds; fold += 1) out[fold] = bases[base + fold] + slopes[base + fold] * offset;
}

/** A row predicted `predicted` at calibrated P(label = 1) = `positive` is right with this chance. */
function chanceOfBeingRight(predicted: BinaryOutcome, positive: number): number {
  return predicted === 1 ? positive : 1 - positive;
}

/**
 * Accuracy sums built row by row, by binary and multiclass scoring alike: a scored row brings its
 * chance of being right under each of the calibration's fits (q is their mean), a labelled row whether
 * it was predicted right.
 */
export class AccuracySumsBuilder {
  private scored = 0;
  private chance = 0;
  private chanceVariance = 0;
  private labelled = 0;
  private right = 0;
  private readonly foldChance: number[];

  constructor(folds: number) {
    this.foldChance = folds > 1 ? new Array<number>(folds).fill(0) : [];
  }

  addScored(foldChances: ArrayLike<number>): void {
    let q = 0;
    for (let fold = 0; fold < foldChances.length; fold += 1) {
      if (this.foldChance.length > 0) this.foldChance[fold] += foldChances[fold];
      q += foldChances[fold];
    }
    q /= foldChances.length;
    this.scored += 1;
    this.chance += q;
    this.chanceVariance += q * (1 - q);
  }

  addLabelled(predictedRight: boolean): void {
    this.labelled += 1;
    if (predictedRight) this.right += 1;
  }

  build(): AccuracySums {
    const { scored, chance, chanceVariance, foldChance, labelled, right } = this;
    return { scored, chance, chanceVariance, foldChance, labelled, right };
  }
}

/**
 * Sums over rows. Confidence-based performance estimation: with c = calibrated P(label = 1 |
 * probability), a row predicted 1 is right with chance q = c and a row predicted 0 with q = 1 − c.
 * Without a calibration the estimate's fields stay 0.
 */
export function accuracySums(
  rows: readonly ClassifiedRow[],
  calibration: Calibration | null,
  threshold = DEFAULT_DECISION_THRESHOLD
): AccuracySums {
  const scorer = calibration === null || calibration.fits.length === 0 ? null : scorerOf(calibration);
  const folds = scorer?.folds ?? 0;
  const positives = new Float64Array(folds);
  const sums = new AccuracySumsBuilder(folds);
  for (const row of rows) {
    const predicted = predictedClass(row, threshold);
    if (predicted === null) continue;
    if (scorer !== null && row.probability !== null) {
      scoreInto(scorer, row.probability, positives);
      for (let fold = 0; fold < folds; fold += 1) positives[fold] = chanceOfBeingRight(predicted, positives[fold]);
      sums.addScored(positives);
    }
    if (row.label !== null) sums.addLabelled(predicted === row.label);
  }
  return sums.build();
}

/** A reference's calibration, with the reference scored the way production is but each row by the fit that did not see it. */
export interface FittedCalibration {
  readonly calibration: Calibration;
  /** Sums over the calibration's own rows, each scored by its held-out fit: CBPE checked on rows the calibration did not see. */
  readonly heldOut: AccuracySums;
}

/** Cross-fitted isotonic calibration on the reference rows that have a probability and a label. */
export function calibrate(
  reference: readonly ClassifiedRow[],
  folds = CROSS_FIT_FOLDS,
  threshold = DEFAULT_DECISION_THRESHOLD
): FittedCalibration {
  const sample = reference.filter((row) => row.probability !== null && row.label !== null);
  const { fits, heldOut } = crossFitIsotonic(
    sample.map((row) => ({ probability: row.probability as number, outcome: row.label as number })),
    folds
  );
  const sums = new AccuracySumsBuilder(1);
  sample.forEach((row, index) => {
    // A row with a probability always has a predicted class.
    const predicted = predictedClass(row, threshold) as BinaryOutcome;
    sums.addScored([chanceOfBeingRight(predicted, heldOut[index])]);
    sums.addLabelled(predicted === row.label);
  });
  return { calibration: { fits }, heldOut: sums.build() };
}

/**
 * The calibration's own variance of the estimate: the delete-a-group jackknife over its folds,
 * (K − 1)/K · Σₖ (estimateₖ − estimate)², estimateₖ scoring with fit k alone (fitted without fold k).
 */
function calibrationVariance(sums: AccuracySums): number | null {
  const folds = sums.foldChance.length;
  if (folds < 2) return null;
  const estimate = sums.chance / sums.scored;
  let squares = 0;
  for (const chance of sums.foldChance) squares += (chance / sums.scored - estimate) ** 2;
  return ((folds - 1) / folds) * squares;
}

function clipped(value: number, halfWidth: number): Bounded {
  return { value, lower: Math.max(0, value - halfWidth), upper: Math.min(1, value + halfWidth) };
}

/**
 * CBPE: the expected accuracy is the mean chance of being right, Σq / n. Its band at `confidence`
 * combines the window's chance variation, z·√(Σ q(1−q))/n, with the calibration's own error, whose
 * jackknife variance over K folds has K − 1 degrees of freedom and so takes Student's t quantile:
 * half-width √(z²·Σq(1−q)/n² + t²·var_calibration). Valid while P(label | probability) is what it
 * was on the reference (covariate shift only); concept drift shows up as a gap to the realized
 * accuracy. Null without scored rows.
 */
export function estimatedAccuracyOf(sums: AccuracySums, confidence = DISPLAY_CONFIDENCE): EstimatedAccuracy | null {
  if (sums.scored === 0) return null;
  const sampling = Math.max(0, sums.chanceVariance) / (sums.scored * sums.scored);
  const calibration = calibrationVariance(sums);
  const z = twoSidedZ(confidence);
  const t = calibration === null ? 0 : studentTQuantile((1 + confidence) / 2, sums.foldChance.length - 1);
  const halfWidth = Math.sqrt(z * z * sampling + t * t * (calibration ?? 0));
  return {
    ...clipped(sums.chance / sums.scored, halfWidth),
    rows: sums.scored,
    sampling_sd: Math.sqrt(sampling),
    calibration_sd: calibration === null ? null : Math.sqrt(calibration),
  };
}

/** A share right/rows with its Wilson score interval at `confidence`. */
export function shareFigure(right: number, rows: number, confidence = DISPLAY_CONFIDENCE): AccuracyFigure {
  return { value: right / rows, ...wilsonInterval(right, rows, twoSidedZ(confidence)), rows };
}

/** Share of labelled rows predicted right with its Wilson score interval; null without labels. */
export function realizedAccuracyOf(sums: AccuracySums, confidence = DISPLAY_CONFIDENCE): AccuracyFigure | null {
  return sums.labelled === 0 ? null : shareFigure(sums.right, sums.labelled, confidence);
}

export function windowAccuracyOf(sums: AccuracySums): WindowAccuracy {
  const estimated = estimatedAccuracyOf(sums);
  const realized = realizedAccuracyOf(sums);
  return { estimated, realized, estimate_error: estimated && realized ? estimated.value - realized.value : null };
}

/** Accuracy of rows scored row by row: what the hourly sums of the same rows add up to. */
export function windowAccuracy(
  calibration: Calibration | null,
  rows: readonly ClassifiedRow[],
  threshold = DEFAULT_DECISION_THRESHOLD
): WindowAccuracy {
  return windowAccuracyOf(accuracySums(rows, calibration, threshold));
}
