import type { FeatureKind } from '../stats';
import type { Connection, Database } from './database';
import { ConflictError, InvalidDefinitionError, NotFoundError } from './errors';
import type { ChangeCounter } from './changes';
import type { KeyedMutex } from './locks';
import { MODEL_OUTPUT_KEY } from './model-output';
import { createRowTables, dropRowTables } from './row-tables';
import { isoOfMs, quoteIdentifier } from './sql';

export const MODEL_TASKS = ['binary_classification', 'multiclass_classification', 'regression'] as const;
export type ModelTask = (typeof MODEL_TASKS)[number];

export interface FeatureDefinition {
  readonly name: string;
  readonly kind: FeatureKind;
  readonly importance: number;
}

/** Which columns of an uploaded row hold what. Feature columns are named like their features. */
export interface ColumnMapping {
  readonly prediction_id: string;
  readonly timestamp: string;
  readonly prediction: string | null;
  readonly probability: string | null;
  readonly label: string | null;
}

export interface BusinessParameters {
  readonly currency: string;
  readonly value_per_correct_prediction: number | null;
  readonly cost_per_error: number | null;
  readonly retrain_cost: number | null;
  readonly retrain_duration_days: number | null;
  readonly horizon_days: number | null;
  /** Used when production volume is too short to measure it. */
  readonly predictions_per_day: number | null;
  /** Labelled rows a window needs before its realized accuracy is acted on; null or absent: the engine's default. */
  readonly min_labelled_rows?: number | null;
}

export const RETRAIN_POLICIES = ['manual', 'auto'] as const;
/** manual: jobs only on request; auto: alerts may schedule a job when retraining pays. */
export type RetrainPolicy = (typeof RETRAIN_POLICIES)[number];

/** A trainer reached by an HMAC-signed POST; it reports back through the job's callback URL. */
export interface WebhookTrainer {
  readonly kind: 'webhook';
  readonly url: string;
  /** Signs deliveries and verifies callbacks; never returned by the API. */
  readonly secret: string;
  readonly timeout_ms: number;
  readonly max_attempts: number;
}

/** The built-in demo trainer: promotes the job window's production rows to a new reference. */
export interface SimulatedTrainer {
  readonly kind: 'simulated';
  readonly delay_ms: number;
}

export type TrainerSettings = WebhookTrainer | SimulatedTrainer;

export interface RetrainingSettings {
  readonly policy: RetrainPolicy;
  readonly trainer: TrainerSettings | null;
}

/** Retraining settings as reads show them: a webhook's secret replaced by whether one is set. */
export interface RetrainingView {
  readonly policy: RetrainPolicy;
  readonly trainer:
    (Omit<WebhookTrainer, 'secret'> & { readonly secret_configured: boolean }) | SimulatedTrainer | null;
}

/** An update may leave a webhook's secret out to keep the stored one. */
export type TrainerUpdate = (Omit<WebhookTrainer, 'secret'> & { readonly secret?: string }) | SimulatedTrainer;

export const DEFAULT_RETRAINING: RetrainingSettings = { policy: 'manual', trainer: null };

export interface MonitoringSettings {
  /** Minutes without a new prediction after which the model's data is stale; null: DEFAULT_STALE_AFTER_MINUTES. */
  readonly stale_after_minutes: number | null;
}

export const DEFAULT_MONITORING: MonitoringSettings = { stale_after_minutes: null };
/** An hour without a prediction: quiet enough for models that serve a few requests a minute. */
export const DEFAULT_STALE_AFTER_MINUTES = 60;

export interface ModelDefinition {
  readonly name: string;
  readonly task: ModelTask;
  readonly features: readonly FeatureDefinition[];
  readonly columns: ColumnMapping;
  readonly business: BusinessParameters;
  /** Numeric bins per feature, frozen with each reference version. */
  readonly buckets: number;
  /** DEFAULT_RETRAINING when left out. */
  readonly retraining?: RetrainingSettings;
  /** DEFAULT_MONITORING when left out. */
  readonly monitoring?: MonitoringSettings;
}

export interface Model extends Omit<ModelDefinition, 'retraining'> {
  readonly id: string;
  readonly created_at: string;
  readonly updated_at: string;
  readonly retraining: RetrainingView;
}

export type ModelUpdate = Partial<Omit<ModelDefinition, 'columns' | 'business' | 'retraining' | 'monitoring'>> & {
  readonly columns?: Partial<ColumnMapping>;
  readonly business?: Partial<BusinessParameters>;
  readonly retraining?: { readonly policy?: RetrainPolicy; readonly trainer?: TrainerUpdate | null };
  readonly monitoring?: Partial<MonitoringSettings>;
};

