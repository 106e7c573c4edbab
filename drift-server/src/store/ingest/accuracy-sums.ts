import { BIGINT, DOUBLE, INTEGER, LIST, SMALLINT, VARCHAR, listValue } from '@duckdb/node-api';
import { accuracySums, AccuracySums, addAccuracySums, Calibration, NO_ACCURACY_SUMS } from '../../stats';
import { classifiedRows } from '../calibration';
import type { Connection } from '../database';
import { hourOf } from './count';
import { productionRows } from '../row-tables';

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
      `INSERT INTO agg_estimate (model_id, reference_version, hour_ms, scored, chance, chance_variance)
       SELECT $model, $version, unnest($hours), unnest($scored), unnest($chance), unnest($variance)
       ON CONFLICT DO UPDATE SET scored = agg_estimate.scored + excluded.scored, chance = agg_estimate.chance + excluded.chance,
         chance_variance = agg_estimate.chance_variance + excluded.chance_variance`,
      {
        model: modelId,
        version: referenceVersion,
        hours: listValue(hours.map(([hour]) => BigInt(hour))),
        scored: listValue(hours.map(([, sums]) => BigInt(sums.scored))),
        chance: listValue(hours.map(([, sums]) => sums.chance)),
        variance: listValue(hours.map(([, sums]) => sums.chanceVariance)),
      },
      {
        model: VARCHAR,
        version: INTEGER,
        hours: LIST(BIGINT),
        scored: LIST(BIGINT),
        chance: LIST(DOUBLE),
        variance: LIST(DOUBLE),
      }
    );
    const folds = hours.flatMap(([hour, sums]) => sums.foldChance.map((chance, fold) => ({ hour, fold, chance })));
    if (folds.length === 0) return;
    await connection.run(
      `INSERT INTO agg_estimate_folds (model_id, reference_version, hour_ms, fold, chance)
       SELECT $model, $version, unnest($hours), unnest($folds), unnest($chance)
       ON CONFLICT DO UPDATE SET chance = agg_estimate_folds.chance + excluded.chance`,
      {
        model: modelId,
        version: referenceVersion,
        hours: listValue(folds.map(({ hour }) => BigInt(hour))),
        folds: listValue(folds.map(({ fold }) => fold)),
        chance: listValue(folds.map(({ chance }) => chance)),
      },
      { model: VARCHAR, version: INTEGER, hours: LIST(BIGINT), folds: LIST(SMALLINT), chance: LIST(DOUBLE) }
    );
  }

  /** Adds the realized sums (or, after relabel, their changes) to agg_realized. */
  async saveRealized(connection: Connection, modelId: string): Promise<void> {
    const hours = [...this.hours].filter(([, sums]) => sums.labelled !== 0 || sums.right !== 0);
    if (hours.length === 0) return;
    await connection.run(
      `INSERT INTO agg_realized (model_id, hour_ms, labelled, "right")
       SELECT $model, unnest($hours), unnest($labelled), unnest($correct)
       ON CONFLICT DO UPDATE SET labelled = agg_realized.labelled + excluded.labelled, "right" = agg_realized."right" + excluded."right"`,
      {
        model: modelId,
        hours: listValue(hours.map(([hour]) => BigInt(hour))),
        labelled: listValue(hours.map(([, sums]) => BigInt(sums.labelled))),
        correct: listValue(hours.map(([, sums]) => BigInt(sums.right))),
      },
      { model: VARCHAR, hours: LIST(BIGINT), labelled: LIST(BIGINT), correct: LIST(BIGINT) }
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
     FROM ${productionRows(modelId)} AS p JOIN labels AS l ON l.model_id = $model AND l.prediction_id = p.prediction_id
     WHERE p.batch_id = $batch`,
    { model: modelId, batch: batchId }
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
     FROM ${productionRows(modelId)} AS p LEFT JOIN labels AS l ON l.model_id = $model AND l.prediction_id = p.prediction_id
     WHERE p.prediction_id IN (SELECT unnest($ids))`,
    { model: modelId, ids: listValue([...ids]) },
    { model: VARCHAR, ids: LIST(VARCHAR) }
  );
  return rows.id.map((predictionId, row) => ({
    predictionId,
    timestampMs: rows.ts[row],
    prediction: rows.prediction[row],
    probability: rows.probability[row],
    label: rows.label[row],
  }));
}
