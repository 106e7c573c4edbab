import { AccuracySums, estimatedAccuracyOf, NO_ACCURACY_SUMS, realizedAccuracyOf } from '../stats';
import { inSlices, Model } from '../store';
import type { CalibrationState } from './calibration-state';
import { healthScore } from './health-score';
import type { Trends } from './results';

export interface ModelTrendPoint {
  readonly time: string;
  readonly health: number | null;
  readonly drifted_features: number;
  readonly estimated_accuracy: number | null;
  readonly realized_accuracy: number | null;
  /** Rows of the interval with a label (the realized accuracy's sample). */
  readonly labelled_rows: number;
}

export interface ModelTrend {
  readonly points: ModelTrendPoint[];
  readonly calibration: CalibrationState;
}

/** Health per interval from the trends' points, accuracy from the interval's accuracy sums. */
export async function modelTrendOf(
  trends: Trends,
  model: Model,
  accuracy: ReadonlyMap<number, AccuracySums>,
  calibration: CalibrationState
): Promise<ModelTrend> {
  const importance = new Map(model.features.map((feature) => [feature.name, feature.importance]));
  const points: ModelTrendPoint[] = new Array(trends.volume.length);
  await inSlices(trends.volume.length, (interval) => {
    const { time } = trends.volume[interval];
    const health = healthScore(
      trends.series.map(({ feature, points: featurePoints }) => ({
        feature,
        importance: importance.get(feature) ?? 0,
        ...featurePoints[interval],
      }))
    );
    const sums = accuracy.get(interval) ?? NO_ACCURACY_SUMS;
    const realized = realizedAccuracyOf(sums);
    points[interval] = {
      time,
      health: health.health,
      drifted_features: health.drifted_features,
      estimated_accuracy: estimatedAccuracyOf(sums)?.value ?? null,
      realized_accuracy: realized?.value ?? null,
      labelled_rows: realized?.rows ?? 0,
    };
  });
  return { points, calibration };
}

/** What the model-level series is computed from beside the trends: accuracy sums per interval and the calibration they are estimated under. */
export interface ModelTrendInputs {
  readonly accuracy: ReadonlyMap<number, AccuracySums>;
  readonly calibration: CalibrationState;
}
