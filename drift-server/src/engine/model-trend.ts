import { classifiedRows } from '../store';
import { ClassifiedRow, realizedAccuracy, estimateAccuracy } from '../stats/accuracy-estimate';
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
  /** True when the window held more raw rows than the raw-row limit: the oldest intervals lack accuracy. */
  readonly accuracy_truncated: boolean;
}

async function computeModelTrend(engine: DriftEngine, modelId: string, requested: TimeWindow, intervalMs: number, choice: BaselineChoice): Promise<ModelTrend> {
  const trends = await engine.trends(modelId, requested, intervalMs, choice);
  const model = await engine.store.models.get(modelId);
  const importance = new Map(model.features.map((feature) => [feature.name, feature.importance]));
  const version = calibrationVersion(trends.baseline);
  const calibration = await engine.store.references.calibration(modelId, version);
  const fromMs = Date.parse(trends.window.from);
  const outcomes = await engine.store.rawValues.outcomes(modelId, fromMs, Date.parse(trends.window.to));
  const rowsByInterval: ClassifiedRow[][] = trends.volume.map(() => []);
  classifiedRows(outcomes).forEach((row, index) => rowsByInterval[Math.floor((outcomes.timestampsMs[index] - fromMs) / intervalMs)].push(row));
  const points = trends.volume.map(({ time }, interval) => {
    const health = healthScore(
      trends.series.map(({ feature, points: featurePoints }) => ({ feature, importance: importance.get(feature) ?? 0, ...featurePoints[interval] })),
    );
    const rows = rowsByInterval[interval];
    const realized = realizedAccuracy(rows);
    return {
      time,
      health: health.health,
      drifted_features: health.drifted_features,
      estimated_accuracy: calibration.status === 'fitted' ? (estimateAccuracy(calibration.fit, rows)?.value ?? null) : null,
      realized_accuracy: realized?.value ?? null,
      labelled_rows: realized?.rows ?? 0,
    };
  });
  return { points, calibration: calibrationState(calibration, version), accuracy_truncated: outcomes.truncated };
}

/**
 * Model-level series beside the per-feature trends: health, estimated and realized accuracy per
 * interval over the same aligned window. Accuracy needs raw rows, so intervals beyond raw-row
 * retention have none.
 */
export function modelTrend(engine: DriftEngine, modelId: string, window: TimeWindow, intervalMs: number, choice: BaselineChoice): Promise<ModelTrend> {
  return engine.cached(['model-trend', modelId, window, intervalMs, choice], () => computeModelTrend(engine, modelId, window, intervalMs, choice));
}
