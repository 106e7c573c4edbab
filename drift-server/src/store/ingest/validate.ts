import { BINARY_OUTCOME_TEXT, binaryOutcome } from '../calibration';
import { InvalidDataError } from '../errors';
import type { UploadRecord } from './parse/records';
import type { Model } from '../models';
import { NUMERIC_TEXT, readNumberText } from '../../value-types';

/** One uploaded row, typed. Feature values sit at their feature's position in `num` or `cat`. */
export interface TypedRow {
  readonly predictionId: string | null;
  readonly timestampMs: number | null;
  readonly prediction: string | null;
  readonly probability: number | null;
  readonly label: string | null;
  readonly num: (number | null)[];
  readonly cat: (string | null)[];
}

/**
 * Which columns a row must fill: production rows a prediction id and timestamp, label rows a
 * prediction id and label; reference rows describe training data and need neither.
 */
export type RowPurpose = 'reference' | 'production' | 'labels';

const REQUIRED: Record<RowPurpose, (columns: Model['columns']) => (string | null)[]> = {
  reference: () => [],
  production: (columns) => [columns.prediction_id, columns.timestamp],
  labels: (columns) => [columns.prediction_id, columns.label],
};

/**
 * The one range a stored timestamp must fall in, [2000-01-01, 2100-01-01) UTC: before it a
 * timestamp is almost surely epoch seconds sent as milliseconds, after it epoch microseconds or
 * nanoseconds — stored, such rows would sit outside every window and never be purged.
 */
export const EARLIEST_TIMESTAMP_MS = Date.UTC(2000, 0, 1);
export const LATEST_TIMESTAMP_MS = Date.UTC(2100, 0, 1);
/** ISO 8601 as uploads may write it: a date, optionally a time (`T` or a space) and a zone; no zone means UTC. */
const ISO_TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
/** A lone UTF-16 surrogate: text that no UTF-8 can carry, only a JSON escape such as "\ud800". */
const LONE_SURROGATE = /\p{Cs}/u;

