import { AccuracySums, BinaryOutcome, calibrate, Calibration, ClassifiedRow, predictedClass } from '../stats';
import { CROSS_FIT_FOLDS, IsotonicFit } from '../stats';
import type { Connection, Database } from './database';
import type { Model } from './models';
import { referenceRows } from './row-tables';

/** Reference rows with a probability and a label below which no calibration is fitted: 20 per fold. */
export const MIN_CALIBRATION_ROWS = 200;

/** Labelled reference rows and how many of them the model predicted right: the reference accuracy's sample. */
export interface ReferenceCounts {
  readonly labelled: number;
  readonly right: number;
}

/**
 * What label-free accuracy estimation needs of a reference version: the isotonic calibration of the
 * model's probabilities and the accuracy on the reference, or the reason neither exists.
 */
export type ReferenceCalibration =
  | {
      readonly status: 'fitted';
      readonly calibration: Calibration;
      /** False for versions calibrated before cross-fitting: one fit, so the estimate's band cannot hold the calibration's error. */
      readonly cross_fitted: boolean;
      /** The reference accuracy's sample: labelled reference rows with a predicted class. */
      readonly reference: ReferenceCounts;
      /** Reference rows with both a probability and a label: the calibration's sample. */
      readonly calibration_rows: number;
      /** The calibration's rows scored by the fit that did not see each; null before cross-fitting. */
      readonly held_out: AccuracySums | null;
    }
  | { readonly status: 'unavailable'; readonly reason: string };

/** How a calibration is stored: the cross-fitted form, or the single fit versions had before it (still read). */
type StoredCalibration =
  | {
      status: 'fitted';
      fits: IsotonicFit[];
      reference: ReferenceCounts;
      calibration_rows: number;
      held_out: AccuracySums | null;
    }
  | {
      status: 'fitted';
      fit: IsotonicFit;
      reference_accuracy: { value: number; rows: number };
      calibration_rows: number;
    }
  | { status: 'unavailable'; reason: string };

/** Stored prediction/label text as a binary outcome: 1/0, true/false (any case), 1.0/0.0. */
const OUTCOME_TEXT: ReadonlyMap<string, BinaryOutcome> = new Map([
  ['1', 1],
  ['1.0', 1],
  ['true', 1],
  ['0', 0],
  ['0.0', 0],
  ['false', 0],
]);

/** The values a binary classifier's labels and predictions may take, as users write them. */
export const BINARY_OUTCOME_TEXT = '1/0, true/false (any case) or 1.0/0.0';

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

function referenceCounts(rows: readonly ClassifiedRow[]): ReferenceCounts {
  let labelled = 0;
  let right = 0;
  for (const row of rows) {
    const predicted = predictedClass(row);
    if (predicted === null || row.label === null) continue;
    labelled += 1;
    if (predicted === row.label) right += 1;
  }
  return { labelled, right };
}

/**
 * Fits the cross-fitted calibration on a reference's stored outcome columns. Labels that are not
 * binary refuse the fit rather than being dropped, since a calibration on a silently filtered sample
 * would be biased; fewer than MIN_CALIBRATION_ROWS rows refuse it because its folds would be too small
 * to calibrate, and its error too large to act on.
 */
