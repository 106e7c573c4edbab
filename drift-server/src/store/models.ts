import type { FeatureKind } from '../stats';
import type { Connection, Database } from './database';
import { ConflictError, NotFoundError } from './errors';
import type { ChangeCounter } from './changes';
import type { KeyedMutex } from './locks';
import { quoteIdentifier } from './sql';

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
}

export interface ModelDefinition {
  readonly name: string;
  readonly task: ModelTask;
  readonly features: readonly FeatureDefinition[];
  readonly columns: ColumnMapping;
  readonly business: BusinessParameters;
  /** Numeric bins per feature, frozen with each reference version. */
  readonly buckets: number;
}

export interface Model extends ModelDefinition {
  readonly id: string;
  readonly created_at: string;
  readonly updated_at: string;
}

export type ModelUpdate = Partial<Omit<ModelDefinition, 'columns' | 'business'>> & {
  readonly columns?: Partial<ColumnMapping>;
  readonly business?: Partial<BusinessParameters>;
};

/** Every table holding a model's data; deleting a model empties them all. */
const MODEL_TABLES = [
  'production_rows',
  'reference_rows',
  'reference_bins',
  'reference_calibrations',
  'reference_versions',
  'agg_numeric',
  'agg_categorical',
  'agg_volume',
  'labels',
  'batches',
] as const;

interface ModelRow {
  id: string;
  definition: string;
  created_ms: bigint;
  updated_ms: bigint;
}

function toModel(row: ModelRow): Model {
  return {
    ...(JSON.parse(row.definition) as ModelDefinition),
    id: row.id,
    created_at: new Date(Number(row.created_ms)).toISOString(),
    updated_at: new Date(Number(row.updated_ms)).toISOString(),
  };
}

/** Only the definition's own fields are stored, whatever else the object carries. */
function definitionOf(source: ModelDefinition): ModelDefinition {
  const { name, task, features, columns, business, buckets } = source;
  return { name, task, features, columns, business, buckets };
}

/**
 * Feature names and kinds are fixed once registered: stored rows hold feature values by position
 * and reference bins by name, so renaming or retyping would silently misread history.
 */
function checkFeatureChange(current: readonly FeatureDefinition[], next: readonly FeatureDefinition[]): void {
  const same =
    current.length === next.length &&
    current.every((feature, index) => feature.name === next[index].name && feature.kind === next[index].kind);
  if (!same) {
    throw new ConflictError(
      'feature names, kinds and order are fixed once a model is registered; only importance may change. Register a new model id for a new feature set',
    );
  }
}

/**
 * Fails unless the model exists: uploads check inside their transaction, under the model's lock,
 * so a model deleted while its upload waited gets no orphaned rows.
 */
export async function requireModel(connection: Connection, id: string): Promise<void> {
  if (!(await connection.first('SELECT 1 FROM models WHERE id = $1', [id]))) {
    throw new NotFoundError(`model ${JSON.stringify(id)} does not exist`);
  }
}

export class ModelStore {
  constructor(
    private readonly database: Database,
    private readonly locks: KeyedMutex,
    private readonly changes: ChangeCounter,
  ) {}

  async create(id: string, definition: ModelDefinition): Promise<Model> {
    return this.database.transaction(async (connection) => {
      if (await this.find(connection, id)) throw new ConflictError(`model ${JSON.stringify(id)} already exists`);
      const now = BigInt(Date.now());
      await connection.run('INSERT INTO models VALUES ($1, $2, $3, $3)', [id, JSON.stringify(definitionOf(definition)), now]);
      return (await this.find(connection, id)) as Model;
    });
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

  async update(id: string, update: ModelUpdate): Promise<Model> {
    const updated = await this.database.transaction(async (connection) => {
      const current = await this.find(connection, id);
      if (!current) throw new NotFoundError(`model ${JSON.stringify(id)} does not exist`);
      if (update.features) checkFeatureChange(current.features, update.features);
      if (update.buckets !== undefined && update.buckets !== current.buckets) {
        const versions = await connection.first('SELECT 1 FROM reference_versions WHERE model_id = $1 LIMIT 1', [id]);
        if (versions) throw new ConflictError('buckets cannot change after a reference version froze the bins');
      }
      const definition: ModelDefinition = {
        name: update.name ?? current.name,
        task: update.task ?? current.task,
        features: update.features ?? current.features,
        columns: { ...current.columns, ...update.columns },
        business: { ...current.business, ...update.business },
        buckets: update.buckets ?? current.buckets,
      };
      await connection.run('UPDATE models SET definition = $2, updated_ms = $3 WHERE id = $1', [
        id,
        JSON.stringify(definition),
        BigInt(Date.now()),
      ]);
      return (await this.find(connection, id)) as Model;
    });
    this.changes.touch(id);
    return updated;
  }

  /** Removes the model and every row stored for it, in one transaction, after its running uploads. */
  async delete(id: string): Promise<void> {
    await this.locks.run(id, () =>
      this.database.transaction(async (connection) => {
        if (!(await this.find(connection, id))) throw new NotFoundError(`model ${JSON.stringify(id)} does not exist`);
        for (const table of MODEL_TABLES) await connection.run(`DELETE FROM ${quoteIdentifier(table)} WHERE model_id = $1`, [id]);
        await connection.run('DELETE FROM models WHERE id = $1', [id]);
      }),
    );
    this.changes.touch(id);
  }

  private async find(connection: Connection, id: string): Promise<Model | undefined> {
    const row = await connection.first<ModelRow & Record<string, unknown>>('SELECT * FROM models WHERE id = $1', [id]);
    return row && toModel(row);
  }
}
