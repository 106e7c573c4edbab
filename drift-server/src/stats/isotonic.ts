import { StatsInputError } from './types';

/** One observation for the calibration: a model's probability and whether the label was positive (0 or 1). */
export interface CalibrationPoint {
  readonly probability: number;
  readonly outcome: number;
}

/**
 * A fitted isotonic regression, as knots: `thresholds` ascending, `values` non-decreasing.
 * Plain numbers, so it can be stored with the reference version it was fitted on.
 */
export interface IsotonicFit {
  readonly thresholds: readonly number[];
  readonly values: readonly number[];
}

interface Block {
  readonly low: number;
  high: number;
  sum: number;
  weight: number;
}

function checkPoint(point: CalibrationPoint): void {
  if (!Number.isFinite(point.probability))
    throw new StatsInputError(`probability must be a finite number, got ${point.probability}`);
  if (!(point.outcome >= 0 && point.outcome <= 1))
    throw new StatsInputError(`outcome must lie in [0, 1], got ${point.outcome}`);
}

/** Equal probabilities must get one fitted value, so they enter the pooling as one weighted block. */
function blocksOfDistinctProbabilities(points: readonly CalibrationPoint[]): Block[] {
  const sorted = [...points].sort((left, right) => left.probability - right.probability);
  const blocks: Block[] = [];
  for (const point of sorted) {
    const last = blocks[blocks.length - 1];
    if (last && last.high === point.probability) {
      last.sum += point.outcome;
      last.weight += 1;
    } else {
      blocks.push({ low: point.probability, high: point.probability, sum: point.outcome, weight: 1 });
    }
  }
  return blocks;
}

/**
 * Pool-adjacent-violators: walks the blocks left to right and merges a block into its predecessor
 * while the predecessor's mean is higher, which yields the least-squares non-decreasing fit.
 */
function poolAdjacentViolators(blocks: readonly Block[]): Block[] {
  const pooled: Block[] = [];
  for (const block of blocks) {
    let current: Block = { ...block };
    while (pooled.length > 0) {
      const previous = pooled[pooled.length - 1];
      if (previous.sum / previous.weight <= current.sum / current.weight) break;
      pooled.pop();
      current = {
        low: previous.low,
        high: current.high,
        sum: previous.sum + current.sum,
        weight: previous.weight + current.weight,
      };
    }
    pooled.push(current);
  }
  return pooled;
}

/** Fits P(outcome = 1 | probability) as a non-decreasing step function of the probability. */
export function fitIsotonic(points: readonly CalibrationPoint[]): IsotonicFit {
  if (points.length === 0) throw new StatsInputError('cannot calibrate on an empty reference');
  points.forEach(checkPoint);
  const thresholds: number[] = [];
  const values: number[] = [];
  for (const block of poolAdjacentViolators(blocksOfDistinctProbabilities(points))) {
    const value = block.sum / block.weight;
    thresholds.push(block.low);
    values.push(value);
    if (block.high !== block.low) {
      thresholds.push(block.high);
      values.push(value);
    }
  }
  return { thresholds, values };
}

/**
 * Calibrated value at a probability: linear between knots (so a probability between two fitted
 * steps gets a value between theirs), the end values outside the fitted range, clipped to [0, 1].
 */
export function predictIsotonic(fit: IsotonicFit, probability: number): number {
  const { thresholds, values } = fit;
  const last = thresholds.length - 1;
  if (probability <= thresholds[0]) return clip(values[0]);
  if (probability >= thresholds[last]) return clip(values[last]);
  let low = 0;
  let high = last;
  while (high - low > 1) {
    const middle = (low + high) >>> 1;
    if (thresholds[middle] <= probability) low = middle;
    else high = middle;
  }
  const fraction = (probability - thresholds[low]) / (thresholds[high] - thresholds[low]);
  return clip(values[low] + fraction * (values[high] - values[low]));
}

function clip(value: number): number {
  return Math.min(1, Math.max(0, value));
}

/** Folds of a cross-fitted calibration: ten fits, each on 90 % of the rows. */
export const CROSS_FIT_FOLDS = 10;

/** The fold of each of `count` points: a fixed-seed shuffle dealt round-robin, so folds are random but the same for the same points. */
function foldOfEachPoint(count: number, folds: number): number[] {
  const order = Array.from({ length: count }, (_, index) => index);
  // mulberry32: a small, fixed generator; the folds only need to be unrelated to the row order.
  let state = 0x9e3779b9;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let index = count - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [order[index], order[other]] = [order[other], order[index]];
  }
  const fold = new Array<number>(count);
  order.forEach((point, position) => (fold[point] = position % folds));
  return fold;
}

export interface CrossFit {
  /** The fold of each point. */
  readonly folds: number[];
  /** Fit k saw every point but those of fold k. */
  readonly fits: IsotonicFit[];
  /** Each point's calibrated value from the one fit that did not see it. */
  readonly heldOut: number[];
}

/**
 * K-fold cross-fitted isotonic calibration: the points are dealt into `folds` random folds and one
 * fit is made without each fold. Scoring new rows with the mean of the fits, and the spread of the
 * fits as a delete-a-group jackknife, gives the calibration's own error; the held-out values score
 * every point by a fit that never saw it.
 */
export function crossFitIsotonic(points: readonly CalibrationPoint[], folds = CROSS_FIT_FOLDS): CrossFit {
  if (!(Number.isInteger(folds) && folds >= 2))
    throw new StatsInputError(`folds must be a whole number ≥ 2, got ${folds}`);
  if (points.length < folds)
    throw new StatsInputError(`cross-fitting ${folds} folds needs at least ${folds} points, got ${points.length}`);
  const foldOf = foldOfEachPoint(points.length, folds);
  const fits = Array.from({ length: folds }, (_, fold) =>
    fitIsotonic(points.filter((_, index) => foldOf[index] !== fold))
  );
  return {
    folds: foldOf,
    fits,
    heldOut: points.map((point, index) => predictIsotonic(fits[foldOf[index]], point.probability)),
  };
}
