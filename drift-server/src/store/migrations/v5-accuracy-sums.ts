import type { Connection } from '../database';

/**
 * The characters JavaScript's String.prototype.trim removes, which the servers of schema version 5
 * trimmed from a prediction or label before reading it as a binary outcome.
 */
const WHITESPACE =
  '\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff';

/** SQL of a stored prediction or label as a binary outcome (1/0, true/false in any case, 1.0/0.0); NULL when it is none. */
function outcome(column: string): string {
  return `CASE lower(trim(${column}, $whitespace)) WHEN '1' THEN 1 WHEN '1.0' THEN 1 WHEN 'true' THEN 1
    WHEN '0' THEN 0 WHEN '0.0' THEN 0 WHEN 'false' THEN 0 END`;
}

/**
 * Each model's production rows as accuracy reads them: the hour, the probability, the predicted
 * class (the stored prediction, else probability ≥ 0.5) and the effective label (a label uploaded
 * later wins over the inline one).
 */
const OUTCOMES = `outcomes AS (
  SELECT p.model_id, (floor(p.ts_ms / 3600000) * 3600000)::BIGINT AS hour_ms, p.probability, p.rowid AS row_order,
    coalesce(${outcome('p.prediction')}, CASE WHEN p.probability >= 0.5 THEN 1 WHEN p.probability IS NOT NULL THEN 0 END) AS predicted,
    ${outcome('coalesce(l.label, p.label)')} AS label
  FROM production_rows AS p JOIN models AS m ON m.id = p.model_id
  LEFT JOIN labels AS l ON l.model_id = p.model_id AND l.prediction_id = p.prediction_id)`;

/**
 * Every fitted calibration's knots as segments: from a knot up to the next one, its calibrated value
 * and the slope to the next knot's. At schema version 5 a fitted calibration is one isotonic fit,
 * stored as {"fit": {"thresholds", "values"}}; values are clipped to [0, 1], and outside the fitted
 * range the end values hold (the first segment reaches down to −∞, the last up to +∞, slope 0).
 */
const SEGMENTS = `knots AS (
  SELECT c.model_id, c.version, k.threshold, greatest(0, least(1, k.value)) AS value, k.position
  FROM reference_calibrations AS c
  JOIN reference_versions AS v ON v.model_id = c.model_id AND v.version = c.version,
  LATERAL (
    SELECT unnest(json_extract(c.calibration, '$.fit.thresholds')::DOUBLE[]) AS threshold,
      unnest(json_extract(c.calibration, '$.fit.values')::DOUBLE[]) AS value,
      unnest(range(len(json_extract(c.calibration, '$.fit.thresholds')::DOUBLE[]))) AS position) AS k
  WHERE json_extract_string(c.calibration, '$.status') = 'fitted'),
segments AS (
  SELECT model_id, version, threshold, value,
    CASE WHEN position = 0 THEN '-infinity'::DOUBLE ELSE threshold END AS low,
    coalesce(lead(threshold) OVER fit, 'infinity'::DOUBLE) AS high,
    coalesce((lead(value) OVER fit - value) / (lead(threshold) OVER fit - threshold), 0) AS slope
  FROM knots WINDOW fit AS (PARTITION BY model_id, version ORDER BY position))`;

/**
 * Migration 5's backfill: builds each model's accuracy sums from the production rows stored before
 * the sums were kept, with its own SQL against the tables as they stand at schema version 5 (the
 * shared production_rows table; migration 8 moved the rows into tables per model). Realized sums
 * count labelled rows with a predicted class and those predicted right; the estimate under every
 * reference version with a calibration counts the scored rows (a probability and a predicted class)
 * and sums q and q(1 − q), q being the row's calibrated chance of being right: c for a row predicted
 * 1 and 1 − c for one predicted 0, c linear between the fit's knots. Rows past raw retention are
 * gone and stay uncounted. Sums run in row order, so every run adds the same doubles in the same order.
 */
export async function recountAccuracySumsAtVersion5(connection: Connection): Promise<void> {
  await connection.run(
    `INSERT INTO agg_realized (model_id, hour_ms, labelled, "right")
     WITH ${OUTCOMES}
     SELECT model_id, hour_ms, count(*), count(*) FILTER (WHERE predicted = label)
     FROM outcomes WHERE predicted IS NOT NULL AND label IS NOT NULL
     GROUP BY model_id, hour_ms`,
    { whitespace: WHITESPACE }
  );
  await connection.run(
    `INSERT INTO agg_estimate (model_id, reference_version, hour_ms, scored, chance, chance_variance)
     WITH ${OUTCOMES}, ${SEGMENTS},
     chances AS (
       SELECT o.model_id, s.version, o.hour_ms, o.row_order,
         s.value + s.slope * greatest(o.probability - s.threshold, 0) AS positive,
         CASE WHEN o.predicted = 1 THEN positive ELSE 1 - positive END AS q
       FROM outcomes AS o
       JOIN segments AS s ON s.model_id = o.model_id AND o.probability >= s.low AND o.probability < s.high
       WHERE o.predicted IS NOT NULL)
     SELECT model_id, version, hour_ms, count(*), sum(q ORDER BY row_order), sum(q * (1 - q) ORDER BY row_order)
     FROM chances
     GROUP BY model_id, version, hour_ms`,
    { whitespace: WHITESPACE }
  );
}
