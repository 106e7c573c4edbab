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
 * The band is ±1.96·√(Σ q(1−q))/n over the rows' chances q of being right: each row is right with
 * its own chance (a Poisson-binomial count), so this is how far the share of right answers strays
 * from its mean by chance alone.
 */
function accuracyFigure(value: number, varianceOfRightCount: number, rows: number): AccuracyFigure {
  const halfWidth = (Z_95 * Math.sqrt(varianceOfRightCount)) / rows;
  return { value, lower: Math.max(0, value - halfWidth), upper: Math.min(1, value + halfWidth), rows };
}

/**
 * Confidence-based performance estimation: with c = calibrated P(label = 1 | probability), a row
 * predicted 1 is right with chance c and a row predicted 0 with chance 1 − c; the expected accuracy
 * is the mean chance. Valid while P(label | probability) is what it was on the reference (covariate
 * shift only); concept drift shows up as a gap to the realized accuracy.
 */
export function estimateAccuracy(
  calibration: IsotonicFit,
  rows: readonly ClassifiedRow[],
  threshold = DEFAULT_DECISION_THRESHOLD,
): AccuracyFigure | null {
  let scored = 0;
  let sum = 0;
  let variance = 0;
  for (const row of rows) {
    const predicted = predictedClass(row, threshold);
    if (row.probability === null || predicted === null) continue;
    const positive = predictIsotonic(calibration, row.probability);
    const chance = predicted === 1 ? positive : 1 - positive;
    scored += 1;
    sum += chance;
    variance += chance * (1 - chance);
  }
  return scored === 0 ? null : accuracyFigure(sum / scored, variance, scored);
}

/** Share of labelled rows predicted right, with the binomial band (every row right with chance = that share). */
export function realizedAccuracy(rows: readonly ClassifiedRow[], threshold = DEFAULT_DECISION_THRESHOLD): AccuracyFigure | null {
  let right = 0;
  let labelled = 0;
  for (const row of rows) {
    const predicted = predictedClass(row, threshold);
    if (row.label === null || predicted === null) continue;
    labelled += 1;
    if (predicted === row.label) right += 1;
  }
  if (labelled === 0) return null;
  const share = right / labelled;
  return accuracyFigure(share, labelled * share * (1 - share), labelled);
}

export function windowAccuracy(
  calibration: IsotonicFit,
  rows: readonly ClassifiedRow[],
  threshold = DEFAULT_DECISION_THRESHOLD,
): WindowAccuracy {
  const estimated = estimateAccuracy(calibration, rows, threshold);
  const realized = realizedAccuracy(rows, threshold);
  return { estimated, realized, estimate_error: estimated && realized ? estimated.value - realized.value : null };
}
