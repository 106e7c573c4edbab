import type { BaselineChoice } from './baseline';
import type { DriftEngine } from './drift-engine';
import { ModelTrend, modelTrendOf } from './model-trend-series';
import type { TimeWindow } from './window';

async function computeModelTrend(
  engine: DriftEngine,
  modelId: string,
  requested: TimeWindow,
  intervalMs: number,
  choice: BaselineChoice
): Promise<ModelTrend> {
  const trends = await engine.trends(modelId, requested, intervalMs, choice);
  const { accuracy, calibration } = await engine.modelTrendInputs(modelId, trends);
  return modelTrendOf(trends, await engine.model(modelId), accuracy, calibration);
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
