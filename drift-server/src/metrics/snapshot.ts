import type { Severity } from '../stats/severity';
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
}

/** One model's figures over the metrics window, as the engine computes them. */
export interface ModelDriftSnapshot {
  readonly model: string;
  readonly health_score: number | null;
  readonly estimated_accuracy: number | null;
  readonly realized_accuracy: number | null;
  readonly reference_accuracy: number | null;
  readonly revenue_at_risk_per_day: number | null;
  /** All production predictions stored for the model, ever. */
  readonly predictions_total: number;
  readonly drifted_features: number;
  /** Retrain job count by state. */
  readonly retrain_jobs: Readonly<Record<string, number>>;
  readonly features: readonly FeatureDriftSnapshot[];
}

const SEVERITY_VALUES: Readonly<Record<Severity, number>> = { insufficient_data: -1, ok: 0, warning: 1, critical: 2 };

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
    metrics.modelHealthScore,
    metrics.modelEstimatedAccuracy,
    metrics.modelRealizedAccuracy,
    metrics.modelReferenceAccuracy,
    metrics.modelRevenueAtRiskPerDay,
    metrics.modelPredictionsTotal,
    metrics.modelDriftedFeatures,
    metrics.retrainJobs,
  ];
}

interface Settable<L extends string> {
  set(labels: Record<L, string>, value: number): void;
}

function setIfPresent<L extends string>(gauge: Settable<L>, labels: Record<L, string>, value: number | null): void {
  if (value !== null) gauge.set(labels, value);
}

/**
 * Replaces every model and feature series with the snapshot's figures, so deleted models and
 * features vanish and a null figure is absent rather than 0 (an absent series cannot fire an alert).
 * Synchronous on purpose: a scrape never sees a half-written snapshot.
 */
export function setDriftGauges(metrics: DriftGuardMetrics, models: readonly ModelDriftSnapshot[]): void {
  for (const metric of snapshotMetrics(metrics)) metric.reset();
  for (const model of models) {
    const modelLabels = { model: model.model };
    const setModel = (gauge: Settable<'model'>, value: number | null) => setIfPresent(gauge, modelLabels, value);
    setModel(metrics.modelHealthScore, model.health_score);
    setModel(metrics.modelEstimatedAccuracy, model.estimated_accuracy);
    setModel(metrics.modelRealizedAccuracy, model.realized_accuracy);
    setModel(metrics.modelReferenceAccuracy, model.reference_accuracy);
    setModel(metrics.modelRevenueAtRiskPerDay, model.revenue_at_risk_per_day);
    setModel(metrics.modelDriftedFeatures, model.drifted_features);
    // The store's running total is the counter's value; after the reset above, inc() restores it.
    metrics.modelPredictionsTotal.inc(modelLabels, model.predictions_total);
    for (const [state, count] of Object.entries(model.retrain_jobs)) metrics.retrainJobs.set({ model: model.model, state }, count);

    for (const feature of model.features) {
      const labels = { model: model.model, feature: feature.feature };
      const setFeature = (gauge: Settable<'model' | 'feature'>, value: number | null) => setIfPresent(gauge, labels, value);
      setFeature(metrics.featurePsi, feature.psi);
      setFeature(metrics.featurePsiCritical, feature.psi_critical);
      setFeature(metrics.featureKsStatistic, feature.ks_statistic);
      setFeature(metrics.featureKsPvalue, feature.ks_pvalue);
      setFeature(metrics.featureKlDivergence, feature.kl);
      setFeature(metrics.featureJsDistance, feature.js);
      setFeature(metrics.featureDriftSeverity, SEVERITY_VALUES[feature.severity]);
      setFeature(metrics.featureWindowRows, feature.production_rows);
    }
  }
}
