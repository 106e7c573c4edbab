import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { Connection } from './database';
import { InvalidDataError } from './errors';
import { LineEndingScan } from './formats/line-endings';
import { readCsvHeader, UploadFormat } from './formats/records';
import type { RowLoader } from './row-loader';
import type { RowReader } from './rows';
import { spoolUpload, uploadRecords } from './uploads';

export function checkRowLimit(seen: number, limit: number): void {
  if (seen > limit) throw new InvalidDataError(`the upload holds more than ${limit} rows, the per-batch limit`);
}

async function readAndStage(connection: Connection, format: UploadFormat, body: Readable, reader: RowReader, loader: RowLoader, maxRows: number): Promise<number> {
  for await (const records of uploadRecords(connection, format, body, { onColumns: (columns) => reader.checkColumns(columns) })) {
    checkRowLimit(reader.rowsRead + records.length, maxRows);
    await loader.append(records.map((record) => reader.read(record)));
  }
  return reader.rowsRead;
}

/** The header of a spooled CSV file, checked by the row reader; empty when the file has none. */
async function csvHeader(file: string, reader: RowReader): Promise<string[]> {
  const header = await readCsvHeader(createReadStream(file));
  if (header.length > 0) reader.checkColumns(header);
  return header;
}

/**
 * Stages every row of an upload in `loader` and returns how many there were. A CSV upload is
 * spooled and staged by DuckDB's CSV reader when its line endings and every value allow it
 * (LineEndingScan, stageCsv), and read by the row reader otherwise, like every other format.
 */
export async function stageUpload(connection: Connection, format: UploadFormat, body: Readable, reader: RowReader, loader: RowLoader, maxRows: number): Promise<number> {
  if (format !== 'csv') return readAndStage(connection, format, body, reader, loader, maxRows);
  const lineEndings = new LineEndingScan();
  const spooled = await spoolUpload(body, 'upload.csv', lineEndings);
  try {
    const header = await csvHeader(spooled.file, reader);
    const staged = header.length > 0 && lineEndings.uniform ? await loader.stageCsv({ file: spooled.file, header, reader, maxRows }) : null;
    return staged ?? (await readAndStage(connection, 'csv', createReadStream(spooled.file), reader, loader, maxRows));
  } finally {
    await spooled.remove();
  }
}
