import { BIGINT, DuckDBType, DuckDBValue, INTEGER, LIST, listValue, VARCHAR } from '@duckdb/node-api';
import type { AccuracySums } from '../stats/accuracy-estimate';
import type { Database } from './database';
import { quoteIdentifier } from './sql';

/** Hours [fromMs, toMs) split into buckets of `bucketMs` counted from fromMs; bucket −1 precedes fromMs. */
export interface BucketedRange {
  readonly fromMs: number;
  readonly toMs: number;
  readonly bucketMs: number;
}

/** bucket → feature → bin (or category) → count */
export type BucketCounts<K> = Map<number, Map<string, Map<K, number>>>;

function addTo<K>(target: BucketCounts<K>, bucket: number, feature: string, key: K, n: number): void {
  let features = target.get(bucket);
  if (!features) target.set(bucket, (features = new Map()));
  let bins = features.get(feature);
  if (!bins) features.set(feature, (bins = new Map()));
  bins.set(key, n);
}

function rangeParams(range: BucketedRange): bigint[] {
  return [BigInt(range.fromMs), BigInt(range.toMs), BigInt(range.bucketMs)];
}

/**
 * The features to read, bound as a list so names stay values. Rows name their feature by its
 * 1-based position in this list: a small integer converts to JavaScript far faster than the name.
 */
function featureList(features: readonly string[]): [DuckDBValue, DuckDBType] {
  return [listValue([...features]), LIST(VARCHAR)];
}

function collect<K>(features: readonly string[], columns: { bucket: number[]; feature: number[]; key: K[]; n: number[] }): BucketCounts<K> {
  const counts: BucketCounts<K> = new Map();
  for (let row = 0; row < columns.n.length; row += 1) addTo(counts, columns.bucket[row], features[columns.feature[row] - 1], columns.key[row], columns.n[row]);
  return counts;
}

const RANGE_TYPES = [VARCHAR, BIGINT, BIGINT, BIGINT];

/**
 * Reads of the hourly aggregates, summed per bucket on the database side so a 90-day window
 * returns bins × features × buckets rows however many predictions it holds.
 */
export class AggregateQueries {
  constructor(private readonly database: Database) {}

  async numericCounts(modelId: string, referenceVersion: number, range: BucketedRange, features: readonly string[]): Promise<BucketCounts<number>> {
    if (features.length === 0) return new Map();
    const [list, listType] = featureList(features);
    const columns = await this.database.columns<{ bucket: number[]; feature: number[]; key: number[]; n: number[] }>(
      `SELECT ((hour_ms - $2) // $4)::INTEGER AS bucket, list_position($6, feature)::INTEGER AS feature, bin AS key, sum(n)::DOUBLE AS n
       FROM agg_numeric
       WHERE model_id = $1 AND reference_version = $5 AND hour_ms >= $2 AND hour_ms < $3 AND list_contains($6, feature)
       GROUP BY ALL`,
      [modelId, ...rangeParams(range), referenceVersion, list],
      [...RANGE_TYPES, INTEGER, listType],
    );
    return collect(features, columns);
  }

  async categoricalCounts(modelId: string, range: BucketedRange, features: readonly string[]): Promise<BucketCounts<string>> {
    if (features.length === 0) return new Map();
    const [list, listType] = featureList(features);
    const columns = await this.database.columns<{ bucket: number[]; feature: number[]; key: string[]; n: number[] }>(
      `SELECT ((hour_ms - $2) // $4)::INTEGER AS bucket, list_position($5, feature)::INTEGER AS feature, category AS key, sum(n)::DOUBLE AS n
       FROM agg_categorical
       WHERE model_id = $1 AND hour_ms >= $2 AND hour_ms < $3 AND list_contains($5, feature)
       GROUP BY ALL`,
      [modelId, ...rangeParams(range), list],
      [...RANGE_TYPES, listType],
    );
    return collect(features, columns);
  }