/** A value as an error message quotes it: at most 60 characters, whatever it is (a bigint, a deeply nested object). */
function describeValue(value: unknown): string {
  let text: string;
  if (typeof value === 'bigint') text = value.toString();
  else if (value !== null && typeof value === 'object' && !(value instanceof Date))
    text = Array.isArray(value) ? '[…] (an array)' : '{…} (an object)';
  else text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Epoch milliseconds of an ISO 8601 text naming a real calendar time; NaN for any other text (2026-02-30, 24:00, 13th months). */
function isoMilliseconds(text: string): number {
  const match = ISO_TIMESTAMP.exec(text);
  if (!match) return Number.NaN;
  const [year, month, day, hour = 0, minute = 0, second = 0] = match
    .slice(1, 7)
    .map((part) => (part === undefined ? undefined : Number(part))) as number[];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
  if (days === undefined || day < 1 || day > days || hour > 23 || minute > 59 || second > 59) return Number.NaN;
  const fraction = match[7] === undefined ? 0 : Math.trunc(Number(match[7]) * 1000);
  const zone = match[8]?.toUpperCase();
  let offsetMinutes = 0;
  if (zone !== undefined && zone !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    const zoneHours = Number(digits.slice(0, 2));
    const zoneMinutes = Number(digits.slice(2) || '0');
    if (zoneHours > 23 || zoneMinutes > 59) return Number.NaN;
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (zoneHours * 60 + zoneMinutes);
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, fraction) - offsetMinutes * 60_000;
}

/**
 * Checks and converts uploaded records against a model: known columns only, numbers where numbers
 * belong, valid timestamps, bounded strings. The first bad value rejects the batch with its row
 * and column named.
 */
export class RowReader {
  private readonly known: Set<string>;
  private readonly required: string[];
  private rowNumber = 0;

  constructor(
    readonly model: Model,
    private readonly purpose: RowPurpose,
    readonly maxStringLength: number
  ) {
    const { columns } = model;
    const optional = [columns.prediction, columns.probability, columns.label].filter(
      (name): name is string => name !== null
    );
    this.required = REQUIRED[purpose](columns).filter((name): name is string => name !== null);
    this.known = new Set([
      ...model.features.map((feature) => feature.name),
      ...optional,
      columns.prediction_id,
      columns.timestamp,
    ]);
  }

  get rowsRead(): number {
    return this.rowNumber;
  }

  /** The columns every row must fill for this purpose. */
  get requiredColumns(): readonly string[] {
    return this.required;
  }

  /** For formats with a header: every required and feature column present, none unknown. */
  checkColumns(columns: readonly string[]): void {
    const present = new Set(columns);
    if (present.size !== columns.length) throw new InvalidDataError('the header names a column twice');
    this.rejectUnknown(columns);
    const absent = [...this.required, ...this.model.features.map((feature) => feature.name)].filter(
      (name) => !present.has(name)
    );
    if (absent.length > 0)
      throw new InvalidDataError(`the header lacks column(s) ${absent.map(describeValue).join(', ')}`);
  }

  read(record: UploadRecord): TypedRow {
    this.rowNumber += 1;
    for (const key in record) {
      if (!this.known.has(key)) this.rejectUnknown([key]);
    }
    const { columns, features } = this.model;
    const num: (number | null)[] = new Array(features.length).fill(null);
    const cat: (string | null)[] = new Array(features.length).fill(null);
    for (let index = 0; index < features.length; index += 1) {
      const feature = features[index];
      const value = record[feature.name];
      if (feature.kind === 'numeric') num[index] = this.number(value, feature.name);
      else cat[index] = this.text(value, feature.name);
    }
    const predictionId = this.text(record[columns.prediction_id], columns.prediction_id);
    const timestampMs = this.timestamp(record[columns.timestamp], columns.timestamp);
    const label = columns.label === null ? null : this.text(record[columns.label], columns.label);
    if (this.purpose !== 'reference' && predictionId === null)
      this.fail(columns.prediction_id, 'a prediction id is required');
    if (this.purpose === 'production' && timestampMs === null) this.fail(columns.timestamp, 'a timestamp is required');
    if (this.purpose === 'labels' && label === null) this.fail(columns.label as string, 'a label is required');
    const probability =
      columns.probability === null ? null : this.number(record[columns.probability], columns.probability);
    if (probability !== null && (probability < 0 || probability > 1)) {
      this.fail(columns.probability as string, `a probability must lie in [0, 1], got ${probability}`);
    }
    return {
      predictionId,
      timestampMs,
      prediction: columns.prediction === null ? null : this.text(record[columns.prediction], columns.prediction),
      probability,
      label,
      num,
      cat,
    };
  }

  private rejectUnknown(columns: readonly string[]): void {
    const unknown = columns.filter((name) => !this.known.has(name));
    if (unknown.length === 0) return;
    throw new InvalidDataError(
      `unknown column(s) ${unknown.slice(0, 5).map(describeValue).join(', ')}: model ${JSON.stringify(this.model.id)} has no such feature or mapped column`
    );
  }

  private fail(column: string, problem: string): never {
    throw new InvalidDataError(`row ${this.rowNumber}, column ${describeValue(column)}: ${problem}`);
  }

  private number(value: unknown, column: string): number | null {
    if (value === null || value === undefined) return null;
    const parsed =
      typeof value === 'number'
        ? value
        : typeof value === 'bigint'
          ? Number(value)
          : typeof value === 'string'
            ? readNumberText(value)
            : 'text';
    if (parsed === null) return null;
    if (parsed === 'text') return this.fail(column, `expected a number, got ${describeValue(value)}`);
    if (parsed === 'non_finite' || !Number.isFinite(parsed)) {
      return this.fail(
        column,
        `expected a finite number, got ${typeof value === 'string' ? describeValue(value) : String(value)}`
      );
    }
    return parsed;
  }

  /** Categories, ids and labels: strings, or numbers and booleans written as text. */
  private text(value: unknown, column: string): string | null {
    if (value === null || value === undefined || value === '') return null;
    let text: string;
    if (typeof value === 'string') text = value;
    else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') text = String(value);
    else return this.fail(column, `expected text or a number, got ${describeValue(value)}`);
    if (text.length > this.maxStringLength) this.fail(column, `text longer than ${this.maxStringLength} characters`);
    if (text.includes('\u0000')) this.fail(column, 'text holds a NUL character');
    if (LONE_SURROGATE.test(text))
      this.fail(column, 'text holds a lone UTF-16 surrogate (an escape such as \\ud800 that is no character)');
    return text;
  }

  /** ISO 8601 (a real calendar time) or epoch milliseconds, in [EARLIEST_TIMESTAMP_MS, LATEST_TIMESTAMP_MS). */
  private timestamp(value: unknown, column: string): number | null {
    if (value === null || value === undefined || value === '') return null;
    let milliseconds: number;
    if (value instanceof Date) milliseconds = value.getTime();
    else if (typeof value === 'number') milliseconds = value;
    else if (typeof value === 'bigint') milliseconds = Number(value);
    else if (typeof value === 'string' && NUMERIC_TEXT.test(value)) milliseconds = Number(value);
    else if (typeof value === 'string') milliseconds = isoMilliseconds(value);
    else return this.fail(column, `expected an ISO 8601 time or epoch milliseconds, got ${describeValue(value)}`);
    if (!Number.isFinite(milliseconds))
      this.fail(column, `${describeValue(value)} is not an ISO 8601 time (a real calendar date) or epoch milliseconds`);
    if (milliseconds < EARLIEST_TIMESTAMP_MS) {
      this.fail(column, `${describeValue(value)} is before 2000-01-01; send epoch milliseconds, not seconds`);
    }
    if (milliseconds >= LATEST_TIMESTAMP_MS) {
      this.fail(
        column,
        `${describeValue(value)} is not before 2100-01-01; send epoch milliseconds, not microseconds or nanoseconds`
      );
    }
    return Math.trunc(milliseconds);
  }
}

/**
 * The outcome values a model accepts. A binary classifier's labels and predictions must be binary
 * outcomes: anything else would be counted as missing by accuracy, so it refuses the batch instead,
 * naming the row. Other tasks' outcomes are not interpreted and pass as text.
 */
export class OutcomeCheck {
  private readonly binary: boolean;

  constructor(private readonly model: Model) {
    this.binary = model.task === 'binary_classification';
  }

  check(row: number, values: { readonly prediction?: string | null; readonly label: string | null }): void {
    if (!this.binary) return;
    const { columns } = this.model;
    if (values.label !== null && binaryOutcome(values.label) === undefined)
      this.fail(row, columns.label as string, 'label', values.label);
    if (values.prediction != null && binaryOutcome(values.prediction) === undefined)
      this.fail(row, columns.prediction as string, 'prediction', values.prediction);
  }

  private fail(row: number, column: string, what: string, value: string): never {
    throw new InvalidDataError(
      `row ${row}, column ${JSON.stringify(column)}: ${JSON.stringify(value)} is not a ${what} of binary classifier ${JSON.stringify(this.model.id)}; ${what}s are ${BINARY_OUTCOME_TEXT}`
    );
  }
}
