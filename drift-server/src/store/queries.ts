import { BIGINT, INTEGER, LIST, listValue, VARCHAR } from '@duckdb/node-api';
import type { AccuracySums } from '../stats';
import type { Database, Params, ParamTypes } from './database';
import { BucketedRange, Span, splitByResolution } from './resolution';
import { featureColumn, productionRows, referenceRows } from './row-tables';
import { NamedParameters, quoteIdentifier } from './sql';
import { TimeSlicer } from './time-slices';
import { HOUR_MS, DAY_MS } from '../time';

/** bucket → feature → bin (or category) → count */
export type BucketCounts<K> = Map<number, Map<string, Map<K, number>>>;

function addTo<K>(target: BucketCounts<K>, bucket: number, feature: string, key: K, n: number): void {
  let features = target.get(bucket);
  if (!features) target.set(bucket, (features = new Map()));
  let bins = features.get(feature);
  if (!bins) features.set(feature, (bins = new Map()));
  bins.set(key, n);
}

/** The named parameters of a bucketed range: `$from`, `$to`, `$bucket`. */
function rangeParams(range: BucketedRange): { from: bigint; to: bigint; bucket: bigint } {
  return { from: BigInt(range.fromMs), to: BigInt(range.toMs), bucket: BigInt(range.bucketMs) };
}

/**
 * Count rows as DuckDB returns them, one array per column: `feature` is the 1-based position in the
 * list of features read, `key` the bin (numeric counts) or the category's 1-based position in
 * `categories` (categorical counts). Every column is a Float64Array, which a worker thread receives by transfer.
 */
export interface CountColumns {
  readonly bucket: ArrayLike<number>;
  readonly feature: ArrayLike<number>;
  readonly key: ArrayLike<number>;
  readonly n: ArrayLike<number>;
}

/**
 * Categorical counts with each category's text read once, in `categories`, instead of once per
 * count row: converting the text of a 90-day hourly trend's 200 000 category counts was the larger
 * part of the event loop's work in reading them.
 */
export interface CategoryCountColumns extends CountColumns {
  readonly categories: readonly string[];
}

/** Files the rows into nested maps in time slices: a 90-day hourly trend reads over 300 000 counts. */
async function fileCounts<K>(
  features: readonly string[],
  columns: CountColumns,
  keyOf: (key: number) => K
): Promise<BucketCounts<K>> {
  const counts: BucketCounts<K> = new Map();
  const slicer = new TimeSlicer();
  for (let row = 0; row < columns.n.length; row += 1) {
    addTo(counts, columns.bucket[row], features[columns.feature[row] - 1], keyOf(columns.key[row]), columns.n[row]);
    if ((row & 1023) === 1023) await slicer.pause();
  }
  return counts;
}

/** Numeric counts as bucket → feature → bin → count. */
export function binCounts(features: readonly string[], columns: CountColumns): Promise<BucketCounts<number>> {
  return fileCounts(features, columns, (bin) => bin);
}

/** Categorical counts as bucket → feature → category → count. */
export function categoryCounts(
  features: readonly string[],
  columns: CategoryCountColumns
): Promise<BucketCounts<string>> {
  return fileCounts(features, columns, (position) => columns.categories[position - 1]);
}

/** An hourly count table, its daily rollup, the column counted in, and whether counts depend on the reference version. */
interface CountSource {
  readonly hourly: string;
  readonly daily: string;
  readonly key: string;
  readonly versioned: boolean;
}

const NUMERIC_COUNTS: CountSource = {
  hourly: 'agg_numeric',
  daily: 'agg_numeric_daily',
  key: 'bin',
  versioned: true,
};
const CATEGORICAL_COUNTS: CountSource = {
  hourly: 'agg_categorical',
  daily: 'agg_categorical_daily',
  key: 'category',
  versioned: false,
};

const NO_COUNTS: CategoryCountColumns = { bucket: [], feature: [], key: [], n: [], categories: [] };