  /** Accuracy sums per bucket: the estimate's under `referenceVersion`'s calibration, the realized from labels. */
  async accuracy(modelId: string, referenceVersion: number, range: BucketedRange): Promise<Map<number, AccuracySums>> {
    const columns = await this.database.columns<{ bucket: number[]; scored: number[]; chance: number[]; chance_variance: number[]; labelled: number[]; right: number[] }>(
      `SELECT bucket, sum(scored)::DOUBLE AS scored, sum(chance) AS chance, sum(chance_variance) AS chance_variance,
              sum(labelled)::DOUBLE AS labelled, sum("right")::DOUBLE AS "right"
       FROM (SELECT ((hour_ms - $2) // $4)::INTEGER AS bucket, scored, chance, chance_variance, 0 AS labelled, 0 AS "right"
             FROM agg_estimate WHERE model_id = $1 AND reference_version = $5 AND hour_ms >= $2 AND hour_ms < $3
             UNION ALL
             SELECT ((hour_ms - $2) // $4)::INTEGER, 0, 0, 0, labelled, "right"
             FROM agg_realized WHERE model_id = $1 AND hour_ms >= $2 AND hour_ms < $3)
       GROUP BY bucket`,
      [modelId, ...rangeParams(range), referenceVersion],
      [...RANGE_TYPES, INTEGER],
    );
    return new Map(
      columns.bucket.map((bucket, row) => [
        bucket,
        { scored: columns.scored[row], chance: columns.chance[row], chanceVariance: columns.chance_variance[row], labelled: columns.labelled[row], right: columns.right[row] },
      ]),
    );
  }

  /** Predictions per bucket. */
  async volume(modelId: string, range: BucketedRange): Promise<Map<number, number>> {
    const columns = await this.database.columns<{ bucket: number[]; n: number[] }>(
      `SELECT ((hour_ms - $2) // $4)::INTEGER AS bucket, sum(n)::DOUBLE AS n
       FROM agg_volume
       WHERE model_id = $1 AND hour_ms >= $2 AND hour_ms < $3
       GROUP BY ALL`,
      [modelId, ...rangeParams(range)],
      RANGE_TYPES,
    );
    return new Map(columns.bucket.map((bucket, row) => [bucket, columns.n[row]]));
  }
}

export interface RawValues<T> {
  readonly values: (T | null)[];
  /** True when the window held more rows than the deep-dive limit and only the newest were read. */
  readonly truncated: boolean;
}

/** Where a feature's values sit in stored rows: its position in the `num` or `cat` list. */
export interface FeatureColumn {
  readonly index: number;
  readonly kind: 'num' | 'cat';
}

/** Selects each feature's value as column v0, v1, …; list positions are bound from `$first` on. */
function valueColumns(columns: readonly FeatureColumn[], first: number): string {
  return columns.map(({ kind }, i) => `${quoteIdentifier(kind)}[$${first + i}] AS ${quoteIdentifier(`v${i}`)}`).join(', ');
}

/** Raw rows: values of features for exact tests (KS) and descriptive statistics, several features per scan. */
export class RawValueQueries {
  constructor(
    private readonly database: Database,
    private readonly maxRows: number,
  ) {}

  /** Each feature's values over the window's rows, newest first. */
  async production(modelId: string, columns: readonly FeatureColumn[], fromMs: number, toMs: number): Promise<RawValues<number | string>[]> {
    const values = await this.database.columns<Record<string, (number | string | null)[]>>(
      `SELECT ${valueColumns(columns, 5)} FROM production_rows
       WHERE model_id = $1 AND ts_ms >= $2 AND ts_ms < $3
       ORDER BY ts_ms DESC LIMIT $4`,
      [modelId, BigInt(fromMs), BigInt(toMs), this.maxRows + 1, ...columns.map(({ index }) => index + 1)],
    );
    return columns.map((_, i) => this.limited(values[`v${i}`] ?? []));
  }

  async reference(modelId: string, version: number, columns: readonly FeatureColumn[]): Promise<RawValues<number | string>[]> {
    const values = await this.database.columns<Record<string, (number | string | null)[]>>(
      `SELECT ${valueColumns(columns, 4)} FROM reference_rows WHERE model_id = $1 AND version = $2 LIMIT $3`,
      [modelId, version, this.maxRows + 1, ...columns.map(({ index }) => index + 1)],
    );
    return columns.map((_, i) => this.limited(values[`v${i}`] ?? []));
  }

  /** The query asks for one row more than the limit, to tell a full window from a cut one. */
  private limited(values: (number | string | null)[]): RawValues<number | string> {
    return { values: values.slice(0, this.maxRows), truncated: values.length > this.maxRows };
  }
}
