import type { TimeWindow } from '../engine';
import type { Severity, SeverityThresholds } from '../stats';
import type { DriftGuardMetrics } from './definitions';

/** One feature's drift over the metrics window; null where a figure does not exist (no rows, categorical KS). */
export interface FeatureDriftSnapshot {
  readonly feature: string;
  readonly psi: number | null;
  readonly psi_critical: number | null;
  readonly ks_statistic: number | null;
  readonly ks_pvalue: number | null;
  readonly kl: number | null;
  readonly js: number | null;
  readonly severity: Severity;
  readonly production_rows: number;
  /** Hours of data in a row, ending with the window, whose hourly verdict was critical (drifted: warning or critical). */
  readonly critical_hours: number;
  readonly drifted_hours: number;
}

/** The model output's drift over the metrics window. */
export interface PredictionDriftSnapshot {
  readonly output: string;
  readonly psi: number | null;
  readonly js: number | null;
  readonly severity: Severity;
  readonly production_rows: number;
}

/** One model's figures over the metrics window, as the engine computes them. */
export interface ModelDriftSnapshot {
  readonly model: string;
  readonly window: TimeWindow;
  readonly health_score: number | null;
  readonly estimated_accuracy: number | null;
  readonly realized_accuracy: number | null;
  readonly reference_accuracy: number | null;
  readonly revenue_at_risk_per_day: number | null;
  /** Labelled rows of the window; null when the model has nothing to compare (no reference). */
  readonly labelled_rows: number | null;
  readonly min_labelled_rows: number;
  /** All production predictions stored for the model, ever. */
  readonly predictions_total: number;
  readonly drifted_features: number;
  /** Epoch ms of the newest prediction and of the newest labelled one; null before the first. */
  readonly last_prediction_ms: number | null;
  readonly last_label_ms: number | null;
  readonly stale_after_seconds: number;
  /** Retrain job count by state. */
  readonly retrain_jobs: Readonly<Record<string, number>>;
  readonly features: readonly FeatureDriftSnapshot[];
  /** Null when the model's reference has no output bins (summary.prediction_drift is null). */
  readonly prediction_drift: PredictionDriftSnapshot | null;
}

const SEVERITY_VALUES: Readonly<Record<Severity, number>> = { insufficient_data: -1, ok: 0, warning: 1, critical: 2 };
/** The drift verdict as 0/1; undecided (too few rows) has no value. */
const DRIFTED_VALUES: Readonly<Record<Severity, number | null>> = {
  insufficient_data: null,
  ok: 0,
  warning: 1,
  critical: 1,
};

/** Metrics that describe the current state of the models, replaced whole by each snapshot. */
function snapshotMetrics(metrics: DriftGuardMetrics) {
  return [
    metrics.featurePsi,
    metrics.featurePsiCritical,
    metrics.featureKsStatistic,
    metrics.featureKsPvalue,
    metrics.featureKlDivergence,
    metrics.featureJsDistance,
    metrics.featureDriftSeverity,
    metrics.featureWindowRows,
    metrics.featureDrifted,
    metrics.featureCriticalStreak,
    metrics.featureDriftedStreak,
    metrics.featurePsiThreshold,
    metrics.predictionPsi,
    metrics.predictionJsDistance,
    metrics.predictionDriftSeverity,
    metrics.predictionDrifted,
    metrics.predictionWindowRows,
    metrics.modelWindowStart,
    metrics.modelWindowEnd,
    metrics.modelHealthScore,
    metrics.modelEstimatedAccuracy,
    metrics.modelRealizedAccuracy,
    metrics.modelReferenceAccuracy,
    metrics.modelLabelledRows,
    metrics.modelMinLabelledRows,
    metrics.modelRevenueAtRiskPerDay,
    metrics.modelPredictionsTotal,
    metrics.modelDriftedFeatures,
    metrics.modelLastPrediction,
    metrics.modelLastLabel,
    metrics.modelLabelDelay,
    metrics.modelStaleAfter,
    metrics.retrainJobs,
  ];
}

interface Settable<L extends string> {
  set(labels: Record<L, string>, value: number): void;
}

function setIfPresent<L extends string>(gauge: Settable<L>, labels: Record<L, string>, value: number | null): void {
  if (value !== null) gauge.set(labels, value);
}

const seconds = (ms: number | null) => (ms === null ? null : ms / 1000);
const HOUR_SECONDS = 3600;

