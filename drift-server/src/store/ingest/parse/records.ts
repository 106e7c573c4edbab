import { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { InvalidDataError } from '../../errors';
import { CsvScan } from './csv-scan';
import { JsonArraySplitter } from './json-array';
import { NdjsonSplitter } from './ndjson';
import { checkNesting, RowLimits, utf8Row } from './row-limits';

/** Upload formats parsed as streams; Parquet goes through DuckDB (see parquet.ts). */
export type TextFormat = 'csv' | 'ndjson' | 'json';
export type UploadFormat = TextFormat | 'parquet';

export type UploadRecord = Record<string, unknown>;

const BATCH_ROWS = 4096;

export interface RecordReadOptions extends RowLimits {
  /** Called with the column names when the format has a header, before any record. */
  readonly onColumns: (columns: string[]) => void;
  /** The body already went through a CsvScan (a spooled CSV upload), so it is not scanned again. */
  readonly scanned?: boolean;
}

/** The refusal of an upload without a single row: an empty body, a CSV header alone, `[]`. */
export function noRows(): InvalidDataError {
  return new InvalidDataError(
    'the upload holds no rows: send at least one row (a CSV body needs its header and at least one row)'
  );
}

function parsedObject(bytes: Uint8Array, where: string): UploadRecord {
  checkNesting(bytes, where);
  const text = utf8Row(bytes, where);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InvalidDataError(`${where} is not valid JSON: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidDataError(`${where} is not a JSON object`);
  }
  return value as UploadRecord;
}

/** csv-parse as every CSV read uses it, after `scan` when given, stopping after `maxRecords` records when given. */
function csvFields(
  body: Readable,
  { scan, maxRecords }: { scan?: CsvScan; maxRecords?: number } = {}
): AsyncIterable<string[]> {
  const parser = parse({ bom: true, skip_empty_lines: true, ...(maxRecords === undefined ? {} : { to: maxRecords }) });
  // pipeline, unlike pipe, also passes on an error the body raised before the parse began.
  if (scan) pipeline(body, scan, parser, () => undefined);
  else pipeline(body, parser, () => undefined);
  return parser;
}

function csvProblem(error: unknown): unknown {
  return error instanceof CsvError ? new InvalidDataError(`malformed CSV: ${error.message}`) : error;
}

/** The header of a CSV body, read without parsing further; empty when the body has none. */
export async function readCsvHeader(body: Readable): Promise<string[]> {
  try {
    for await (const fields of csvFields(body, { maxRecords: 1 })) return fields;
  } catch (error) {
    throw csvProblem(error);
  }
  return [];
}

async function* csvRecords(body: Readable, options: RecordReadOptions): AsyncGenerator<UploadRecord[]> {
  // Records come as arrays and are keyed here: csv-parse's own `columns` option costs half its time.
  let header: string[] | undefined;
  let batch: UploadRecord[] = [];
  try {
    for await (const fields of csvFields(body, { scan: options.scanned ? undefined : new CsvScan(options) })) {
      if (header === undefined) {
        header = fields;
        options.onColumns(header);
        continue;
      }
      // Without a prototype, a column named "__proto__" is an ordinary key.
      const record: UploadRecord = Object.create(null);
      for (let column = 0; column < header.length; column += 1) record[header[column]] = fields[column];
      batch.push(record);
      if (batch.length === BATCH_ROWS) {
        yield batch;
        batch = [];
      }
    }
  } catch (error) {
    throw csvProblem(error);
  }
  if (batch.length > 0) yield batch;
}

async function* ndjsonRecords(body: Readable, limits: RowLimits): AsyncGenerator<UploadRecord[]> {
  const splitter = new NdjsonSplitter(limits);
  let row = 0;
  const parseLines = (lines: Buffer[], lastLine: number): UploadRecord[] => {
    const records: UploadRecord[] = [];
    lines.forEach((line, index) => {
      if (isBlank(line)) return;
      row += 1;
      const lineNumber = lastLine - lines.length + index + 1;
      records.push(parsedObject(line, lineNumber === row ? `row ${row}` : `row ${row} (line ${lineNumber})`));
    });
    return records;
  };
  for await (const chunk of body) {
    const records = parseLines(splitter.push(chunk as Buffer), splitter.lineNumber);
    if (records.length > 0) yield records;
  }
  const records = parseLines(splitter.finish(), splitter.lineNumber);
  if (records.length > 0) yield records;
}

function isBlank(line: Buffer): boolean {
  for (const byte of line) if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d) return false;
  return true;
}

async function* jsonArrayRecords(body: Readable, limits: RowLimits): AsyncGenerator<UploadRecord[]> {
  const splitter = new JsonArraySplitter(limits);
  let row = 0;
  const parseAll = (objects: Buffer[]) =>
    objects.map((object) => parsedObject(object, `row ${(row += 1)} of the JSON array`));
  for await (const chunk of body) {
    const records = parseAll(splitter.push(chunk as Buffer));
    if (records.length > 0) yield records;
  }
  splitter.finish();
}

/** Streams the records of a text upload in batches; memory stays bounded by the batch, not the body. */
export function readRecords(
  format: TextFormat,
  body: Readable,
  options: RecordReadOptions
): AsyncGenerator<UploadRecord[]> {
  switch (format) {
    case 'csv':
      return csvRecords(body, options);
    case 'ndjson':
      return ndjsonRecords(body, options);
    case 'json':
      return jsonArrayRecords(body, options);
  }
}

const MEDIA_TYPES: Record<string, UploadFormat> = {
  'text/csv': 'csv',
  'application/csv': 'csv',
  'application/x-ndjson': 'ndjson',
  'application/ndjson': 'ndjson',
  'application/jsonl': 'ndjson',
  'application/json': 'json',
  'application/vnd.apache.parquet': 'parquet',
  'application/x-parquet': 'parquet',
};

export const SUPPORTED_MEDIA_TYPES = Object.keys(MEDIA_TYPES);

export function formatOfMediaType(contentType: string | undefined): UploadFormat | undefined {
  const mediaType = contentType?.split(';')[0].trim().toLowerCase();
  return mediaType === undefined ? undefined : MEDIA_TYPES[mediaType];
}
