import { Model, ReferenceCalibration, Store } from '../store';
import {
  AccuracyFigure,
  AccuracySums,
  EstimatedAccuracy,
  estimatedAccuracyOf,
  NO_ACCURACY_SUMS,
  realizedAccuracyOf,
  shareFigure,
} from '../stats';
import {
  accuracyVerdicts,
  AccuracyVerdicts,
  DEFAULT_DECISION_SETTINGS,
  DecisionSettings,
  labelsActionable,
  ReferenceSample,
} from './accuracy-verdicts';
import type { BaselineChoice } from './baseline';
import { calibrationState, CalibrationState, calibrationVersion } from './calibration-state';
import { CostBenefit, costBenefit, economicsFrom } from './cost-benefit';
import type { DriftEngine } from './drift-engine';
import { HealthScore, healthScore } from './health-score';
import type { BaselineOut, ModelSummary, WindowOut } from './results';
import type { TimeWindow } from './window';
import { DAY_MS } from '../time';

export interface ModelAccuracy {
  /** Realized accuracy on the reference rows, Wilson band. */
  readonly reference: AccuracyFigure | null;
  /** CBPE estimate over the window's scored rows, its band holding the calibration's error. */
  readonly estimated: EstimatedAccuracy | null;
  /** The estimate's band holds the calibration's error, so verdicts act on it. */
  readonly estimate_actionable: boolean;
  /** Right predictions / labelled rows of the window, Wilson band. */
  readonly realized: AccuracyFigure | null;
  /** The window has at least min_labelled_rows labels, so verdicts act on its realized accuracy. */
  readonly realized_actionable: boolean;
  readonly min_labelled_rows: number;
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
  /** Accuracy verdicts against the reference; null when the reference has no accuracy (see accuracy.calibration.reason). */
  readonly verdicts: AccuracyVerdicts | null;
  readonly predictions_per_day: PredictionRate;
  /** The recommendation, always stated; money figures are null without business parameters. */
  readonly cost_benefit: CostBenefit;
  /** What the recommendation lacks (business parameters, a reference accuracy); empty when nothing. */
  readonly cost_benefit_unavailable: string[];
}

/** Shorter windows measure a rate dominated by the hour of day, so the model's own figure is preferred. */
const MIN_MEASURED_WINDOW_MS = 86_400_000;

/** The decision settings of a model: the defaults, with its own minimum of labelled rows when set. */
export function decisionSettingsOf(model: Model): DecisionSettings {
  return {
    ...DEFAULT_DECISION_SETTINGS,
    minLabelledRows: model.business.min_labelled_rows ?? DEFAULT_DECISION_SETTINGS.minLabelledRows,
  };
}

function predictionRate(summary: ModelSummary, window: TimeWindow, businessRate: number | null): PredictionRate {
  if (window.toMs - window.fromMs < MIN_MEASURED_WINDOW_MS && businessRate !== null)
    return { value: businessRate, source: 'business_parameter' };
  return { value: summary.data_volume.predictions_per_day, source: 'measured' };
}

function referenceSample(calibration: ReferenceCalibration, version: number): ReferenceSample | null {
  return calibration.status === 'fitted' && calibration.reference.labelled > 0
    ? { version, counts: calibration.reference }
    : null;
}

/** The window's accuracy sums and those of the whole days that end where it ends, from the hourly sums. */
async function accuracySumsOf(
  store: Store,
  modelId: string,
  window: TimeWindow,
  version: number,
  persistenceDays: number
): Promise<{ window: AccuracySums; days: AccuracySums[] }> {
  const daysFromMs = window.toMs - persistenceDays * DAY_MS;
  const [windowSums, daySums] = await Promise.all([
    store.aggregates.accuracy(modelId, version, { ...window, bucketMs: window.toMs - window.fromMs }),
    store.aggregates.accuracy(modelId, version, { fromMs: daysFromMs, toMs: window.toMs, bucketMs: DAY_MS }),
  ]);
  return {
    window: windowSums.get(0) ?? NO_ACCURACY_SUMS,
    days: Array.from({ length: persistenceDays }, (_, day) => daySums.get(day) ?? NO_ACCURACY_SUMS),
  };
}

/** The version before `version` as a yardstick, when it has an accuracy. */
async function previousReference(
  engine: DriftEngine,
  modelId: string,
  version: number
): Promise<ReferenceSample | null> {
  if (version <= 1) return null;
  return referenceSample(await engine.calibration(modelId, version - 1), version - 1);
}

async function computeModelHealth(
  engine: DriftEngine,
  modelId: string,
  window: TimeWindow,
  choice: BaselineChoice
): Promise<ModelHealth> {
  const summary = await engine.summary(modelId, window, choice);
  const model = await engine.model(modelId);
  const version = calibrationVersion(summary.baseline);
  const calibration = await engine.calibration(modelId, version);
  const health = healthScore(summary.features);
  const settings = decisionSettingsOf(model);
  const sums = await accuracySumsOf(engine.store, modelId, window, version, settings.persistence.days);
  const reference = referenceSample(calibration, version);
  const verdicts = reference
    ? accuracyVerdicts({
        reference,
        previous_reference: await previousReference(engine, modelId, version),
        window: sums.window,
        days: sums.days,
        settings,
      })
    : null;
  const estimated = estimatedAccuracyOf(sums.window);
  const realized = realizedAccuracyOf(sums.window);
  const accuracy: ModelAccuracy = {
    reference: reference && shareFigure(reference.counts.right, reference.counts.labelled),
    estimated,
    estimate_actionable: verdicts?.estimate_actionable ?? false,
    realized,
    realized_actionable: labelsActionable(sums.window, settings),
    min_labelled_rows: settings.minLabelledRows,
    estimate_error: estimated && realized ? estimated.value - realized.value : null,
    calibration: calibrationState(calibration, version),
  };
  const rate = predictionRate(summary, window, model.business.predictions_per_day);
  const economics = economicsFrom(model.business);
  const unavailable: string[] = [];
  if (economics === null) {
    unavailable.push(
      'no money figures: the model lacks business parameters; set cost_per_error (or value_per_correct_prediction), retrain_cost, retrain_duration_days and horizon_days'
    );
  } else if (economics.horizon_days <= 0) {
    unavailable.push('no money figures: the model’s horizon_days is 0, so retraining can never pay back over it');
  }
  if (verdicts === null)
    unavailable.push(
      `no accuracy verdict: the reference has no accuracy to compare with (${accuracy.calibration.reason ?? 'no labelled reference rows'})`
    );
  const costs = costBenefit({
    verdicts,
    predictions_per_day: rate.value,
    health: health.health,
    drifted_features: health.drifted_features,
    currency: model.business.currency,
    economics: economics !== null && economics.horizon_days > 0 ? economics : null,
    unavailable,
  });
  return {
    model_id: summary.model_id,
    window: summary.window,
    baseline: summary.baseline,
    health,
    accuracy,
    verdicts,
    predictions_per_day: rate,
    cost_benefit: costs,
    cost_benefit_unavailable: unavailable,
  };
}

/**
 * A model's health over a window: health score from the drift summary, accuracy (reference, CBPE
 * estimate, realized from labels) and its verdicts from the hourly accuracy sums, and the
 * recommendation with the cost-benefit of retraining. Cached with the engine's other queries until
 * the model's data changes.
 */
export function modelHealth(
  engine: DriftEngine,
  modelId: string,
  window: TimeWindow,
  choice: BaselineChoice
): Promise<ModelHealth> {
  return engine.cached(['health', modelId, window, choice], () => computeModelHealth(engine, modelId, window, choice));
}