/** A counts query and the rows it sums (`reads`, with its own parameters). */
interface CountsQuery {
  readonly reads: string;
  readonly readValues: Params;
  readonly readTypes: ParamTypes;
  readonly sql: string;
  /** The counts query's parameters; a query built around it binds its own beside them. */
  readonly parameters: NamedParameters;
}

const RANGE_TYPES = { model: VARCHAR, from: BIGINT, to: BIGINT, bucket: BIGINT };

/**
 * Reads of the hourly aggregates, summed per bucket on the database side so a 90-day window
 * returns bins × features × buckets rows however many predictions it holds.
 */
export class AggregateQueries {
  constructor(private readonly database: Database) {}

  numericCountColumns(
    modelId: string,
    referenceVersion: number,
    range: BucketedRange,
    features: readonly string[]
  ): Promise<CountColumns> {
    const counts = this.countsQuery(NUMERIC_COUNTS, modelId, referenceVersion, range, features);
    return counts === null
      ? Promise.resolve(NO_COUNTS)
      : this.database.typedColumns<Record<keyof CountColumns, Float64Array>>(
          counts.sql,
          counts.parameters.values,
          counts.parameters.types
        );
  }

  /**
   * Categorical counts with the window's categories read first and each count row naming its
   * category by position, both in one transaction so they see the same rows: a category written
   * in between would otherwise have no position (and a NULL position fails the read, never a count).
   */
  async categoricalCountColumns(
    modelId: string,
    range: BucketedRange,
    features: readonly string[]
  ): Promise<CategoryCountColumns> {
    const counts = this.countsQuery(CATEGORICAL_COUNTS, modelId, null, range, features);
    if (counts === null) return NO_COUNTS;
    return this.database.snapshot(async (connection) => {
      const { category: categories } = await connection.typedColumns<{ category: string[] }>(
        `SELECT DISTINCT key AS category FROM (${counts.reads}) ORDER BY category`,
        counts.readValues,
        counts.readTypes
      );
      const positions = counts.parameters.bind('categories', listValue(categories), LIST(VARCHAR));
      const columns = await connection.typedColumns<Record<'bucket' | 'feature' | 'key' | 'n', Float64Array>>(
        `SELECT counts.bucket, counts.feature, dictionary.position AS key, counts.n
         FROM (${counts.sql}) counts
         LEFT JOIN (SELECT unnest(${positions}) AS category, generate_subscripts(${positions}, 1)::INTEGER AS position) dictionary
           ON counts.key = dictionary.category`,
        counts.parameters.values,
        counts.parameters.types
      );
      return { ...columns, categories };
    });
  }

