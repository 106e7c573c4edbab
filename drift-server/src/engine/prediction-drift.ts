import { Model, outputCounting, ReferenceBinning } from '../store';
import type { FeatureDrift } from './feature-drift';
import type { PredictionDrift } from './results';

/**
 * The prediction-drift block of a window: the output's compared drift without the feature-only
 * fields, and how many of the window's predictions have no output counts. Every stored prediction
 * is counted (a missing output in the missing bin), so a shortfall is hours ingested before the
 * output was monitored; it is reported rather than read as an empty share of the window.
 */
export function predictionDriftOf(
  model: Model,
  binning: ReferenceBinning,
  drift: FeatureDrift | undefined,
  predictions: number
): PredictionDrift | null {
  const counted = outputCounting(model, binning.output);
  if (!counted || !drift) return null;
  const { feature, importance, bins, ...figures } = drift;
  void feature;
  void importance;
  void bins;
  return {
    column: counted.signal.column,
    ...figures,
    uncounted_predictions: Math.max(0, predictions - drift.production_rows),
  };
}
