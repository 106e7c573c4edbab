import { productionRows } from './row-tables';
import type { Database } from './database';

/** How recent a model's data is, by the predictions' own timestamps (epoch ms); null before the first. */
export interface Freshness {
  /** The newest stored prediction. */
  readonly newestPredictionMs: number | null;
  /** The newest stored prediction that has a label (given with it or sent later). */
  readonly newestLabelledMs: number | null;
}

const number = (value: bigint | null | undefined) => (value === null || value === undefined ? null : Number(value));

/**
 * The newest prediction and the newest labelled prediction of a model. The hourly aggregates say in
 * which hour each lies, so the raw rows are read from that hour on only (the hour bound as a value,
 * which lets DuckDB skip the older row groups); when retention has purged those raw rows, the hour's
 * start stands in for the exact time.
 */
export class FreshnessQueries {
  constructor(private readonly database: Database) {}

  async of(modelId: string): Promise<Freshness> {
    const [hours] = await this.database.rows<{ newest: bigint | null; labelled: bigint | null }>(
      `SELECT (SELECT max(hour_ms) FROM agg_volume WHERE model_id = $model) AS newest,
              (SELECT max(hour_ms) FROM agg_realized WHERE model_id = $model AND labelled > 0) AS labelled`,
      { model: modelId }
    );
    const [newest, labelled] = await Promise.all([
      hours.newest === null ? null : this.newestFrom(modelId, hours.newest, false),
      hours.labelled === null ? null : this.newestFrom(modelId, hours.labelled, true),
    ]);
    return { newestPredictionMs: newest ?? number(hours.newest), newestLabelledMs: labelled ?? number(hours.labelled) };
  }

  /** The newest raw prediction from `hourMs` on (only those with a label given or sent later, when `labelled`). */
  private async newestFrom(modelId: string, hourMs: bigint, labelled: boolean): Promise<number | null> {
    const [row] = await this.database.rows<{ newest: bigint | null }>(
      labelled
        ? `SELECT max(p.ts_ms) AS newest
             FROM ${productionRows(modelId)} AS p LEFT JOIN labels AS l ON l.model_id = $model AND l.prediction_id = p.prediction_id
            WHERE p.ts_ms >= $hour AND coalesce(l.label, p.label) IS NOT NULL`
        : `SELECT max(ts_ms) AS newest FROM ${productionRows(modelId)} WHERE ts_ms >= $hour`,
      labelled ? { model: modelId, hour: hourMs } : { hour: hourMs }
    );
    return number(row.newest);
  }
}