export function fitReferenceCalibration(model: Model, columns: StoredOutcomeColumns): ReferenceCalibration {
  if (model.task !== 'binary_classification')
    return unavailable(`accuracy is estimated for binary classifiers only, the model's task is ${model.task}`);
  if (model.columns.probability === null) return unavailable('the model maps no probability column');
  if (model.columns.label === null) return unavailable('the model maps no label column');
  const strange = [
    ...new Set(
      [...columns.label, ...columns.prediction].filter((text) => binaryOutcome(text) === undefined) as string[]
    ),
  ];
  if (strange.length > 0) {
    return unavailable(
      `labels and predictions must be ${BINARY_OUTCOME_TEXT}, the reference holds ${describe(strange.slice(0, 3))}`
    );
  }
  const rows = classifiedRows(columns);
  const calibrationRows = rows.filter((row) => row.probability !== null && row.label !== null).length;
  if (calibrationRows === 0) {
    const labelled = rows.some((row) => row.label !== null);
    return unavailable(
      `the reference has no rows with both ${labelled ? 'a probability' : 'a label'} and ${labelled ? 'a label' : 'a probability'}`
    );
  }
  if (calibrationRows < MIN_CALIBRATION_ROWS) {
    return unavailable(
      `the reference has ${calibrationRows} rows with both a probability and a label; a calibration needs at least ${MIN_CALIBRATION_ROWS} (${CROSS_FIT_FOLDS} folds of ${MIN_CALIBRATION_ROWS / CROSS_FIT_FOLDS}) to be fitted and checked on rows it did not see`
    );
  }
  const { calibration, heldOut } = calibrate(rows);
  return {
    status: 'fitted',
    calibration,
    cross_fitted: true,
    reference: referenceCounts(rows),
    calibration_rows: calibrationRows,
    held_out: heldOut,
  };
}

function stored(calibration: ReferenceCalibration): StoredCalibration {
  if (calibration.status === 'unavailable') return calibration;
  const { calibration: fitted, reference, calibration_rows, held_out } = calibration;
  return { status: 'fitted', fits: [...fitted.fits], reference, calibration_rows, held_out };
}

function parsed(text: string): ReferenceCalibration {
  const record = JSON.parse(text) as StoredCalibration;
  if (record.status === 'unavailable') return record;
  if ('fits' in record) {
    const { fits, reference, calibration_rows, held_out } = record;
    return { status: 'fitted', calibration: { fits }, cross_fitted: true, reference, calibration_rows, held_out };
  }
  // Before cross-fitting the accuracy was stored as a figure; its share of its rows gives the count back.
  const { value, rows } = record.reference_accuracy;
  return {
    status: 'fitted',
    calibration: { fits: [record.fit] },
    cross_fitted: false,
    reference: { labelled: rows, right: Math.round(value * rows) },
    calibration_rows: record.calibration_rows,
    held_out: null,
  };
}

/** Fits and stores the calibration of a reference version inside the upload's transaction. */
export async function saveReferenceCalibration(
  connection: Connection,
  model: Model,
  version: number
): Promise<ReferenceCalibration> {
  // In row order, so the same upload always gets the same folds.
  const columns = await connection.columns<StoredOutcomeColumns & Record<string, unknown[]>>(
    `SELECT prediction, probability, label FROM ${referenceRows(model.id)} WHERE version = $version ORDER BY rowid`,
    { version }
  );
  const calibration = fitReferenceCalibration(model, columns);
  await connection.run(
    'INSERT INTO reference_calibrations (model_id, version, calibration) VALUES ($model, $version, $calibration)',
    { model: model.id, version, calibration: JSON.stringify(stored(calibration)) }
  );
  return calibration;
}

export async function readReferenceCalibration(
  connection: Connection,
  modelId: string,
  version: number
): Promise<ReferenceCalibration> {
  const row = await connection.first<{ calibration: string }>(
    'SELECT calibration FROM reference_calibrations WHERE model_id = $model AND version = $version',
    { model: modelId, version }
  );
  return row
    ? parsed(row.calibration)
    : unavailable(`reference version ${version} was stored before calibrations were kept; upload it again`);
}

export function loadReferenceCalibration(
  database: Database,
  modelId: string,
  version: number
): Promise<ReferenceCalibration> {
  return database.withConnection((connection) => readReferenceCalibration(connection, modelId, version));
}

/** The calibration to estimate accuracy with, or null when the version has none. */
export function fitOf(calibration: ReferenceCalibration): Calibration | null {
  return calibration.status === 'fitted' ? calibration.calibration : null;
}
