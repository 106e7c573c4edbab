import { randomBytes } from 'node:crypto';
import { DOUBLE, INTEGER, LIST, listValue, VARCHAR } from '@duckdb/node-api';
import type { Connection, Params, ParamTypes } from '../database';
import type { FeatureDefinition } from '../models';
import type { ModelOutput } from '../model-output';
import { featureColumn } from '../row-tables';
import { quoteIdentifier } from '../sql';
import { HOUR_MS, DAY_MS } from '../../time';

/** Category key of the missing bin in agg_categorical. */
export const MISSING_CATEGORY = '';

/** Stored numeric bin index of missing values in agg_numeric. */
export const MISSING_BIN = -1;

export function hourOf(timestampMs: number): number {
  return Math.floor(timestampMs / HOUR_MS) * HOUR_MS;
}

/** SQL of the hour a `ts_ms` value falls in, as hourOf computes it (timestamps are after 2000, so positive). */
const HOUR_SQL = `ts_ms // ${HOUR_MS} * ${HOUR_MS}`;

/** SQL of the UTC day an `hour_ms` value falls in. */
const DAY_SQL = `hour_ms // ${DAY_MS} * ${DAY_MS}`;

/**
 * Adds the counts of rows per hour, feature and bin to the stored aggregates, in one statement per
 * table, on the database side, from `table` (store-built SQL: a model's production rows or a staging
 * table), which holds `ts_ms` and feature i in column f<i> (row-tables.ts). Numeric features count
 * over their frozen cut points (`cuts[i]`, null for categorical features) into agg_numeric under
 * `referenceVersion`, in the bin numericBinIndex gives (the number of cut points ≤ the value;
 * missing and NaN in MISSING_BIN); categorical features count raw category values, which depend on
 * no reference version, into agg_categorical; the rows per hour go to agg_volume. Re-binning for a
 * new reference version recounts numeric features only. The same counts are added per UTC day to
 * agg_numeric_daily and agg_categorical_daily, which long windows read instead of 24 hourly rows per day.
 * The model's `output` (model-output.ts), when given, is counted after the features like one more
 * feature under MODEL_OUTPUT_KEY, over its own frozen cut points when numeric.
 */
export class HourlyCounts {
  private readonly features: readonly FeatureDefinition[];
  private readonly cuts: readonly (readonly number[] | null)[];
  /** SQL of each counted value, in the order of `features`. */
  private readonly values: readonly string[];

  constructor(
    features: readonly FeatureDefinition[],
    cuts: readonly (readonly number[] | null)[],
    private readonly numericOnly = false,
    output?: { readonly signal: ModelOutput; readonly cuts: readonly number[] | null }
  ) {
    const values = features.map((_, index) => featureColumn(index));
    this.features = output ? [...features, output.signal.definition] : features;
    this.cuts = output ? [...cuts, output.cuts] : cuts;
    this.values = output ? [...values, `(${output.signal.valueSql})`] : values;
  }

