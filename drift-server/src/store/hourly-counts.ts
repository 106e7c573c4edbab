import { randomBytes } from 'node:crypto';
import { DOUBLE, DuckDBType, DuckDBValue, INTEGER, LIST, listValue, VARCHAR } from '@duckdb/node-api';
import type { Connection } from './database';
import type { FeatureDefinition } from './models';
import { HOUR_MS, DAY_MS } from '../time';

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
 * Rows to count: `from(first)` is the FROM clause (a table, or a table and a filter whose
 * parameters are numbered from `first` on), `value(i)` the SQL of feature i's value in it; both
 * are built by the store, never from user text. The rows must have a `ts_ms` column.
 */
export interface CountedRows {
  readonly from: (firstParam: number) => string;
  readonly params: readonly DuckDBValue[];
  readonly types: readonly DuckDBType[];
  readonly value: (featureIndex: number) => string;
}

/**
 * Adds the counts of rows per hour, feature and bin to the stored aggregates, in one statement per
 * table, on the database side. Numeric features count over their frozen cut points (`cuts[i]`,
 * null for categorical features) into agg_numeric under `referenceVersion`, in the bin
 * numericBinIndex gives (the number of cut points ≤ the value; missing and NaN in MISSING_BIN);
 * categorical features
 * count raw category values, which depend on no reference version, into agg_categorical; the rows
 * per hour go to agg_volume. Re-binning for a new reference version recounts numeric features only.
 * The same counts are added per UTC day to agg_numeric_daily and agg_categorical_daily, which long
 * windows read instead of 24 hourly rows per day.
 */
export class HourlyCounts {
  constructor(
    private readonly features: readonly FeatureDefinition[],
    private readonly cuts: readonly (readonly number[] | null)[],
    private readonly numericOnly = false
  ) {}

  async add(connection: Connection, modelId: string, referenceVersion: number, rows: CountedRows): Promise<void> {
    const numeric = this.features.flatMap((feature, index) =>
      feature.kind === 'numeric' && this.cuts[index] ? [index] : []
    );
    const categorical = this.numericOnly
      ? []
      : this.features.flatMap((feature, index) => (feature.kind === 'categorical' ? [index] : []));
    const names = listValue(this.features.map((feature) => feature.name));
    if (numeric.length > 0) {
      // $1 model, $2 feature names, $3 version, then the rows' parameters, then every cut point as a DOUBLE, so it compares exactly.
      const cuts: number[] = [];
      const firstCut = 4 + rows.params.length;
      const binOf = (index: number) => {
        const value = rows.value(index);
        const comparisons = (this.cuts[index] as readonly number[]).map(
          (cut) => `(${value} >= $${firstCut + cuts.push(cut) - 1})::SMALLINT`
        );
        return `CASE WHEN ${value} IS NULL OR isnan(${value}) THEN ${MISSING_BIN} ELSE ${comparisons.length > 0 ? comparisons.join(' + ') : '0'} END`;
      };
      const branches = numeric.map(
        (index) =>
          `SELECT list_extract($2, ${index + 1}) AS feature, ${HOUR_SQL} AS hour_ms, (${binOf(index)})::SMALLINT AS bin, count(*) AS n FROM ${rows.from(4)} GROUP BY ALL`
      );
      await addCounts(
        connection,
        { hourly: 'agg_numeric', daily: 'agg_numeric_daily', keys: 'reference_version, feature', bin: 'bin' },
        `SELECT $1 AS model_id, $3 AS reference_version, feature, hour_ms, bin, n FROM (${branches.join(' UNION ALL ')})`,
        [modelId, names, referenceVersion, ...rows.params, ...cuts],
        [VARCHAR, LIST(VARCHAR), INTEGER, ...rows.types, ...cuts.map(() => DOUBLE)]
      );
    }
    if (categorical.length > 0) {
      const branches = categorical.map(
        (index) =>
          `SELECT list_extract($2, ${index + 1}) AS feature, ${HOUR_SQL} AS hour_ms, coalesce(${rows.value(index)}, '${MISSING_CATEGORY}') AS category, count(*) AS n
           FROM ${rows.from(3)} GROUP BY ALL`
      );
      await addCounts(
        connection,
        { hourly: 'agg_categorical', daily: 'agg_categorical_daily', keys: 'feature', bin: 'category' },
        `SELECT $1 AS model_id, feature, hour_ms, category, n FROM (${branches.join(' UNION ALL ')})`,
        [modelId, names, ...rows.params],
        [VARCHAR, LIST(VARCHAR), ...rows.types]
      );
    }
    if (!this.numericOnly) {
      await connection.run(
        `INSERT INTO agg_volume SELECT $1, ${HOUR_SQL} AS hour_ms, count(*) FROM ${rows.from(2)} GROUP BY ALL
         ON CONFLICT DO UPDATE SET n = agg_volume.n + excluded.n`,
        [modelId, ...rows.params],
        [VARCHAR, ...rows.types]
      );
    }
  }
}

/** An hourly aggregate table, its daily rollup, the key columns between model_id and the time, and the bin column after it. */
interface CountTables {
  readonly hourly: string;
  readonly daily: string;
  readonly keys: string;
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
  params: DuckDBValue[],
  types: DuckDBType[]
): Promise<void> {
  const counted = `counted_${randomBytes(8).toString('hex')}`;
  await connection.run(`CREATE TEMP TABLE ${counted} AS ${select}`, params, types);
  await connection.run(
    `INSERT INTO ${tables.hourly} SELECT * FROM ${counted} ON CONFLICT DO UPDATE SET n = ${tables.hourly}.n + excluded.n`
  );
  await connection.run(
    `INSERT INTO ${tables.daily} SELECT model_id, ${tables.keys}, ${DAY_SQL} AS day_ms, ${tables.bin}, sum(n) FROM ${counted} GROUP BY ALL
     ON CONFLICT DO UPDATE SET n = ${tables.daily}.n + excluded.n`
  );
  await connection.run(`DROP TABLE ${counted}`);
}
