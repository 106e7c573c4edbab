import { estimatedAccuracyOf, NO_ACCURACY_SUMS, realizedAccuracyOf } from '../stats';
import { inSlices } from '../store';
import type { BaselineChoice } from './baseline';
import type { DriftEngine } from './drift-engine';
import { healthScore } from './health-score';
import { calibrationState, calibrationVersion, CalibrationState } from './model-health';
import type { TimeWindow } from './window';

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

async function computeModelTrend(
  engine: DriftEngine,
  modelId: string,
  requested: TimeWindow,
  intervalMs: number,
  choice: BaselineChoice
): Promise<ModelTrend> {
  const trends = await engine.trends(modelId, requested, intervalMs, choice);
  const model = await engine.model(modelId);
  const importance = new Map(model.features.map((feature) => [feature.name, feature.importance]));
  const version = calibrationVersion(trends.baseline);
  const calibration = await engine.calibration(modelId, version);
  const accuracy = await engine.store.aggregates.accuracy(modelId, version, {
    fromMs: Date.parse(trends.window.from),
    toMs: Date.parse(trends.window.to),
    bucketMs: intervalMs,
  });
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
  return { points, calibration: calibrationState(calibration, version) };
}

/**
 * Model-level series beside the per-feature trends: health, estimated and realized accuracy per
 * interval over the same aligned window, accuracy from the hourly accuracy sums.
 */
export function modelTrend(
  engine: DriftEngine,
  modelId: string,
  window: TimeWindow,
  intervalMs: number,
  choice: BaselineChoice
): Promise<ModelTrend> {
  return engine.cached(['model-trend', modelId, window, intervalMs, choice], () =>
    computeModelTrend(engine, modelId, window, intervalMs, choice)
  );
}
