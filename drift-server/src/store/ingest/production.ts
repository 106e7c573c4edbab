import { BIGINT, LIST, VARCHAR, listValue } from '@duckdb/node-api';
import { Readable } from 'node:stream';
import { HourlyAccuracySums, labelledPredictions, relabelFromEarlierLabels } from './accuracy-sums';
import { fitOf, readReferenceCalibration } from '../calibration';
import type { Connection } from '../database';
import { ConflictError } from '../errors';
import type { UploadFormat } from './parse/records';
import { HourlyCounts, hourOf } from './count';
import type { BatchOutcome, BatchRunner } from './commit';
import type { Model } from '../models';
import { loadBinning, outputCounting, UploadLimits } from '../references';
import { readStaged, RowLoader } from './staging-table';
import { OutcomeCheck, RowReader } from './validate';
import { checkRowLimit, stageUpload } from './stage';
import { uploadRecords } from './parse/upload-records';

export interface PredictionBatchResult {
  readonly batch_id: string;
  readonly rows: number;
  /** The reference version whose frozen bins counted this batch. */
  readonly reference_version: number;
  readonly hours: number;
  readonly first_timestamp: string | null;
  readonly last_timestamp: string | null;
}

export interface LabelBatchResult {
  readonly batch_id: string;
  readonly rows: number;
  /** Distinct prediction ids of the batch found among stored production rows (within raw retention). */
  readonly matched_predictions: number;
}

const LABEL_CHUNK_ROWS = 50_000;

interface StagedOutcomes extends Record<string, unknown[]> {
  ts: number[];
  prediction: (string | null)[];
  probability: (number | null)[];
  label: (string | null)[];
}

/** First and last timestamp of a batch and the hours it touches. */
class BatchExtent {
  first = Infinity;
  last = -Infinity;
  readonly hours = new Set<number>();

  add(timestamps: readonly number[]): void {
    for (const timestamp of timestamps) {
      if (timestamp < this.first) this.first = timestamp;
      if (timestamp > this.last) this.last = timestamp;
      this.hours.add(hourOf(timestamp));
    }
  }
}

/**
 * Production data in: prediction batches (rows + hourly aggregates over the newest reference
 * version's frozen bins) and labels arriving later by prediction id.
 */
export class ProductionIngestion {
  constructor(
    private readonly batches: BatchRunner,
    private readonly limits: UploadLimits
  ) {}

  ingestPredictions(
    model: Model,
    format: UploadFormat,
    body: Readable,
    idempotencyKey?: string
  ): Promise<BatchOutcome<PredictionBatchResult>> {
    return this.batches.run(model.id, 'predictions', body, idempotencyKey, async (connection, metered, batchId) => {
      const binning = await loadBinning(connection, model.id);
      if (!binning) {
        throw new ConflictError(
          `model ${JSON.stringify(model.id)} has no reference data yet: upload a reference first, it freezes the bins`
        );
      }
      const cuts = model.features.map((feature) => {
        const bins = binning.features[feature.name];
        return bins.kind === 'numeric' ? bins.cuts : null;
      });
      const counts = new HourlyCounts(model.features, cuts, false, outputCounting(model, binning.output));
      const accuracy = new HourlyAccuracySums(
        fitOf(await readReferenceCalibration(connection, model.id, binning.version))
      );
      const extent = new BatchExtent();
      const outcomes = new OutcomeCheck(model);
      let rowsBefore = 0;
      // Rows are checked and counted where they are staged (in upload order), before they move to the model's production rows.
      const countStaged = async (staging: string) => {
        await counts.add(connection, model.id, binning.version, staging);
        for await (const page of readStaged<StagedOutcomes>(
          connection,
          staging,
          'ts_ms::DOUBLE AS ts, prediction, probability, label'
        )) {
          const rows = page.ts.map((timestampMs, row) => ({
            timestampMs,
            prediction: page.prediction[row],
            probability: page.probability[row],
            label: page.label[row],
          }));
          rows.forEach((row, index) => outcomes.check(rowsBefore + index + 1, row));
          rowsBefore += rows.length;
          accuracy.addRows(rows);
          extent.add(page.ts);
        }
      };
      const reader = new RowReader(model, 'production', this.limits.maxStringLength);
      const loader = await RowLoader.open(
        connection,
        { kind: 'production', modelId: model.id, batchId },
        model.features
      );
      let rowCount = 0;
      try {
        for await (const { staging, rowsSoFar } of stageUpload(
          connection,
          format,
          metered,
          reader,
          loader,
          this.limits
        )) {
          await countStaged(staging);
          await loader.moveStaged();
          rowCount = rowsSoFar;
        }
        await loader.finish();
      } finally {
        loader.abandon();
      }
      await relabelFromEarlierLabels(connection, model.id, batchId, accuracy);
      await accuracy.saveEstimate(connection, model.id, binning.version);
      await accuracy.saveRealized(connection, model.id);
      return {
        batch_id: batchId,
        rows: rowCount,
        reference_version: binning.version,
        hours: extent.hours.size,
        first_timestamp: rowCount > 0 ? new Date(extent.first).toISOString() : null,
        last_timestamp: rowCount > 0 ? new Date(extent.last).toISOString() : null,
      };
    });
  }