/** Every shared table holding a model's data; deleting a model empties them all and drops its row tables. */
const MODEL_TABLES = [
  'reference_bins',
  'reference_calibrations',
  'reference_versions',
  'agg_numeric',
  'agg_categorical',
  'agg_numeric_daily',
  'agg_categorical_daily',
  'agg_volume',
  'agg_estimate',
  'agg_estimate_folds',
  'agg_realized',
  'labels',
  'batches',
  'retrain_jobs',
  'alerts_received',
] as const;

interface ModelRow {
  id: string;
  definition: string;
  created_ms: bigint;
  updated_ms: bigint;
}

/** The stored definition; models registered before retraining (monitoring) existed get DEFAULT_RETRAINING (DEFAULT_MONITORING). */
function storedDefinition(row: ModelRow): Required<ModelDefinition> {
  const definition = JSON.parse(row.definition) as ModelDefinition;
  return {
    ...definition,
    retraining: definition.retraining ?? DEFAULT_RETRAINING,
    monitoring: definition.monitoring ?? DEFAULT_MONITORING,
  };
}

function retrainingView({ policy, trainer }: RetrainingSettings): RetrainingView {
  if (trainer?.kind !== 'webhook') return { policy, trainer };
  const { secret, ...shown } = trainer;
  return { policy, trainer: { ...shown, secret_configured: secret.length > 0 } };
}

function toModel(row: ModelRow): Model {
  const definition = storedDefinition(row);
  return {
    ...definition,
    retraining: retrainingView(definition.retraining),
    id: row.id,
    created_at: isoOfMs(row.created_ms),
    updated_at: isoOfMs(row.updated_ms),
  };
}

/** Only the definition's own fields are stored, whatever else the object carries. */
function definitionOf(source: ModelDefinition): Required<ModelDefinition> {
  const {
    name,
    task,
    features,
    columns,
    business,
    buckets,
    retraining = DEFAULT_RETRAINING,
    monitoring = DEFAULT_MONITORING,
  } = source;
  return { name, task, features, columns, business, buckets, retraining, monitoring };
}

/** The retraining settings after an update; a webhook sent without a secret keeps the stored one. */
function updatedRetraining(current: RetrainingSettings, update: ModelUpdate['retraining']): RetrainingSettings {
  if (!update) return current;
  const policy = update.policy ?? current.policy;
  if (update.trainer === undefined) return { policy, trainer: current.trainer };
  if (update.trainer === null || update.trainer.kind === 'simulated') return { policy, trainer: update.trainer };
  const secret = update.trainer.secret ?? (current.trainer?.kind === 'webhook' ? current.trainer.secret : undefined);
  if (secret === undefined)
    throw new ConflictError('the model has no webhook secret yet: send retraining.trainer.secret');
  return { policy, trainer: { ...update.trainer, secret } };
}

/**
 * Feature names and kinds are fixed once registered: stored rows hold feature values by position
 * (column f<i> of the model's row tables, typed by kind) and reference bins by name, so renaming or
 * retyping would silently misread history — and the row tables never need altering.
 */
function checkFeatureChange(current: readonly FeatureDefinition[], next: readonly FeatureDefinition[]): void {
  const same =
    current.length === next.length &&
    current.every((feature, index) => feature.name === next[index].name && feature.kind === next[index].kind);
  if (!same) {
    throw new ConflictError(
      'feature names, kinds and order are fixed once a model is registered; only importance may change. Register a new model id for a new feature set'
    );
  }
}

/**
 * Feature names are unique, distinct from the mapped columns (a row's column would mean two things)
 * and from the model output's storage key, and at most `maxFeatures`. Checked on the definition as
 * it will be stored, inside the write's transaction, whoever registers the model (API, CLI, demo).
 */
function checkDefinition({ features, columns }: ModelDefinition, maxFeatures: number): void {
  if (features.length > maxFeatures)
    throw new InvalidDefinitionError(`a model may have at most ${maxFeatures} features, got ${features.length}`);
  const names = new Set<string>();
  const mapped = new Set(Object.values(columns).filter((column): column is string => typeof column === 'string'));
  for (const { name } of features) {
    if (names.has(name)) throw new InvalidDefinitionError(`feature ${JSON.stringify(name)} is listed twice`);
    if (name === MODEL_OUTPUT_KEY)
      throw new InvalidDefinitionError(
        `feature ${JSON.stringify(name)} has the name the model's output is stored under`
      );
    if (mapped.has(name))
      throw new InvalidDefinitionError(`feature ${JSON.stringify(name)} has the name of a mapped column`);
    names.add(name);
  }
}

/**
 * Fails unless the model exists: uploads check inside their transaction, under the model's lock,
 * so a model deleted while its upload waited gets no orphaned rows.
 */
export async function requireModel(connection: Connection, id: string): Promise<void> {
  if (!(await connection.first('SELECT 1 FROM models WHERE id = $id', { id }))) {
    throw new NotFoundError(`model ${JSON.stringify(id)} does not exist`);
  }
}

