import { BIGINT, INTEGER, LIST, listValue, VARCHAR } from '@duckdb/node-api';
import type { AccuracySums } from '../stats';
import type { Database } from './database';
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
 * list of features read. Numeric columns are Float64Arrays, which a worker thread receives by transfer.
 */
export interface CountColumns<K> {
  readonly bucket: ArrayLike<number>;
  readonly feature: ArrayLike<number>;
  readonly key: ArrayLike<K>;
  readonly n: ArrayLike<number>;
}

/** Files the rows into nested maps in time slices: a 90-day hourly trend reads over 300 000 counts. */
export async function bucketCounts<K>(features: readonly string[], columns: CountColumns<K>): Promise<BucketCounts<K>> {
  const counts: BucketCounts<K> = new Map();
  const slicer = new TimeSlicer();
  for (let row = 0; row < columns.n.length; row += 1) {
    addTo(counts, columns.bucket[row], features[columns.feature[row] - 1], columns.key[row], columns.n[row]);
    if ((row & 1023) === 1023) await slicer.pause();
  }
  return counts;
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

const NO_COUNTS: CountColumns<number> = { bucket: [], feature: [], key: [], n: [] };

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
  ): Promise<CountColumns<number>> {
    return this.countColumns(NUMERIC_COUNTS, modelId, referenceVersion, range, features) as Promise<
      CountColumns<number>
    >;
  }

  categoricalCountColumns(
    modelId: string,
    range: BucketedRange,
    features: readonly string[]
  ): Promise<CountColumns<string>> {
    return this.countColumns(CATEGORICAL_COUNTS, modelId, null, range, features) as Promise<CountColumns<string>>;
  }

  /**
   * Counts per bucket, feature and bin, from the daily rollup for the whole days splitByResolution
   * gives it and from the hourly table for the rest. Features are bound as values; rows name their
   * feature by its 1-based position in the list, because a small integer converts to JavaScript
   * far faster than the name. When buckets are the table's own hours or days, its rows are
   * already one per bucket, feature and bin, and summing them would only cost (DuckDB's hash
   * aggregate takes longer than the scan on a 90-day trend).
   */
  private async countColumns(
    source: CountSource,
    modelId: string,
    referenceVersion: number | null,
    range: BucketedRange,
    features: readonly string[]
  ): Promise<CountColumns<number> | CountColumns<string>> {
    const split = splitByResolution(range);
    if (features.length === 0 || split.hours.length + split.days.length === 0) return NO_COUNTS;
    const params = new NamedParameters({
      model: [modelId, VARCHAR],
      from: [BigInt(range.fromMs), BIGINT],
      bucket: [BigInt(range.bucketMs), BIGINT],
      names: [listValue([...features]), LIST(VARCHAR)],
    });
    const bind = params.bind.bind(params);
    const version = source.versioned ? ` AND reference_version = ${bind('version', referenceVersion, INTEGER)}` : '';
    // The scan filters an equality itself; list_contains is evaluated row by row after it.
    const featureFilter =
      features.length === 1
        ? `feature = ${bind('feature', features[0], VARCHAR)}`
        : `list_contains(${params.ref('names')}, feature)`;
    const read = (table: string, time: string, spans: readonly Span[]) => {
      const within = spans.map(
        (span, index) =>
          `(${time} >= ${bind(`${time}_from_${index}`, BigInt(span.fromMs), BIGINT)} AND ${time} < ${bind(`${time}_to_${index}`, BigInt(span.toMs), BIGINT)})`
      );
      return `SELECT ${time} AS at_ms, feature, ${source.key} AS key, n FROM ${table}
              WHERE model_id = ${params.ref('model')}${version} AND ${featureFilter} AND (${within.join(' OR ')})`;
    };
    const reads = [
      ...(split.hours.length > 0 ? [read(source.hourly, 'hour_ms', split.hours)] : []),
      ...(split.days.length > 0 ? [read(source.daily, 'day_ms', split.days)] : []),
    ];
    const onePerBucket =
      (split.days.length === 0 && range.bucketMs === HOUR_MS) ||
      (split.hours.length === 0 && range.bucketMs === DAY_MS);
    // The key is a bin number or a category.
    const columns = await this.database.typedColumns<{
      bucket: Float64Array;
      feature: Float64Array;
      key: Float64Array | string[];
      n: Float64Array;
    }>(
      `SELECT ((at_ms - ${params.ref('from')}) // ${params.ref('bucket')})::INTEGER AS bucket, list_position(${params.ref('names')}, feature)::INTEGER AS feature, key, ${onePerBucket ? 'n' : 'sum(n)'}::DOUBLE AS n
       FROM (${reads.join(' UNION ALL ')})
       ${onePerBucket ? '' : 'GROUP BY ALL'}`,
      params.values,
      params.types
    );
    return columns as CountColumns<number> | CountColumns<string>;
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