  /**
   * The query of counts per bucket, feature and key, from the daily rollup for the whole days
   * splitByResolution gives it and from the hourly table for the rest (`reads`, the rows it sums,
   * with its own parameters); null when there is nothing to read. Features are bound as values;
   * rows name their feature by its 1-based position in the list, because a small integer converts
   * to JavaScript far faster than the name. When buckets are the table's own hours or days, its
   * rows are already one per bucket, feature and bin, and summing them would only cost (DuckDB's
   * hash aggregate takes longer than the scan on a 90-day trend).
   */
  private countsQuery(
    source: CountSource,
    modelId: string,
    referenceVersion: number | null,
    range: BucketedRange,
    features: readonly string[]
  ): CountsQuery | null {
    const split = splitByResolution(range);
    if (features.length === 0 || split.hours.length + split.days.length === 0) return null;
    const parameters = new NamedParameters({
      model: [modelId, VARCHAR],
      from: [BigInt(range.fromMs), BIGINT],
      bucket: [BigInt(range.bucketMs), BIGINT],
      names: [listValue([...features]), LIST(VARCHAR)],
    });
    const bind = parameters.bind.bind(parameters);
    const version = source.versioned ? ` AND reference_version = ${bind('version', referenceVersion, INTEGER)}` : '';
    // The scan filters an equality itself; list_contains is evaluated row by row after it.
    const featureFilter =
      features.length === 1
        ? `feature = ${bind('feature', features[0], VARCHAR)}`
        : `list_contains(${parameters.ref('names')}, feature)`;
    const read = (table: string, time: string, spans: readonly Span[]) => {
      const within = spans.map(
        (span, index) =>
          `(${time} >= ${bind(`${time}_from_${index}`, BigInt(span.fromMs), BIGINT)} AND ${time} < ${bind(`${time}_to_${index}`, BigInt(span.toMs), BIGINT)})`
      );
      return `SELECT ${time} AS at_ms, feature, ${source.key} AS key, n FROM ${table}
              WHERE model_id = ${parameters.ref('model')}${version} AND ${featureFilter} AND (${within.join(' OR ')})`;
    };
    const reads = [
      ...(split.hours.length > 0 ? [read(source.hourly, 'hour_ms', split.hours)] : []),
      ...(split.days.length > 0 ? [read(source.daily, 'day_ms', split.days)] : []),
    ].join(' UNION ALL ');
    const readValues = { ...parameters.values };
    const readTypes = { ...parameters.types };
    const onePerBucket =
      (split.days.length === 0 && range.bucketMs === HOUR_MS) ||
      (split.hours.length === 0 && range.bucketMs === DAY_MS);
    const sql = `SELECT ((at_ms - ${parameters.ref('from')}) // ${parameters.ref('bucket')})::INTEGER AS bucket, list_position(${parameters.ref('names')}, feature)::INTEGER AS feature, key, ${onePerBucket ? 'n' : 'sum(n)'}::DOUBLE AS n
       FROM (${reads})
       ${onePerBucket ? '' : 'GROUP BY ALL'}`;
    return { reads, readValues, readTypes, sql, parameters };
  }

  /**
   * Accuracy sums per bucket: the estimate's under `referenceVersion`'s calibration (with each fold's
   * Σq when it is cross-fitted), the realized from labels.
   */
  async accuracy(modelId: string, referenceVersion: number, range: BucketedRange): Promise<Map<number, AccuracySums>> {
    const columns = await this.database.columns<{
      bucket: number[];
      scored: number[];
      chance: number[];
      chance_variance: number[];
      labelled: number[];
      right: number[];
      chances: (number[] | null)[];
    }>(
      `WITH sums AS (
         SELECT bucket, sum(scored)::DOUBLE AS scored, sum(chance) AS chance, sum(chance_variance) AS chance_variance,
                sum(labelled)::DOUBLE AS labelled, sum("right")::DOUBLE AS "right"
         FROM (SELECT ((hour_ms - $from) // $bucket)::INTEGER AS bucket, scored, chance, chance_variance, 0 AS labelled, 0 AS "right"
               FROM agg_estimate WHERE model_id = $model AND reference_version = $version AND hour_ms >= $from AND hour_ms < $to
               UNION ALL
               SELECT ((hour_ms - $from) // $bucket)::INTEGER, 0, 0, 0, labelled, "right"
               FROM agg_realized WHERE model_id = $model AND hour_ms >= $from AND hour_ms < $to)
         GROUP BY bucket),
       folds AS (
         SELECT bucket, list(chance ORDER BY fold) AS chances
         FROM (SELECT ((hour_ms - $from) // $bucket)::INTEGER AS bucket, fold, sum(chance) AS chance
               FROM agg_estimate_folds WHERE model_id = $model AND reference_version = $version AND hour_ms >= $from AND hour_ms < $to
               GROUP BY ALL)
         GROUP BY bucket)
       SELECT sums.*, folds.chances FROM sums LEFT JOIN folds USING (bucket)`,
      { model: modelId, ...rangeParams(range), version: referenceVersion },
      { ...RANGE_TYPES, version: INTEGER }
    );
    return new Map(
      columns.bucket.map((bucket, row) => [
        bucket,
        {
          scored: columns.scored[row],
          chance: columns.chance[row],
          chanceVariance: columns.chance_variance[row],
          foldChance: columns.chances[row] ?? [],
          labelled: columns.labelled[row],
          right: columns.right[row],
        },
      ])
    );
  }

