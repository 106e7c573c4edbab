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
  if (!Number.isFinite(point.probability)) throw new StatsInputError(`probability must be a finite number, got ${point.probability}`);
  if (!(point.outcome >= 0 && point.outcome <= 1)) throw new StatsInputError(`outcome must lie in [0, 1], got ${point.outcome}`);
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
      current = { low: previous.low, high: current.high, sum: previous.sum + current.sum, weight: previous.weight + current.weight };
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