export class ModelStore {
  constructor(
    private readonly database: Database,
    private readonly locks: KeyedMutex,
    private readonly changes: ChangeCounter,
    private readonly maxFeatures: number
  ) {}

  /**
   * Registers a model. The definition's rules are checked inside the transaction and under the
   * model's lock, as every write of a model is, whoever registers it (API, CLI, demo).
   */
  async create(id: string, definition: ModelDefinition): Promise<Model> {
    return this.locks.run(id, () =>
      this.database.transaction(async (connection) => {
        const stored = definitionOf(definition);
        checkDefinition(stored, this.maxFeatures);
        if (await this.find(connection, id)) throw new ConflictError(`model ${JSON.stringify(id)} already exists`);
        const now = BigInt(Date.now());
        await connection.run(
          'INSERT INTO models (id, definition, created_ms, updated_ms) VALUES ($id, $definition, $now, $now)',
          { id, definition: JSON.stringify(stored), now }
        );
        await createRowTables(connection, id, stored.features);
        return (await this.find(connection, id)) as Model;
      })
    );
  }

  async get(id: string): Promise<Model> {
    const model = await this.database.withConnection((connection) => this.find(connection, id));
    if (!model) throw new NotFoundError(`model ${JSON.stringify(id)} does not exist`);
    return model;
  }

  async list(): Promise<Model[]> {
    const rows = await this.database.rows<ModelRow & Record<string, unknown>>('SELECT * FROM models ORDER BY id');
    return rows.map(toModel);
  }

  /**
   * Changes a model's definition under its lock: an upload validates its rows against the definition
   * and a reference upload freezes the bins while holding the same lock, so neither can see a change
   * half-made or commit past a check (buckets fixed once a reference exists) made before it.
   */
  async update(id: string, update: ModelUpdate): Promise<Model> {
    return this.locks.run(id, () => this.updateLocked(id, update));
  }

  private async updateLocked(id: string, update: ModelUpdate): Promise<Model> {
    return this.changes.writing(id, () =>
      this.database.transaction(async (connection) => {
        const row = await this.findRow(connection, id);
        if (!row) throw new NotFoundError(`model ${JSON.stringify(id)} does not exist`);
        const current = storedDefinition(row);
        if (update.features) checkFeatureChange(current.features, update.features);
        if (update.buckets !== undefined && update.buckets !== current.buckets) {
          const versions = await connection.first('SELECT 1 FROM reference_versions WHERE model_id = $id LIMIT 1', {
            id,
          });
          if (versions) throw new ConflictError('buckets cannot change after a reference version froze the bins');
        }
        const definition: ModelDefinition = {
          name: update.name ?? current.name,
          task: update.task ?? current.task,
          features: update.features ?? current.features,
          columns: { ...current.columns, ...update.columns },
          business: { ...current.business, ...update.business },
          buckets: update.buckets ?? current.buckets,
          retraining: updatedRetraining(current.retraining, update.retraining),
          monitoring: { ...current.monitoring, ...update.monitoring },
        };
        checkDefinition(definition, this.maxFeatures);
        await connection.run('UPDATE models SET definition = $definition, updated_ms = $updated WHERE id = $id', {
          id,
          definition: JSON.stringify(definition),
          updated: BigInt(Date.now()),
        });
        return (await this.find(connection, id)) as Model;
      })
    );
  }

  /** Removes the model and every row stored for it, in one transaction, after its running uploads. */
  async delete(id: string): Promise<void> {
    await this.locks.run(id, () =>
      this.changes.writing(id, () =>
        this.database.transaction(async (connection) => {
          if (!(await this.find(connection, id))) throw new NotFoundError(`model ${JSON.stringify(id)} does not exist`);
          for (const table of MODEL_TABLES)
            await connection.run(`DELETE FROM ${quoteIdentifier(table)} WHERE model_id = $id`, { id });
          await dropRowTables(connection, id);
          await connection.run('DELETE FROM models WHERE id = $id', { id });
        })
      )
    );
  }

  /** The model's retraining settings with the webhook secret, for the job runner and callback checks. */
  async retraining(id: string): Promise<RetrainingSettings> {
    const row = await this.database.withConnection((connection) => this.findRow(connection, id));
    if (!row) throw new NotFoundError(`model ${JSON.stringify(id)} does not exist`);
    return storedDefinition(row).retraining;
  }

  private async find(connection: Connection, id: string): Promise<Model | undefined> {
    const row = await this.findRow(connection, id);
    return row && toModel(row);
  }

  private findRow(connection: Connection, id: string): Promise<ModelRow | undefined> {
    return connection.first<ModelRow & Record<string, unknown>>('SELECT * FROM models WHERE id = $id', { id });
  }
}