  /** Predictions per bucket; hourly buckets are the table's own rows, so they need no summing. */
  async volume(modelId: string, range: BucketedRange): Promise<Map<number, number>> {
    const hourly = range.bucketMs === HOUR_MS;
    const columns = await this.database.typedColumns<Record<'bucket' | 'n', Float64Array>>(
      `SELECT ((hour_ms - $from) // $bucket)::INTEGER AS bucket, ${hourly ? 'n' : 'sum(n)'}::DOUBLE AS n
       FROM agg_volume
       WHERE model_id = $model AND hour_ms >= $from AND hour_ms < $to
       ${hourly ? '' : 'GROUP BY ALL'}`,
      { model: modelId, ...rangeParams(range) },
      RANGE_TYPES
    );
    const volume = new Map<number, number>();
    for (let row = 0; row < columns.n.length; row += 1) volume.set(columns.bucket[row], columns.n[row]);
    return volume;
  }

  /** Predictions stored for the model since it was registered. */
  async predictionsStored(modelId: string): Promise<number> {
    const all = { fromMs: 0, toMs: Number.MAX_SAFE_INTEGER, bucketMs: Number.MAX_SAFE_INTEGER };
    return (await this.volume(modelId, all)).get(0) ?? 0;
  }

  /** Hours of [fromMs, toMs) holding any prediction. */
  async hoursWithData(modelId: string, fromMs: number, toMs: number): Promise<number> {
    const columns = await this.database.typedColumns<Record<'hours', Float64Array>>(
      'SELECT count(*)::DOUBLE AS hours FROM agg_volume WHERE model_id = $model AND hour_ms >= $from AND hour_ms < $to',
      { model: modelId, from: BigInt(fromMs), to: BigInt(toMs) },
      { model: VARCHAR, from: BIGINT, to: BIGINT }
    );
    return columns.hours[0];
  }
}

export interface RawValues<T> {
  readonly values: (T | null)[];
  /** True when the window held more rows than the deep-dive limit and only the newest were read. */
  readonly truncated: boolean;
}

/** Selects feature i's column (f<i>) of each of `features` as v0, v1, …: a scan reads those columns only. */
function valueColumns(features: readonly number[]): string {
  return features.map((index, i) => `${featureColumn(index)} AS ${quoteIdentifier(`v${i}`)}`).join(', ');
}

/** Raw rows: values of features for exact tests (KS) and descriptive statistics, several features per scan. */
export class RawValueQueries {
  constructor(
    private readonly database: Database,
    private readonly maxRows: number
  ) {}

  /** Each feature's values (features by position in the model's definition) over the window's rows, newest first. */
  async production(
    modelId: string,
    features: readonly number[],
    fromMs: number,
    toMs: number
  ): Promise<RawValues<number | string>[]> {
    const values = await this.database.columns<Record<string, (number | string | null)[]>>(
      `SELECT ${valueColumns(features)} FROM ${productionRows(modelId)}
       WHERE ts_ms >= $from AND ts_ms < $to
       ORDER BY ts_ms DESC LIMIT $limit`,
      { from: BigInt(fromMs), to: BigInt(toMs), limit: this.maxRows + 1 }
    );
    return features.map((_, i) => this.limited(values[`v${i}`] ?? []));
  }

  async reference(
    modelId: string,
    version: number,
    features: readonly number[]
  ): Promise<RawValues<number | string>[]> {
    const values = await this.database.columns<Record<string, (number | string | null)[]>>(
      `SELECT ${valueColumns(features)} FROM ${referenceRows(modelId)} WHERE version = $version LIMIT $limit`,
      { version, limit: this.maxRows + 1 }
    );
    return features.map((_, i) => this.limited(values[`v${i}`] ?? []));
  }

  /** The query asks for one row more than the limit, to tell a full window from a cut one. */
  private limited(values: (number | string | null)[]): RawValues<number | string> {
    return { values: values.slice(0, this.maxRows), truncated: values.length > this.maxRows };
  }
}