  ingestLabels(
    model: Model,
    format: UploadFormat,
    body: Readable,
    idempotencyKey?: string
  ): Promise<BatchOutcome<LabelBatchResult>> {
    if (model.columns.label === null) {
      throw new ConflictError(`model ${JSON.stringify(model.id)} maps no label column; set columns.label first`);
    }
    // Label rows carry only the prediction id, the label and optionally the timestamp.
    const labelled: Model = {
      ...model,
      features: [],
      columns: { ...model.columns, prediction: null, probability: null },
    };
    return this.batches.run(model.id, 'labels', body, idempotencyKey, async (connection, metered, batchId) => {
      const reader = new RowReader(labelled, 'labels', this.limits.maxStringLength);
      const outcomes = new OutcomeCheck(model);
      let pending = new Map<string, string>();
      let matched = 0;
      const receivedMs = BigInt(Date.now());
      for await (const records of uploadRecords(connection, format, metered, {
        onColumns: (columns) => reader.checkColumns(columns),
        maxRowBytes: this.limits.maxRowBytes,
      })) {
        checkRowLimit(reader.rowsRead + records.length, this.limits.maxRowsPerBatch);
        for (const record of records) {
          const row = reader.read(record);
          outcomes.check(reader.rowsRead, row);
          pending.set(row.predictionId as string, row.label as string);
        }
        if (pending.size >= LABEL_CHUNK_ROWS) {
          matched += await saveLabels(connection, model.id, pending, receivedMs);
          pending = new Map();
        }
      }
      matched += await saveLabels(connection, model.id, pending, receivedMs);
      return { batch_id: batchId, rows: reader.rowsRead, matched_predictions: matched };
    });
  }
}

/**
 * Upserts labels (the latest label for a prediction id wins) and moves the realized-accuracy sums of
 * the predictions they label; returns how many distinct ids match stored predictions.
 */
async function saveLabels(
  connection: Connection,
  modelId: string,
  labels: Map<string, string>,
  receivedMs: bigint
): Promise<number> {
  if (labels.size === 0) return 0;
  const ids = [...labels.keys()];
  const labelled = await labelledPredictions(connection, modelId, ids);
  const accuracy = new HourlyAccuracySums(null);
  accuracy.relabel(labelled.map((row) => ({ ...row, newLabel: labels.get(row.predictionId) ?? null })));
  await connection.run(
    `INSERT INTO labels (model_id, prediction_id, label, received_ms) SELECT $model, unnest($ids), unnest($labels), $received
     ON CONFLICT DO UPDATE SET label = excluded.label, received_ms = excluded.received_ms`,
    { model: modelId, ids: listValue(ids), labels: listValue([...labels.values()]), received: receivedMs },
    { model: VARCHAR, ids: LIST(VARCHAR), labels: LIST(VARCHAR), received: BIGINT }
  );
  await accuracy.saveRealized(connection, modelId);
  return new Set(labelled.map((row) => row.predictionId)).size;
}
