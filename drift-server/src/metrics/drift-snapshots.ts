import { DriftEngine, ModelHealth, modelHealth, ModelSummary, TimeWindow } from '../engine';
import { ConflictError, Model, NotFoundError, RETRAIN_JOB_STATUSES } from '../store';
import type { KsFigure, KsFigures } from './ks-figures';
import type { FeatureDriftSnapshot, ModelDriftSnapshot } from './snapshot';

/** Every hour any prediction can carry, so the volume of this range is the model's total. */
const ALL_TIME = { fromMs: 0, toMs: Number.MAX_SAFE_INTEGER, bucketMs: Number.MAX_SAFE_INTEGER };

/** A feature's figures from the summary (aggregates), with its KS from the last background computation. */
function featureSnapshot(feature: ModelSummary['features'][number], ks: KsFigure | undefined): FeatureDriftSnapshot {
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
  };
}

export const LATEST_REFERENCE = { kind: 'reference' } as const;

/**
 * The query's result, or undefined when the model has nothing to compare: no reference uploaded
 * yet (conflict), or deleted since it was listed (not found).
 */
export async function unlessUncomparable<T>(query: Promise<T>): Promise<T | undefined> {
  try {
    return await query;
  } catch (error) {
    if (error instanceof ConflictError || error instanceof NotFoundError) return undefined;
    throw error;
  }
}

function healthFigures(health: ModelHealth | undefined) {
  return {
    health_score: health?.health.health ?? null,
    estimated_accuracy: health?.accuracy.estimated?.value ?? null,
    realized_accuracy: health?.accuracy.realized?.value ?? null,
    reference_accuracy: health?.accuracy.reference?.value ?? null,
    revenue_at_risk_per_day: health?.cost_benefit?.revenue_at_risk_per_day ?? null,
  };
}

function predictionsTotal(engine: DriftEngine, modelId: string): Promise<number> {
  return engine.cached(['predictions_total', modelId], async () => (await engine.store.aggregates.volume(modelId, ALL_TIME)).get(0) ?? 0);
}

/** A model's jobs counted by status, each status present (0 when none). */
function retrainJobCounts(byStatus: ReadonlyMap<string, number> | undefined): Record<string, number> {
  return Object.fromEntries(RETRAIN_JOB_STATUSES.map((status) => [status, byStatus?.get(status) ?? 0]));
}

async function modelSnapshot(
  engine: DriftEngine,
  model: Model,
  window: TimeWindow,
  jobs: ReadonlyMap<string, number> | undefined,
  ks: ReadonlyMap<string, KsFigure> | undefined,
): Promise<ModelDriftSnapshot> {
  const [summary, health, total] = await Promise.all([
    unlessUncomparable(engine.summary(model.id, window, LATEST_REFERENCE)),
    unlessUncomparable(modelHealth(engine, model.id, window, LATEST_REFERENCE)),
    predictionsTotal(engine, model.id),
  ]);
  return {
    model: model.id,
    ...healthFigures(health),
    predictions_total: total,
    drifted_features: summary?.drifted_features ?? 0,
    retrain_jobs: retrainJobCounts(jobs),
    features: summary?.features.map((feature) => featureSnapshot(feature, ks?.get(feature.feature))) ?? [],
  };
}

/**
 * Every model's figures over the window: drift from the engine's summaries (hourly aggregates),
 * health and accuracy from modelHealth (hourly accuracy sums), and the all-time prediction count
 * (hourly volume aggregates), all through the engine's result cache, so a model whose data has not
 * changed since the last scrape costs no computation; KS from the last background computation; and
 * retrain jobs by model and status, read afresh in one grouped query (jobs change status without the
 * model's data changing).
 */
export async function driftSnapshots(engine: DriftEngine, window: TimeWindow, ks: KsFigures): Promise<ModelDriftSnapshot[]> {
  const [models, jobs] = await Promise.all([engine.store.models.list(), engine.store.retrainJobs.countsByModelAndStatus()]);
  return Promise.all(models.map((model) => modelSnapshot(engine, model, window, jobs.get(model.id), ks.of(model.id))));
}