/**
 * Replaces every model and feature series with the snapshot's figures, so deleted models and
 * features vanish and a null figure is absent rather than 0 (an absent series cannot fire an alert).
 * A model's and each of its features' verdict, row count, drift-hour counts and thresholds are
 * always present, so an alert's series never disappears while the model exists.
 * Synchronous on purpose: a scrape never sees a half-written snapshot.
 */
export function setDriftGauges(
  metrics: DriftGuardMetrics,
  models: readonly ModelDriftSnapshot[],
  thresholds: SeverityThresholds
): void {
  for (const metric of snapshotMetrics(metrics)) metric.reset();
  for (const model of models) {
    const modelLabels = { model: model.model };
    const setModel = (gauge: Settable<'model'>, value: number | null) => setIfPresent(gauge, modelLabels, value);
    setModel(metrics.modelWindowStart, model.window.fromMs / 1000);
    setModel(metrics.modelWindowEnd, model.window.toMs / 1000);
    setModel(metrics.modelHealthScore, model.health_score);
    setModel(metrics.modelEstimatedAccuracy, model.estimated_accuracy);
    setModel(metrics.modelRealizedAccuracy, model.realized_accuracy);
    setModel(metrics.modelReferenceAccuracy, model.reference_accuracy);
    setModel(metrics.modelLabelledRows, model.labelled_rows);
    setModel(metrics.modelMinLabelledRows, model.min_labelled_rows);
    setModel(metrics.modelRevenueAtRiskPerDay, model.revenue_at_risk_per_day);
    setModel(metrics.modelDriftedFeatures, model.drifted_features);
    setModel(metrics.modelLastPrediction, seconds(model.last_prediction_ms));
    setModel(metrics.modelLastLabel, seconds(model.last_label_ms));
    if (model.last_prediction_ms !== null && model.last_label_ms !== null)
      setModel(metrics.modelLabelDelay, (model.last_prediction_ms - model.last_label_ms) / 1000);
    setModel(metrics.modelStaleAfter, model.stale_after_seconds);
    // The store's running total is the counter's value; after the reset above, inc() restores it.
    metrics.modelPredictionsTotal.inc(modelLabels, model.predictions_total);
    for (const [state, count] of Object.entries(model.retrain_jobs))
      metrics.retrainJobs.set({ model: model.model, state }, count);

    const output = model.prediction_drift;
    if (output) {
      const labels = { model: model.model, output: output.output };
      const setOutput = (gauge: Settable<'model' | 'output'>, value: number | null) =>
        setIfPresent(gauge, labels, value);
      setOutput(metrics.predictionPsi, output.psi);
      setOutput(metrics.predictionJsDistance, output.js);
      setOutput(metrics.predictionDriftSeverity, SEVERITY_VALUES[output.severity]);
      setOutput(metrics.predictionDrifted, DRIFTED_VALUES[output.severity]);
      setOutput(metrics.predictionWindowRows, output.production_rows);
    }

    for (const feature of model.features) {
      const labels = { model: model.model, feature: feature.feature };
      const setFeature = (gauge: Settable<'model' | 'feature'>, value: number | null) =>
        setIfPresent(gauge, labels, value);
      setFeature(metrics.featurePsi, feature.psi);
      setFeature(metrics.featurePsiCritical, feature.psi_critical);
      setFeature(metrics.featureKsStatistic, feature.ks_statistic);
      setFeature(metrics.featureKsPvalue, feature.ks_pvalue);
      setFeature(metrics.featureKlDivergence, feature.kl);
      setFeature(metrics.featureJsDistance, feature.js);
      setFeature(metrics.featureDriftSeverity, SEVERITY_VALUES[feature.severity]);
      setFeature(metrics.featureWindowRows, feature.production_rows);
      setFeature(metrics.featureDrifted, DRIFTED_VALUES[feature.severity]);
      setFeature(metrics.featureCriticalStreak, feature.critical_hours * HOUR_SECONDS);
      setFeature(metrics.featureDriftedStreak, feature.drifted_hours * HOUR_SECONDS);
      metrics.featurePsiThreshold.set({ ...labels, severity: 'warning' }, thresholds.psiWarning);
      metrics.featurePsiThreshold.set({ ...labels, severity: 'critical' }, thresholds.psiCritical);
    }
  }
}
