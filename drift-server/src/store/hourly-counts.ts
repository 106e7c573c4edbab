import { BIGINT, INTEGER, LIST, SMALLINT, VARCHAR, listValue } from '@duckdb/node-api';
import { numericBinIndex } from '../stats';
import type { Connection } from './database';
import type { FeatureDefinition } from './models';
import type { TypedRow } from './rows';

export const HOUR_MS = 3_600_000;

/** Category key of the missing bin in agg_categorical. */
export const MISSING_CATEGORY = '';

/** Stored numeric bin index of missing values in agg_numeric. */
export const MISSING_BIN = -1;

/**
 * Bin of a numeric value: numericBinIndex(cuts, value), the number of cut points ≤ value, as the
 * statistical contract defines bins; missing values (null, NaN) go to the extra last bin. Binned
 * one value at a time because a batch spreads over many hours and countNumeric would sort each.
 */
function numericBin(cuts: readonly number[], value: number | null): number {
  return value === null || Number.isNaN(value) ? cuts.length + 1 : numericBinIndex(cuts, value);
}

export function hourOf(timestampMs: number): number {
  return Math.floor(timestampMs / HOUR_MS) * HOUR_MS;
}

export type CountedRow = Pick<TypedRow, 'num' | 'cat' | 'timestampMs'>;

interface HourCounts {
  rows: number;
  /** Per feature position: counts per bin with the missing count last, or null for categorical. */
  numeric: (Float64Array | null)[];
  categorical: (Map<string, number> | null)[];
}

/**
 * Counts of one batch per hour, feature and bin, added to the stored aggregates in one statement
 * per table. `cuts[i]` is the frozen cut points of numeric feature i; categorical features count
 * raw category values, so their aggregates do not depend on any reference version.
 */
export class HourlyCounts {
  private readonly hours = new Map<number, HourCounts>();

  constructor(
    private readonly features: readonly FeatureDefinition[],
    private readonly cuts: readonly (readonly number[] | null)[],
    /** Re-binning for a new reference version recounts numeric features only. */
    private readonly numericOnly = false,
  ) {}

  /** Adds rows, each with a timestamp. */
  addRows(rows: readonly CountedRow[]): void {
    for (const row of rows) {
      const hour = hourOf(row.timestampMs as number);
      let counts = this.hours.get(hour);
      if (!counts) {
        counts = this.emptyHour();
        this.hours.set(hour, counts);
      }
      counts.rows += 1;
      for (let index = 0; index < this.features.length; index += 1) {
        const bins = counts.numeric[index];
        if (bins) {
          bins[numericBin(this.cuts[index] as readonly number[], row.num[index])] += 1;
          continue;
        }
        const categories = counts.categorical[index];
        if (categories) {
          const category = row.cat[index] ?? MISSING_CATEGORY;
          categories.set(category, (categories.get(category) ?? 0) + 1);
        }
      }
    }
  }

  get hourCount(): number {
    return this.hours.size;
  }

  /** Adds these counts to agg_numeric (for `referenceVersion`) and, unless numeric-only, agg_categorical and agg_volume. */
  async save(connection: Connection, modelId: string, referenceVersion: number): Promise<void> {
    const numeric = { feature: [] as string[], hour: [] as bigint[], bin: [] as number[], n: [] as bigint[] };
    const categorical = { feature: [] as string[], hour: [] as bigint[], category: [] as string[], n: [] as bigint[] };
    const volume = { hour: [] as bigint[], n: [] as bigint[] };
    for (const [hour, counts] of this.hours) {
      const hourValue = BigInt(hour);
      volume.hour.push(hourValue);
      volume.n.push(BigInt(counts.rows));
      this.features.forEach((feature, index) => {
        const bins = counts.numeric[index];
        bins?.forEach((count, bin) => {
          if (count === 0) return;
          numeric.feature.push(feature.name);
          numeric.hour.push(hourValue);
          numeric.bin.push(bin === bins.length - 1 ? MISSING_BIN : bin);
          numeric.n.push(BigInt(count));
        });
        counts.categorical[index]?.forEach((count, category) => {
          categorical.feature.push(feature.name);
          categorical.hour.push(hourValue);
          categorical.category.push(category);
          categorical.n.push(BigInt(count));
        });
      });
    }
    if (numeric.n.length > 0) {
      await connection.run(
        `INSERT INTO agg_numeric SELECT $1, $2, unnest($3), unnest($4), unnest($5), unnest($6)
         ON CONFLICT DO UPDATE SET n = agg_numeric.n + excluded.n`,
        [modelId, referenceVersion, listValue(numeric.feature), listValue(numeric.hour), listValue(numeric.bin), listValue(numeric.n)],
        [VARCHAR, INTEGER, LIST(VARCHAR), LIST(BIGINT), LIST(SMALLINT), LIST(BIGINT)],
      );
    }
    if (categorical.n.length > 0) {
      await connection.run(
        `INSERT INTO agg_categorical SELECT $1, unnest($2), unnest($3), unnest($4), unnest($5)
         ON CONFLICT DO UPDATE SET n = agg_categorical.n + excluded.n`,
        [modelId, listValue(categorical.feature), listValue(categorical.hour), listValue(categorical.category), listValue(categorical.n)],
        [VARCHAR, LIST(VARCHAR), LIST(BIGINT), LIST(VARCHAR), LIST(BIGINT)],
      );
    }
    if (!this.numericOnly && volume.n.length > 0) {
      await connection.run(
        `INSERT INTO agg_volume SELECT $1, unnest($2), unnest($3)
         ON CONFLICT DO UPDATE SET n = agg_volume.n + excluded.n`,
        [modelId, listValue(volume.hour), listValue(volume.n)],
        [VARCHAR, LIST(BIGINT), LIST(BIGINT)],
      );
    }
  }

  private emptyHour(): HourCounts {
    return {
      rows: 0,
      numeric: this.features.map((feature, index) => {
        const cuts = this.cuts[index];
        return feature.kind === 'numeric' && cuts ? new Float64Array(cuts.length + 2) : null;
      }),
      categorical: this.features.map((feature) =>
        feature.kind === 'categorical' && !this.numericOnly ? new Map<string, number>() : null,
      ),
    };
  }
}