  async add(connection: Connection, modelId: string, referenceVersion: number, table: string): Promise<void> {
    const numeric = this.features.flatMap((feature, index) =>
      feature.kind === 'numeric' && this.cuts[index] ? [index] : []
    );
    const categorical = this.numericOnly
      ? []
      : this.features.flatMap((feature, index) => (feature.kind === 'categorical' ? [index] : []));
    const names = listValue(this.features.map((feature) => feature.name));
    if (numeric.length > 0) {
      // Every cut point bound as a DOUBLE, so it compares exactly.
      const cuts: Record<string, number> = {};
      const binOf = (index: number) => {
        const value = this.values[index];
        const comparisons = (this.cuts[index] as readonly number[]).map((cut, position) => {
          const name = `cut_${index}_${position}`;
          cuts[name] = cut;
          return `(${value} >= $${name})::SMALLINT`;
        });
        return `CASE WHEN ${value} IS NULL OR isnan(${value}) THEN ${MISSING_BIN} ELSE ${comparisons.length > 0 ? comparisons.join(' + ') : '0'} END`;
      };
      const branches = numeric.map(
        (index) =>
          `SELECT list_extract($names, ${index + 1}) AS feature, ${HOUR_SQL} AS hour_ms, (${binOf(index)})::SMALLINT AS bin, count(*) AS n FROM ${table} GROUP BY ALL`
      );
      await addCounts(
        connection,
        { hourly: 'agg_numeric', daily: 'agg_numeric_daily', keys: ['reference_version', 'feature'], bin: 'bin' },
        `SELECT $model AS model_id, $version AS reference_version, feature, hour_ms, bin, n FROM (${branches.join(' UNION ALL ')})`,
        { model: modelId, names, version: referenceVersion, ...cuts },
        {
          model: VARCHAR,
          names: LIST(VARCHAR),
          version: INTEGER,
          ...Object.fromEntries(Object.keys(cuts).map((name) => [name, DOUBLE])),
        }
      );
    }
    if (categorical.length > 0) {
      const branches = categorical.map(
        (index) =>
          `SELECT list_extract($names, ${index + 1}) AS feature, ${HOUR_SQL} AS hour_ms, coalesce(${this.values[index]}, '${MISSING_CATEGORY}') AS category, count(*) AS n
           FROM ${table} GROUP BY ALL`
      );
      await addCounts(
        connection,
        { hourly: 'agg_categorical', daily: 'agg_categorical_daily', keys: ['feature'], bin: 'category' },
        `SELECT $model AS model_id, feature, hour_ms, category, n FROM (${branches.join(' UNION ALL ')})`,
        { model: modelId, names },
        { model: VARCHAR, names: LIST(VARCHAR) }
      );
    }
    if (!this.numericOnly) {
      await connection.run(
        `INSERT INTO agg_volume (model_id, hour_ms, n) SELECT $model, ${HOUR_SQL} AS hour_ms, count(*) FROM ${table} GROUP BY ALL
         ON CONFLICT DO UPDATE SET n = agg_volume.n + excluded.n`,
        { model: modelId },
        { model: VARCHAR }
      );
    }
  }
}

/** An hourly aggregate table, its daily rollup, the key columns between model_id and the time, and the bin column after it. */
interface CountTables {
  readonly hourly: string;
  readonly daily: string;
  readonly keys: readonly string[];
  readonly bin: string;
}

/**
 * Adds the counts `select` yields (model_id, keys, hour_ms, bin, n) to the hourly table and, summed
 * per day, to its rollup. The counts are computed once into a temporary table; it is created in
 * the caller's transaction, so a failure rolls it back with everything else.
 */
async function addCounts(
  connection: Connection,
  tables: CountTables,
  select: string,
  params: Params,
  types: ParamTypes
): Promise<void> {
  const counted = quoteIdentifier(`counted_${randomBytes(8).toString('hex')}`);
  const keys = tables.keys.join(', ');
  await connection.run(`CREATE TEMP TABLE ${counted} AS ${select}`, params, types);
  await connection.run(
    `INSERT INTO ${tables.hourly} (model_id, ${keys}, hour_ms, ${tables.bin}, n)
     SELECT model_id, ${keys}, hour_ms, ${tables.bin}, n FROM ${counted} ON CONFLICT DO UPDATE SET n = ${tables.hourly}.n + excluded.n`
  );
  await connection.run(
    `INSERT INTO ${tables.daily} (model_id, ${keys}, day_ms, ${tables.bin}, n)
     SELECT model_id, ${keys}, ${DAY_SQL} AS day_ms, ${tables.bin}, sum(n) FROM ${counted} GROUP BY ALL
     ON CONFLICT DO UPDATE SET n = ${tables.daily}.n + excluded.n`
  );
  await connection.run(`DROP TABLE ${counted}`);
}
