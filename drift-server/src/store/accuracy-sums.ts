import { BIGINT, DOUBLE, INTEGER, LIST, SMALLINT, VARCHAR, listValue } from '@duckdb/node-api';
import { accuracySums, AccuracySums, addAccuracySums, Calibration, NO_ACCURACY_SUMS } from '../stats';
import { classifiedRows, fitOf, readReferenceCalibration } from './calibration';
import type { Connection } from './database';
import { hourOf } from './hourly-counts';

/** A stored prediction's outcome columns, as accuracy needs them. */
export interface OutcomeRow {
  readonly timestampMs: number;
  readonly prediction: string | null;
  readonly probability: number | null;
  readonly label: string | null;
}

/** A prediction whose effective label changes from `label` to `newLabel`. */
export interface RelabelledRow extends OutcomeRow {
  readonly newLabel: string | null;
}

function sumsOf(rows: readonly OutcomeRow[], calibration: Calibration | null): AccuracySums {
  return accuracySums(
    classifiedRows({
      prediction: rows.map((row) => row.prediction),
      probability: rows.map((row) => row.probability),
      label: rows.map((row) => row.label),
    }),
    calibration
  );
}

function byHour<T extends OutcomeRow>(rows: readonly T[]): Map<number, T[]> {
  const hours = new Map<number, T[]>();
  for (const row of rows) {
    const hour = hourOf(row.timestampMs);
    const group = hours.get(hour);
    if (group) group.push(row);
    else hours.set(hour, [row]);
  }
  return hours;
}

/**
 * Accuracy sums of a batch per hour, added to the stored ones: the estimate's sums under one
 * reference version's calibration (agg_estimate, and each fold's Σq in agg_estimate_folds) and the
 * realized sums from labels (agg_realized). Kept at ingestion so accuracy over any window comes from
 * aggregates, also after raw rows expire.
 */
export class HourlyAccuracySums {
  private readonly hours = new Map<number, AccuracySums>();

  constructor(private readonly calibration: Calibration | null) {}

  addRows(rows: readonly OutcomeRow[]): void {
    for (const [hour, group] of byHour(rows)) this.addTo(hour, sumsOf(group, this.calibration));
  }

  /** Moves the realized sums of these rows from their old label to their new one; the estimate does not use labels. */
  relabel(rows: readonly RelabelledRow[]): void {
    for (const [hour, group] of byHour(rows)) {
      const before = sumsOf(group, null);
      const after = sumsOf(
        group.map((row) => ({ ...row, label: row.newLabel })),
        null
      );
      this.addTo(hour, addAccuracySums(after, before, -1));
    }
  }

  /** Adds the estimate's sums to agg_estimate under `referenceVersion`, whose calibration this was built with. */
  async saveEstimate(connection: Connection, modelId: string, referenceVersion: number): Promise<void> {
    const hours = [...this.hours].filter(([, sums]) => sums.scored !== 0);
    if (this.calibration === null || hours.length === 0) return;
    await connection.run(
      `INSERT INTO agg_estimate SELECT $1, $2, unnest($3), unnest($4), unnest($5), unnest($6)
       ON CONFLICT DO UPDATE SET scored = agg_estimate.scored + excluded.scored, chance = agg_estimate.chance + excluded.chance,
         chance_variance = agg_estimate.chance_variance + excluded.chance_variance`,
      [
        modelId,
        referenceVersion,
        listValue(hours.map(([hour]) => BigInt(hour))),
        listValue(hours.map(([, sums]) => BigInt(sums.scored))),
        listValue(hours.map(([, sums]) => sums.chance)),
        listValue(hours.map(([, sums]) => sums.chanceVariance)),
      ],
      [VARCHAR, INTEGER, LIST(BIGINT), LIST(BIGINT), LIST(DOUBLE), LIST(DOUBLE)]
    );
    const folds = hours.flatMap(([hour, sums]) => sums.foldChance.map((chance, fold) => ({ hour, fold, chance })));
    if (folds.length === 0) return;
    await connection.run(
      `INSERT INTO agg_estimate_folds SELECT $1, $2, unnest($3), unnest($4), unnest($5)
       ON CONFLICT DO UPDATE SET chance = agg_estimate_folds.chance + excluded.chance`,
      [
        modelId,
        referenceVersion,
        listValue(folds.map(({ hour }) => BigInt(hour))),
        listValue(folds.map(({ fold }) => fold)),
        listValue(folds.map(({ chance }) => chance)),
      ],
      [VARCHAR, INTEGER, LIST(BIGINT), LIST(SMALLINT), LIST(DOUBLE)]
    );
  }

  /** Adds the realized sums (or, after relabel, their changes) to agg_realized. */
  async saveRealized(connection: Connection, modelId: string): Promise<void> {
    const hours = [...this.hours].filter(([, sums]) => sums.labelled !== 0 || sums.right !== 0);
    if (hours.length === 0) return;
    await connection.run(
      `INSERT INTO agg_realized SELECT $1, unnest($2), unnest($3), unnest($4)
       ON CONFLICT DO UPDATE SET labelled = agg_realized.labelled + excluded.labelled, "right" = agg_realized."right" + excluded."right"`,
      [
        modelId,
        listValue(hours.map(([hour]) => BigInt(hour))),
        listValue(hours.map(([, sums]) => BigInt(sums.labelled))),
        listValue(hours.map(([, sums]) => BigInt(sums.right))),
      ],
      [VARCHAR, LIST(BIGINT), LIST(BIGINT), LIST(BIGINT)]
    );
  }

