import { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { CsvError, parse } from 'csv-parse';
import { InvalidDataError } from '../errors';
import { JsonArraySplitter } from './json-array';

/** Upload formats parsed as streams; Parquet goes through DuckDB (see parquet.ts). */
export type TextFormat = 'csv' | 'ndjson' | 'json';
export type UploadFormat = TextFormat | 'parquet';

export type UploadRecord = Record<string, unknown>;

const BATCH_ROWS = 4096;

export interface RecordReadOptions {
  /** Called with the column names when the format has a header, before any record. */
  readonly onColumns: (columns: string[]) => void;
}

function parsedObject(text: string, row: number): UploadRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InvalidDataError(`row ${row} is not valid JSON: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidDataError(`row ${row} is not a JSON object`);
  }
  return value as UploadRecord;
}

/** csv-parse as every CSV read uses it, stopping after `maxRecords` records when given. */
function csvFields(body: Readable, maxRecords?: number): AsyncIterable<string[]> {
  const parser = parse({ bom: true, skip_empty_lines: true, ...(maxRecords === undefined ? {} : { to: maxRecords }) });
  pipeline(body, parser, () => undefined);
  return parser;
}

function csvProblem(error: unknown): unknown {
  return error instanceof CsvError ? new InvalidDataError(`malformed CSV: ${error.message}`) : error;
}

/** The header of a CSV body, read without parsing further; empty when the body has none. */
export async function readCsvHeader(body: Readable): Promise<string[]> {
  try {
    for await (const fields of csvFields(body, 1)) return fields;
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
    for await (const fields of csvFields(body)) {
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

async function* ndjsonRecords(body: Readable): AsyncGenerator<UploadRecord[]> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let row = 0;
  const parseLines = (lines: string[]): UploadRecord[] => {
    const records: UploadRecord[] = [];
    for (const line of lines) {
      if (line.trim() === '') continue;
      row += 1;
      records.push(parsedObject(line, row));
    }
    return records;
  };
  for await (const chunk of body) {
    const lines = (pending + decoder.write(chunk as Buffer)).split('\n');
    pending = lines.pop() as string;
    const records = parseLines(lines);
    if (records.length > 0) yield records;
  }
  const records = parseLines([pending + decoder.end()]);
  if (records.length > 0) yield records;
}

async function* jsonArrayRecords(body: Readable): AsyncGenerator<UploadRecord[]> {
  const decoder = new StringDecoder('utf8');
  const splitter = new JsonArraySplitter();
  let row = 0;
  const parseAll = (texts: string[]) => texts.map((text) => parsedObject(text, (row += 1)));
  for await (const chunk of body) {
    const records = parseAll(splitter.push(decoder.write(chunk as Buffer)));
    if (records.length > 0) yield records;
  }
  const records = parseAll(splitter.push(decoder.end()));
  splitter.finish();
  if (records.length > 0) yield records;
}

/** Streams the records of a text upload in batches; memory stays bounded by the batch, not the body. */
export function readRecords(format: TextFormat, body: Readable, options: RecordReadOptions): AsyncGenerator<UploadRecord[]> {
  switch (format) {
    case 'csv':
      return csvRecords(body, options);
    case 'ndjson':
      return ndjsonRecords(body);
    case 'json':
      return jsonArrayRecords(body);
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
