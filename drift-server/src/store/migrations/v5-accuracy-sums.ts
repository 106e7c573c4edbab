import { HourlyAccuracySums } from '../ingest/accuracy-sums';
import { fitOf, readReferenceCalibration } from '../calibration';
import type { Connection } from '../database';

const PAGE_ROWS = 100_000;

/**
 * Migration 5's backfill: builds each model's accuracy sums from the production rows stored before
 * the sums were kept — realized from the effective labels, the estimate under every reference
 * version with a calibration. It reads the shared production_rows table of schema versions 1–7 with
 * its own SQL (migration 8 moved the rows into tables per model); rows past raw retention are gone
 * and stay uncounted.
 */
export async function recountAccuracySumsAtVersion5(connection: Connection): Promise<void> {
  const models = await connection.rows<{ id: string }>('SELECT id FROM models');
  for (const { id } of models) await recount(connection, id);
}

async function recount(connection: Connection, modelId: string): Promise<void> {
  const versions = await connection.rows<{ version: number }>(
    'SELECT version FROM reference_versions WHERE model_id = $model ORDER BY version',
    { model: modelId }
  );
  const estimates: { version: number; sums: HourlyAccuracySums }[] = [];
  for (const { version } of versions) {
    const fit = fitOf(await readReferenceCalibration(connection, modelId, version));
    if (fit) estimates.push({ version, sums: new HourlyAccuracySums(fit) });
  }
  const realized = new HourlyAccuracySums(null);
  const extent = await connection.first<{ last: bigint | null }>('SELECT max(rowid) AS last FROM production_rows');
  const last = Number(extent?.last ?? -1);
  for (let start = 0; start <= last; start += PAGE_ROWS) {
    const page = await connection.columns<{
      ts: number[];
      prediction: (string | null)[];
      probability: (number | null)[];
      label: (string | null)[];
    }>(
      `SELECT p.ts_ms::DOUBLE AS ts, p.prediction, p.probability, coalesce(l.label, p.label) AS label
       FROM production_rows AS p LEFT JOIN labels AS l ON l.model_id = p.model_id AND l.prediction_id = p.prediction_id
       WHERE p.model_id = $model AND p.rowid >= $from AND p.rowid < $to`,
      { model: modelId, from: BigInt(start), to: BigInt(start + PAGE_ROWS) }
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
