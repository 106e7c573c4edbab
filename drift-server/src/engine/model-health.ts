import { ReferenceCalibration, Store } from '../store';
import { AccuracyFigure, NO_ACCURACY_SUMS, windowAccuracyOf } from '../stats/accuracy-estimate';
import type { BaselineChoice } from './baseline';
import { CostBenefit, costBenefit, economicsFrom } from './cost-benefit';
import type { DriftEngine } from './drift-engine';
import { HealthScore, healthScore } from './health-score';
import type { BaselineOut, ModelSummary, WindowOut } from './results';
import type { TimeWindow } from './window';

export interface CalibrationState {
  readonly status: ReferenceCalibration['status'];
  /** Why there is no calibration (and so no estimated or reference accuracy); null when fitted. */
  readonly reason: string | null;
  /** The reference version the calibration belongs to. */
  readonly reference_version: number;
}

export interface ModelAccuracy {
  /** Realized accuracy on the reference rows. */
  readonly reference: AccuracyFigure | null;
  /** CBPE estimate over the window's scored rows. */
  readonly estimated: AccuracyFigure | null;
  /** Right predictions / labelled rows of the window. */
  readonly realized: AccuracyFigure | null;
  /** estimated − realized. */
  readonly estimate_error: number | null;
  readonly calibration: CalibrationState;
}

export interface PredictionRate {
  readonly value: number;
  /** measured: window predictions ÷ window days; business_parameter: the model's predictions_per_day. */
  readonly source: 'measured' | 'business_parameter';
}

export interface ModelHealth {
  readonly model_id: string;
  readonly window: WindowOut;
  readonly baseline: BaselineOut;
  readonly health: HealthScore;
  readonly accuracy: ModelAccuracy;
  readonly predictions_per_day: PredictionRate;
  readonly cost_benefit: CostBenefit | null;
  /** Why cost_benefit is null; empty when it exists. */
  readonly cost_benefit_unavailable: string[];
}

/** Shorter windows measure a rate dominated by the hour of day, so the model's own figure is preferred. */
const MIN_MEASURED_WINDOW_MS = 86_400_000;

/** The reference version whose calibration applies: the compared one, or the binning's for a rolling baseline. */
export function calibrationVersion(baseline: BaselineOut): number {
  return baseline.kind === 'reference' ? baseline.version : baseline.binning_version;
}

export function calibrationState(calibration: ReferenceCalibration, version: number): CalibrationState {
  return { status: calibration.status, reason: calibration.status === 'fitted' ? null : calibration.reason, reference_version: version };
}

function predictionRate(summary: ModelSummary, window: TimeWindow, businessRate: number | null): PredictionRate {
  if (window.toMs - window.fromMs < MIN_MEASURED_WINDOW_MS && businessRate !== null) return { value: businessRate, source: 'business_parameter' };
  return { value: summary.data_volume.predictions_per_day, source: 'measured' };
}

/** Accuracy of a window from the hourly accuracy sums; the estimate exists only under a fitted calibration. */
async function accuracyOfWindow(store: Store, modelId: string, window: TimeWindow, calibration: ReferenceCalibration, version: number): Promise<ModelAccuracy> {
  const sums = await store.aggregates.accuracy(modelId, version, { ...window, bucketMs: window.toMs - window.fromMs });
  const accuracy = windowAccuracyOf(sums.get(0) ?? NO_ACCURACY_SUMS);
  return {
    reference: calibration.status === 'fitted' ? calibration.reference_accuracy : null,
    ...accuracy,
    calibration: calibrationState(calibration, version),
  };
}

async function computeModelHealth(engine: DriftEngine, modelId: string, window: TimeWindow, choice: BaselineChoice): Promise<ModelHealth> {
  const summary = await engine.summary(modelId, window, choice);
  const model = await engine.model(modelId);
  const version = calibrationVersion(summary.baseline);
  const calibration = await engine.calibration(modelId, version);
  const health = healthScore(summary.features);
  const accuracy = await accuracyOfWindow(engine.store, modelId, window, calibration, version);
  const rate = predictionRate(summary, window, model.business.predictions_per_day);
  const economics = economicsFrom(model.business);
  const unavailable: string[] = [];
  if (economics === null) {
    unavailable.push('the model lacks business parameters: set cost_per_error (or value_per_correct_prediction), retrain_cost, retrain_duration_days and horizon_days');
  } else if (economics.horizon_days <= 0) {
    unavailable.push('the model’s horizon_days is 0: retraining can never pay back over it');
  }
  if (accuracy.reference === null) unavailable.push(`no reference accuracy (${accuracy.calibration.reason})`);
  const costs =
    economics !== null && unavailable.length === 0 && accuracy.reference !== null
      ? costBenefit({
          reference_accuracy: accuracy.reference.value,
          accuracy,
          predictions_per_day: rate.value,
          health: health.health,
          drifted_features: health.drifted_features,
          economics,
        })
      : null;
  return {
    model_id: summary.model_id,
    window: summary.window,
    baseline: summary.baseline,
    health,
    accuracy,
    predictions_per_day: rate,
    cost_benefit: costs,
    cost_benefit_unavailable: unavailable,
  };
}

/**
 * A model's health over a window: health score from the drift summary, accuracy (reference, CBPE
 * estimate, realized from labels) from the hourly accuracy sums, and the cost-benefit of retraining.
 * Cached with the engine's other queries until the model's data changes.
 */
export function modelHealth(engine: DriftEngine, modelId: string, window: TimeWindow, choice: BaselineChoice): Promise<ModelHealth> {
  return engine.cached(['health', modelId, window, choice], () => computeModelHealth(engine, modelId, window, choice));
}
