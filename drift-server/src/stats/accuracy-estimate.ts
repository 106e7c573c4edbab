import { fitIsotonic, IsotonicFit, predictIsotonic } from './isotonic';

export type BinaryOutcome = 0 | 1;

/** One prediction of a binary classifier; any field may be absent (labels arrive late, some models omit a column). */
export interface ClassifiedRow {
  /** The model's probability of the positive class. */
  readonly probability: number | null;
  /** The class the model output; when null it is derived as probability ≥ threshold. */
  readonly prediction: BinaryOutcome | null;
  readonly label: BinaryOutcome | null;
}

/** An accuracy with a 95 % band, over `rows` predictions. */
export interface AccuracyFigure {
  readonly value: number;
  readonly lower: number;
  readonly upper: number;
  readonly rows: number;
}

export interface WindowAccuracy {
  /** CBPE: expected accuracy from calibrated probabilities; needs no labels. Null without scored rows. */
  readonly estimated: AccuracyFigure | null;
  /** Share of labelled rows predicted right; null until labels arrive. */
  readonly realized: AccuracyFigure | null;
  /** estimated − realized, when both exist. */
  readonly estimate_error: number | null;
}

export const DEFAULT_DECISION_THRESHOLD = 0.5;
const Z_95 = 1.959963984540054;

export function predictedClass(row: ClassifiedRow, threshold = DEFAULT_DECISION_THRESHOLD): BinaryOutcome | null {
  if (row.prediction !== null) return row.prediction;
  if (row.probability === null) return null;
  return row.probability >= threshold ? 1 : 0;
}

/** Isotonic fit of P(label = 1 | probability) on the reference rows that have both. */
export function calibrate(reference: readonly ClassifiedRow[]): IsotonicFit {
  const points = [];
  for (const row of reference) {
    if (row.probability !== null && row.label !== null) points.push({ probability: row.probability, outcome: row.label });
  }
  return fitIsotonic(points);
}

/**
 * What accuracy figures are made of. Every field is a sum over rows, so sums kept per hour add up
 * to any window's — which is how windows of any length get accuracy without rereading rows.
 */
export interface AccuracySums {
  /** Rows with a probability and a predicted class: the estimate's sample. */
  readonly scored: number;
  /** Σ q over scored rows, q = the row's calibrated chance of being right. */
  readonly chance: number;
  /** Σ q(1 − q): the variance of the count of right answers (a Poisson-binomial count). */
  readonly chanceVariance: number;
  /** Rows with a label and a predicted class: the realized accuracy's sample. */
  readonly labelled: number;
  /** Labelled rows predicted right. */
  readonly right: number;
}

export const NO_ACCURACY_SUMS: AccuracySums = { scored: 0, chance: 0, chanceVariance: 0, labelled: 0, right: 0 };

export function addAccuracySums(left: AccuracySums, right: AccuracySums, sign: 1 | -1 = 1): AccuracySums {
  return {
    scored: left.scored + sign * right.scored,
    chance: left.chance + sign * right.chance,
    chanceVariance: left.chanceVariance + sign * right.chanceVariance,
    labelled: left.labelled + sign * right.labelled,
    right: left.right + sign * right.right,
  };
}

/**
 * Sums over rows. Confidence-based performance estimation: with c = calibrated P(label = 1 |
 * probability), a row predicted 1 is right with chance q = c and a row predicted 0 with q = 1 − c.
 * Without a calibration the estimate's fields stay 0.
 */
export function accuracySums(rows: readonly ClassifiedRow[], calibration: IsotonicFit | null, threshold = DEFAULT_DECISION_THRESHOLD): AccuracySums {
  let scored = 0;
  let chance = 0;
  let chanceVariance = 0;
  let labelled = 0;
  let right = 0;
  for (const row of rows) {
    const predicted = predictedClass(row, threshold);
    if (predicted === null) continue;
    if (calibration !== null && row.probability !== null) {
      const positive = predictIsotonic(calibration, row.probability);
      const q = predicted === 1 ? positive : 1 - positive;
      scored += 1;
      chance += q;
      chanceVariance += q * (1 - q);
    }
    if (row.label !== null) {
      labelled += 1;
      if (predicted === row.label) right += 1;
    }
  }
  return { scored, chance, chanceVariance, labelled, right };
}

/** The band is ±1.96·√(variance of the right count)/n: how far the share of right answers strays from its mean by chance alone. */
function accuracyFigure(value: number, varianceOfRightCount: number, rows: number): AccuracyFigure {
  const halfWidth = (Z_95 * Math.sqrt(Math.max(0, varianceOfRightCount))) / rows;
  return { value, lower: Math.max(0, value - halfWidth), upper: Math.min(1, value + halfWidth), rows };
}

/**
 * CBPE: the expected accuracy is the mean chance of being right, Σq / n, band ±1.96·√(Σ q(1−q))/n.
 * Valid while P(label | probability) is what it was on the reference (covariate shift only);
 * concept drift shows up as a gap to the realized accuracy. Null without scored rows.
 */
export function estimatedAccuracyOf(sums: AccuracySums): AccuracyFigure | null {
  return sums.scored === 0 ? null : accuracyFigure(sums.chance / sums.scored, sums.chanceVariance, sums.scored);
}

/** Share of labelled rows predicted right, a = right / n, with the binomial band ±1.96·√(a(1−a)/n). */
export function realizedAccuracyOf(sums: AccuracySums): AccuracyFigure | null {
  if (sums.labelled === 0) return null;
  const share = sums.right / sums.labelled;
  return accuracyFigure(share, sums.labelled * share * (1 - share), sums.labelled);
}

export function windowAccuracyOf(sums: AccuracySums): WindowAccuracy {
  const estimated = estimatedAccuracyOf(sums);
  const realized = realizedAccuracyOf(sums);
  return { estimated, realized, estimate_error: estimated && realized ? estimated.value - realized.value : null };
}

export function estimateAccuracy(calibration: IsotonicFit, rows: readonly ClassifiedRow[], threshold = DEFAULT_DECISION_THRESHOLD): AccuracyFigure | null {
  return estimatedAccuracyOf(accuracySums(rows, calibration, threshold));
}

export function realizedAccuracy(rows: readonly ClassifiedRow[], threshold = DEFAULT_DECISION_THRESHOLD): AccuracyFigure | null {
  return realizedAccuracyOf(accuracySums(rows, null, threshold));
}

export function windowAccuracy(calibration: IsotonicFit, rows: readonly ClassifiedRow[], threshold = DEFAULT_DECISION_THRESHOLD): WindowAccuracy {
  return windowAccuracyOf(accuracySums(rows, calibration, threshold));
}