  private addTo(hour: number, sums: AccuracySums): void {
    this.hours.set(hour, addAccuracySums(this.hours.get(hour) ?? NO_ACCURACY_SUMS, sums));
  }
}

/**
 * Rows of a just-appended batch whose prediction id already had a label uploaded earlier (labels may
 * come before their predictions): that label wins over the one sent inline.
 */
export async function relabelFromEarlierLabels(
  connection: Connection,
  modelId: string,
  batchId: string,
  sums: HourlyAccuracySums
): Promise<void> {
  const rows = await connection.columns<{
    ts: number[];
    prediction: (string | null)[];
    probability: (number | null)[];
    inline: (string | null)[];
    late: string[];
  }>(
    `SELECT p.ts_ms::DOUBLE AS ts, p.prediction, p.probability, p.label AS inline, l.label AS late
     FROM production_rows AS p JOIN labels AS l ON l.model_id = p.model_id AND l.prediction_id = p.prediction_id
     WHERE p.model_id = $1 AND p.batch_id = $2`,
    [modelId, batchId]
  );
  sums.relabel(
    rows.ts.map((timestampMs, row) => ({
      timestampMs,
      prediction: rows.prediction[row],
      probability: rows.probability[row],
      label: rows.inline[row],
      newLabel: rows.late[row],
    }))
  );
}

/** Stored predictions with these ids and their effective labels now (a later label wins over the inline one). */
export async function labelledPredictions(
  connection: Connection,
  modelId: string,
  ids: readonly string[]
): Promise<(OutcomeRow & { predictionId: string })[]> {
  const rows = await connection.columns<{
    id: string[];
    ts: number[];
    prediction: (string | null)[];
    probability: (number | null)[];
    label: (string | null)[];
  }>(
    `SELECT p.prediction_id AS id, p.ts_ms::DOUBLE AS ts, p.prediction, p.probability, coalesce(l.label, p.label) AS label
     FROM production_rows AS p LEFT JOIN labels AS l ON l.model_id = p.model_id AND l.prediction_id = p.prediction_id
     WHERE p.model_id = $1 AND p.prediction_id IN (SELECT unnest($2))`,
    [modelId, listValue([...ids])],
    [VARCHAR, LIST(VARCHAR)]
  );
  return rows.id.map((predictionId, row) => ({
    predictionId,
    timestampMs: rows.ts[row],
    prediction: rows.prediction[row],
    probability: rows.probability[row],
    label: rows.label[row],
  }));
}

const RECOUNT_PAGE_ROWS = 100_000;

/**
 * Rebuilds a model's accuracy sums from its stored production rows: realized from the effective
 * labels, the estimate under every reference version with a calibration. For databases whose rows
 * were stored before the sums were kept; rows past raw retention are gone and stay uncounted.
 */
export async function recountAccuracySums(connection: Connection, modelId: string): Promise<void> {
  const versions = await connection.rows<{ version: number }>(
    'SELECT version FROM reference_versions WHERE model_id = $1 ORDER BY version',
    [modelId]
  );
  const estimates: { version: number; sums: HourlyAccuracySums }[] = [];
  for (const { version } of versions) {
    const fit = fitOf(await readReferenceCalibration(connection, modelId, version));
    if (fit) estimates.push({ version, sums: new HourlyAccuracySums(fit) });
  }
  const realized = new HourlyAccuracySums(null);
  const extent = await connection.first<{ last: bigint | null }>('SELECT max(rowid) AS last FROM production_rows');
  const last = Number(extent?.last ?? -1);
  for (let start = 0; start <= last; start += RECOUNT_PAGE_ROWS) {
    const page = await connection.columns<{
      ts: number[];
      prediction: (string | null)[];
      probability: (number | null)[];
      label: (string | null)[];
    }>(
      `SELECT p.ts_ms::DOUBLE AS ts, p.prediction, p.probability, coalesce(l.label, p.label) AS label
       FROM production_rows AS p LEFT JOIN labels AS l ON l.model_id = p.model_id AND l.prediction_id = p.prediction_id
       WHERE p.model_id = $1 AND p.rowid >= $2 AND p.rowid < $3`,
      [modelId, BigInt(start), BigInt(start + RECOUNT_PAGE_ROWS)]
    );
    const rows = page.ts.map((timestampMs, row) => ({
      timestampMs,
      prediction: page.prediction[row],
      probability: page.probability[row],
      label: page.label[row],
    }));
    realized.addRows(rows);
    for (const estimate of estimates) estimate.sums.addRows(rows);
  }
  await realized.saveRealized(connection, modelId);
  for (const estimate of estimates) await estimate.sums.saveEstimate(connection, modelId, estimate.version);
}
