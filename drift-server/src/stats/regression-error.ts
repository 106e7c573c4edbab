import { Bounded, studentTQuantile } from './intervals';
import { StatsInputError } from './types';

/** One prediction of a regression model; the label arrives late or never. */
export interface RegressedRow {
  readonly prediction: number | null;
  readonly label: number | null;
}

/**
 * What realized error figures are made of: sums over the rows with a prediction and a label, so
 * sums kept per hour add up to any window's, as accuracy sums do.
 */
export interface RegressionErrorSums {
  readonly labelled: number;
  /** Σ |e|, e = prediction − label. */
  readonly absolute: number;
  /** Σ e², which is also Σ |e|²: the variance of |e| needs no sum of its own. */
  readonly squared: number;
  /** Σ e⁴: the variance of e². */
  readonly quartic: number;
}

export const NO_REGRESSION_ERROR_SUMS: RegressionErrorSums = { labelled: 0, absolute: 0, squared: 0, quartic: 0 };

export function regressionErrorSums(rows: readonly RegressedRow[]): RegressionErrorSums {
  let labelled = 0;
  let absolute = 0;
  let squared = 0;
  let quartic = 0;
  for (const { prediction, label } of rows) {
    if (prediction === null || label === null) continue;
    if (!(Number.isFinite(prediction) && Number.isFinite(label)))
      throw new StatsInputError(`a prediction and its label must be finite numbers, got ${prediction} and ${label}`);
    const error = prediction - label;
    const square = error * error;
    labelled += 1;
    absolute += Math.abs(error);
    squared += square;
    quartic += square * square;
  }
  return { labelled, absolute, squared, quartic };
}

export function addRegressionErrorSums(
  left: RegressionErrorSums,
  right: RegressionErrorSums,
  sign: 1 | -1 = 1
): RegressionErrorSums {
  return {
    labelled: left.labelled + sign * right.labelled,
    absolute: left.absolute + sign * right.absolute,
    squared: left.squared + sign * right.squared,
    quartic: left.quartic + sign * right.quartic,
  };
}

/** A realized error with its band, over `rows` labelled predictions. */
export interface ErrorFigure extends Bounded {
  readonly rows: number;
}

/** Mean of n values from their sum and sum of squares, with Student's t band; the sample variance is clamped at 0 against rounding. */
function meanWithBand(sum: number, sumOfSquares: number, n: number, confidence: number): Bounded {
  const mean = sum / n;
  const variance = Math.max(0, (sumOfSquares - n * mean * mean) / (n - 1));
  const halfWidth = studentTQuantile((1 + confidence) / 2, n - 1) * Math.sqrt(variance / n);
  return { value: mean, lower: Math.max(0, mean - halfWidth), upper: mean + halfWidth };
}

/**
 * Realized mean absolute error, Σ|e| / n, with the t band of a mean at `confidence` (the sample
 * standard deviation of |e| from Σe² and Σ|e|). Null with fewer than two labelled rows, whose spread is unknown.
 */
export function meanAbsoluteErrorOf(sums: RegressionErrorSums, confidence = 0.95): ErrorFigure | null {
  if (sums.labelled < 2) return null;
  return { ...meanWithBand(sums.absolute, sums.squared, sums.labelled, confidence), rows: sums.labelled };
}

/**
 * Realized root mean squared error, √(Σe² / n). Its band is the t band of the mean squared error
 * (the spread of e² from Σe⁴) with both ends square-rooted, so it stays on the error's own scale and
 * never below 0. Null with fewer than two labelled rows.
 */
export function rootMeanSquaredErrorOf(sums: RegressionErrorSums, confidence = 0.95): ErrorFigure | null {
  if (sums.labelled < 2) return null;
  const meanSquared = meanWithBand(sums.squared, sums.quartic, sums.labelled, confidence);
  return {
    value: Math.sqrt(meanSquared.value),
    lower: Math.sqrt(meanSquared.lower),
    upper: Math.sqrt(meanSquared.upper),
    rows: sums.labelled,
  };
}
