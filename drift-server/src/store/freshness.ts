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
 * which hour each lies, so the raw rows are read from that hour on only; when retention has purged
 * those raw rows, the hour's start stands in for the exact time.
 */
export class FreshnessQueries {
  constructor(private readonly database: Database) {}

  async of(modelId: string): Promise<Freshness> {
    const [row] = await this.database.rows<{ newest: bigint | null; newest_labelled: bigint | null; newest_hour: bigint | null; newest_labelled_hour: bigint | null }>(
      `WITH hours AS (
         SELECT (SELECT max(hour_ms) FROM agg_volume WHERE model_id = $1) AS newest_hour,
                (SELECT max(hour_ms) FROM agg_realized WHERE model_id = $1 AND labelled > 0) AS newest_labelled_hour
       )
       SELECT newest_hour, newest_labelled_hour,
              (SELECT max(ts_ms) FROM production_rows WHERE model_id = $1 AND ts_ms >= hours.newest_hour) AS newest,
              (SELECT max(p.ts_ms)
                 FROM production_rows AS p LEFT JOIN labels AS l ON l.model_id = p.model_id AND l.prediction_id = p.prediction_id
                WHERE p.model_id = $1 AND p.ts_ms >= hours.newest_labelled_hour AND coalesce(l.label, p.label) IS NOT NULL) AS newest_labelled
       FROM hours`,
      [modelId],
    );
    return {
      newestPredictionMs: number(row?.newest) ?? number(row?.newest_hour),
      newestLabelledMs: number(row?.newest_labelled) ?? number(row?.newest_labelled_hour),
    };
  }
}
