import { decisionSettingsOf, DriftEngine, ModelHealth, modelHealth, ModelSummary, Trends } from '../engine';
import type { Severity } from '../stats';
import { DEFAULT_STALE_AFTER_MINUTES, Model, RETRAIN_JOB_STATUSES } from '../store';
import { LATEST_REFERENCE, unlessUncomparable } from './comparable';
import { DRIFT_HOURS_LOOKBACK } from './definitions';
import { CRITICAL, DRIFTED, HourlySeverities, HourlyVerdictCache, hoursInARow } from './drift-hours';
import type { KsFigure, KsFigures } from './ks-figures';
import { metricsWindow } from './metrics-window';
import type { FeatureDriftSnapshot, ModelDriftSnapshot, PredictionDriftSnapshot } from './snapshot';
import { HOUR_MS } from '../time';

/** Every hour any prediction can carry, so the volume of this range is the model's total. */

/** A feature's figures from the summary (aggregates), its drift-hour counts from its hourly verdicts, its KS from the last background computation. */
function featureSnapshot(
  feature: ModelSummary['features'][number],
  severities: readonly Severity[],
  ks: KsFigure | undefined
): FeatureDriftSnapshot {
  return {
    feature: feature.feature,
    psi: feature.psi,
    psi_critical: feature.psi_critical,
    ks_statistic: ks?.statistic ?? null,
    ks_pvalue: ks?.pvalue ?? null,
    kl: feature.kl,
    js: feature.js,
    severity: feature.severity,
    production_rows: feature.production_rows,
    critical_hours: hoursInARow(severities, CRITICAL),
    drifted_hours: hoursInARow(severities, DRIFTED),
  };
}

function healthFigures(health: ModelHealth | undefined) {
  return {
    health_score: health?.health.health ?? null,
    estimated_accuracy: health?.accuracy.estimated?.value ?? null,
    realized_accuracy: health?.accuracy.realized?.value ?? null,
    reference_accuracy: health?.accuracy.reference?.value ?? null,
    revenue_at_risk_per_day: health?.cost_benefit?.revenue_at_risk_per_day ?? null,
    labelled_rows: health ? (health.accuracy.realized?.rows ?? 0) : null,
  };
}

function predictionsTotal(engine: DriftEngine, modelId: string): Promise<number> {
  return engine.cached(['predictions_total', modelId], () => engine.store.aggregates.predictionsStored(modelId));
}

/** A model's jobs counted by status, each status present (0 when none). */
function retrainJobCounts(byStatus: ReadonlyMap<string, number> | undefined): Record<string, number> {
  return Object.fromEntries(RETRAIN_JOB_STATUSES.map((status) => [status, byStatus?.get(status) ?? 0]));
}

/** Where the metrics describe a model, once its newest prediction is known. */
export interface SnapshotSettings {
  readonly nowMs: number;
  readonly windowHours: number;
}

/**
 * Each feature's hourly verdicts over the DRIFT_HOURS_LOOKBACK hours before `toMs`, from the engine's
 * hourly trend. Until a prediction later than `toMs` has arrived, the last hour may still be filling
 * (an upload of its last minutes on its way), so the verdicts are kept only while the data is unchanged.
 */
async function hourlySeverities(
  engine: DriftEngine,
  model: Model,
  toMs: number,
  newestPredictionMs: number | null,
  hourly: HourlyVerdictCache
): Promise<HourlySeverities | undefined> {
  const binning = await unlessUncomparable(engine.binning(model.id));
  if (!binning) return undefined;
  const settled =
    newestPredictionMs !== null && newestPredictionMs >= toMs ? 'settled' : engine.store.changes.version(model.id);
  return hourly.of(model.id, JSON.stringify([model.created_at, binning.version, toMs, settled]), async () => {
    const trend: Trends | undefined = await unlessUncomparable(
      engine.trends(model.id, { fromMs: toMs - DRIFT_HOURS_LOOKBACK * HOUR_MS, toMs }, HOUR_MS, LATEST_REFERENCE)
    );
    return (
      trend && new Map(trend.series.map((series) => [series.feature, series.points.map((point) => point.severity)]))
    );
  });
}

async function modelSnapshot(
  engine: DriftEngine,
  model: Model,
  settings: SnapshotSettings,
  jobs: ReadonlyMap<string, number> | undefined,
  ks: ReadonlyMap<string, KsFigure> | undefined,
  hourly: HourlyVerdictCache
): Promise<ModelDriftSnapshot> {
  const freshness = await engine.cached(['freshness', model.id], () => engine.store.freshness.of(model.id));
  const window = metricsWindow(settings.nowMs, settings.windowHours, freshness.newestPredictionMs);
  const [summary, health, severities, total] = await Promise.all([
    unlessUncomparable(engine.summary(model.id, window, LATEST_REFERENCE)),
    unlessUncomparable(modelHealth(engine, model.id, window, LATEST_REFERENCE)),
    hourlySeverities(engine, model, window.toMs, freshness.newestPredictionMs, hourly),
    predictionsTotal(engine, model.id),
  ]);
  return {
    model: model.id,
    window,
    ...healthFigures(health),
    min_labelled_rows: decisionSettingsOf(model).minLabelledRows,
    predictions_total: total,
    drifted_features: summary?.drifted_features ?? 0,
    last_prediction_ms: freshness.newestPredictionMs,
    last_label_ms: freshness.newestLabelledMs,
    stale_after_seconds: 60 * (model.monitoring?.stale_after_minutes ?? DEFAULT_STALE_AFTER_MINUTES),
    retrain_jobs: retrainJobCounts(jobs),
    features:
      summary?.features.map((feature) =>
        featureSnapshot(feature, severities?.get(feature.feature) ?? [], ks?.get(feature.feature))
      ) ?? [],
    prediction_drift: predictionSnapshot(summary?.prediction_drift ?? null),
  };
}

function predictionSnapshot(drift: ModelSummary['prediction_drift']): PredictionDriftSnapshot | null {
  return (
    drift && {
      output: drift.column,
      psi: drift.psi,
      js: drift.js,
      severity: drift.severity,
      production_rows: drift.production_rows,
    }
  );
}

/**
 * Every model's figures at `settings.nowMs`: its freshness (newest prediction and label), its
 * metrics window from that, drift over the window from the engine's summary (hourly aggregates),
 * the drift-hour counts from its hourly verdicts (kept until the window moves), health and accuracy from modelHealth (hourly
 * accuracy sums) and the all-time prediction count (hourly volume aggregates), all through the
 * engine's result cache, so a model whose data has not changed and whose window has not moved
 * costs no computation; KS from the last background computation; and retrain jobs by model and
 * status, read afresh in one grouped query (jobs change status without the model's data changing).
 */
export async function driftSnapshots(
  engine: DriftEngine,
  settings: SnapshotSettings,
  ks: KsFigures,
  hourly: HourlyVerdictCache
): Promise<ModelDriftSnapshot[]> {
  const [models, jobs] = await Promise.all([
    engine.store.models.list(),
    engine.store.retrainJobs.countsByModelAndStatus(),
  ]);
  hourly.keepOnly(new Set(models.map((model) => model.id)));
  return Promise.all(
    models.map((model) => modelSnapshot(engine, model, settings, jobs.get(model.id), ks.of(model.id), hourly))
  );
}
