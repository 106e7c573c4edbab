import { AccuracyFigure, BinaryOutcome, calibrate, ClassifiedRow, realizedAccuracy } from '../stats/accuracy-estimate';
import type { IsotonicFit } from '../stats/isotonic';
import type { Connection, Database } from './database';
import type { Model } from './models';

/**
 * What label-free accuracy estimation needs of a reference version: the isotonic calibration of the
 * model's probabilities and the accuracy on the reference, or the reason neither exists.
 */
export type ReferenceCalibration =
  | {
      readonly status: 'fitted';
      readonly fit: IsotonicFit;
      /** Realized accuracy on the reference rows that have a label and a predicted class. */
      readonly reference_accuracy: AccuracyFigure;
      /** Reference rows with both a probability and a label: the calibration's sample. */
      readonly calibration_rows: number;
    }
  | { readonly status: 'unavailable'; readonly reason: string };

/** Stored prediction/label text as a binary outcome: 1/0, true/false (any case), 1.0/0.0. */
const OUTCOME_TEXT: ReadonlyMap<string, BinaryOutcome> = new Map([
  ['1', 1],
  ['1.0', 1],
  ['true', 1],
  ['0', 0],
  ['0.0', 0],
  ['false', 0],
]);

/** The outcome a stored value stands for; null when missing, undefined when it is not a binary outcome. */
export function binaryOutcome(text: string | null): BinaryOutcome | null | undefined {
  if (text === null) return null;
  return OUTCOME_TEXT.get(text.trim().toLowerCase());
}

export interface StoredOutcomeColumns {
  readonly prediction: (string | null)[];
  readonly probability: (number | null)[];
  readonly label: (string | null)[];
}

/** Rows of stored outcome columns as classified rows; values that are not binary outcomes count as missing. */
export function classifiedRows(columns: StoredOutcomeColumns): ClassifiedRow[] {
  return columns.probability.map((probability, row) => ({
    probability,
    prediction: binaryOutcome(columns.prediction[row]) ?? null,
    label: binaryOutcome(columns.label[row]) ?? null,
  }));
}

function unavailable(reason: string): ReferenceCalibration {
  return { status: 'unavailable', reason: `no calibration: ${reason}` };
}

function describe(values: readonly string[]): string {
  return values.map((value) => JSON.stringify(value)).join(', ');
}

/**
 * Fits the calibration on a reference's stored outcome columns. Labels that are not binary refuse the
 * fit rather than being dropped, since a calibration on a silently filtered sample would be biased.
 */
export function fitReferenceCalibration(model: Model, columns: StoredOutcomeColumns): ReferenceCalibration {
  if (model.task !== 'binary_classification') return unavailable(`accuracy is estimated for binary classifiers only, the model's task is ${model.task}`);
  if (model.columns.probability === null) return unavailable('the model maps no probability column');
  if (model.columns.label === null) return unavailable('the model maps no label column');
  const strange = [...new Set([...columns.label, ...columns.prediction].filter((text) => binaryOutcome(text) === undefined) as string[])];
  if (strange.length > 0) {
    return unavailable(`labels and predictions must be 0/1 or true/false, the reference holds ${describe(strange.slice(0, 3))}`);
  }
  const rows = classifiedRows(columns);
  const calibrationRows = rows.filter((row) => row.probability !== null && row.label !== null).length;
  if (calibrationRows === 0) {
    const labelled = rows.some((row) => row.label !== null);
    return unavailable(`the reference has no rows with both ${labelled ? 'a probability' : 'a label'} and ${labelled ? 'a label' : 'a probability'}`);
  }
  const accuracy = realizedAccuracy(rows);
  if (accuracy === null) return unavailable('no labelled reference row has a prediction or probability');
  return { status: 'fitted', fit: calibrate(rows), reference_accuracy: accuracy, calibration_rows: calibrationRows };
}

/** Fits and stores the calibration of a reference version inside the upload's transaction. */
export async function saveReferenceCalibration(connection: Connection, model: Model, version: number): Promise<ReferenceCalibration> {
  const columns = await connection.columns<StoredOutcomeColumns & Record<string, unknown[]>>(
    'SELECT prediction, probability, label FROM reference_rows WHERE model_id = $1 AND version = $2',
    [model.id, version],
  );
  const calibration = fitReferenceCalibration(model, columns);
  await connection.run('INSERT INTO reference_calibrations VALUES ($1, $2, $3)', [model.id, version, JSON.stringify(calibration)]);
  return calibration;
}

export async function readReferenceCalibration(connection: Connection, modelId: string, version: number): Promise<ReferenceCalibration> {
  const row = await connection.first<{ calibration: string }>('SELECT calibration FROM reference_calibrations WHERE model_id = $1 AND version = $2', [modelId, version]);
  return row ? (JSON.parse(row.calibration) as ReferenceCalibration) : unavailable(`reference version ${version} was stored before calibrations were kept; upload it again`);
}

export function loadReferenceCalibration(database: Database, modelId: string, version: number): Promise<ReferenceCalibration> {
  return database.withConnection((connection) => readReferenceCalibration(connection, modelId, version));
}

/** The fit to estimate accuracy with, or null when the version has none. */
export function fitOf(calibration: ReferenceCalibration): IsotonicFit | null {
  return calibration.status === 'fitted' ? calibration.fit : null;
}
