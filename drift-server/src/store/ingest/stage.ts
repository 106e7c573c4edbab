import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { Connection } from '../database';
import { InvalidDataError } from '../errors';
import { CsvScan } from './parse/csv-scan';
import { noRows, readCsvHeader, UploadFormat } from './parse/records';
import type { RowLimits } from './parse/row-limits';
import type { RowLoader } from './staging-table';
import type { RowReader } from './validate';
import { spoolUpload, uploadRecords } from './parse/upload-records';

/** What one upload may hold: rows per batch, and the length of one row in every format. */
export interface BatchLimits extends RowLimits {
  readonly maxRowsPerBatch: number;
}

export function checkRowLimit(seen: number, limit: number): void {
  if (seen > limit) throw new InvalidDataError(`the upload holds more than ${limit} rows, the per-batch limit`);
}

/** What stageUpload hands back each time rows are staged: the staging table to read them from, before they move. */
export interface StagedPortion {
  /** The staging table, quoted for SQL. */
  readonly staging: string;
  /** Rows of the upload staged so far, this portion included. */
  readonly rowsSoFar: number;
}

async function* readAndStage(
  connection: Connection,
  format: UploadFormat,
  body: Readable,
  reader: RowReader,
  loader: RowLoader,
  limits: BatchLimits,
  scanned = false
): AsyncGenerator<StagedPortion> {
  const options = {
    onColumns: (columns: string[]) => reader.checkColumns(columns),
    maxRowBytes: limits.maxRowBytes,
    scanned,
  };
  for await (const records of uploadRecords(connection, format, body, options)) {
    checkRowLimit(reader.rowsRead + records.length, limits.maxRowsPerBatch);
    await loader.append(records.map((record) => reader.read(record)));
    if (loader.full) yield { staging: loader.sealed(), rowsSoFar: reader.rowsRead };
  }
  if (loader.holdsRows) yield { staging: loader.sealed(), rowsSoFar: reader.rowsRead };
}

/** The header of a spooled CSV file, checked by the row reader; empty when the file has none. */
async function csvHeader(file: string, reader: RowReader): Promise<string[]> {
  const header = await readCsvHeader(createReadStream(file));
  if (header.length > 0) reader.checkColumns(header);
  return header;
}

/**
 * Stages every row of an upload in `loader`, one portion at a time: after each the caller reads the
 * portion (counting it) and moves it with loader.moveStaged() before the next is staged, so a staging
 * table never holds more than one portion. An upload without a row is refused. A CSV upload is spooled through a CsvScan (UTF-8, record length, line endings)
 * and staged by DuckDB's CSV reader when its line endings and every value allow it (stageCsv), and
 * read by the row reader otherwise, like every other format.
 */
export async function* stageUpload(
  connection: Connection,
  format: UploadFormat,
  body: Readable,
  reader: RowReader,
  loader: RowLoader,
  limits: BatchLimits
): AsyncGenerator<StagedPortion> {
  if (format !== 'csv') {
    yield* readAndStage(connection, format, body, reader, loader, limits);
    return;
  }
  const scan = new CsvScan(limits);
  const spooled = await spoolUpload(body, 'upload.csv', scan);
  try {
    const header = await csvHeader(spooled.file, reader);
    const staged =
      header.length > 0 && scan.uniform
        ? await loader.stageCsv({
            file: spooled.file,
            header,
            reader,
            maxRows: limits.maxRowsPerBatch,
            maxRowBytes: limits.maxRowBytes,
          })
        : null;
    if (staged === 0) throw noRows();
    if (staged !== null) yield { staging: loader.sealed(), rowsSoFar: staged };
    else yield* readAndStage(connection, 'csv', createReadStream(spooled.file), reader, loader, limits, true);
  } finally {
    await spooled.remove();
  }
}
