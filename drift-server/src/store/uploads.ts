import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Connection } from './database';
import { InvalidDataError } from './errors';
import { readRecords, RecordReadOptions, UploadFormat, UploadRecord } from './formats/records';
import { quoteIdentifier } from './sql';

const PARQUET_PAGE_ROWS = 8192;

export interface SpooledUpload {
  readonly file: string;
  /** Deletes the file; call once the upload is read. */
  readonly remove: () => Promise<void>;
}

/** Writes an upload to a temporary file, for readers that need the whole body: DuckDB's. `through` sees the bytes on their way. */
export async function spoolUpload(body: Readable, name: string, ...through: Transform[]): Promise<SpooledUpload> {
  const directory = await mkdtemp(join(tmpdir(), 'driftguard-upload-'));
  const remove = () => rm(directory, { recursive: true, force: true });
  const file = join(directory, name);
  try {
    await pipeline([body, ...through, createWriteStream(file)]);
  } catch (error) {
    await remove();
    throw error;
  }
  return { file, remove };
}

/**
 * Parquet needs random access, so the upload is spooled to a temporary file and read by DuckDB
 * into a temporary table of the open transaction, then paged out by file row number. Pages are
 * whole queries because the appender of the same transaction would cut a streaming result short.
 */
async function* parquetRecords(connection: Connection, body: Readable, options: RecordReadOptions): AsyncGenerator<UploadRecord[]> {
  const { file, remove } = await spoolUpload(body, 'upload.parquet');
  const table = quoteIdentifier(`upload_${randomBytes(8).toString('hex')}`);
  try {
    let columns: string[];
    try {
      const described = await connection.rows<{ column_name: string }>('DESCRIBE SELECT * FROM read_parquet($1)', [file]);
      columns = described.map((row) => row.column_name);
    } catch (error) {
      throw new InvalidDataError(`the body is not a readable Parquet file: ${(error as Error).message.split('\n')[0]}`);
    }
    options.onColumns(columns);
    const selected = columns.map(quoteIdentifier).join(', ');
    await connection.run(
      `CREATE TEMP TABLE ${table} AS SELECT file_row_number AS upload_row, ${selected} FROM read_parquet($1, file_row_number = true)`,
      [file],
    );
    const total = (await connection.first<{ n: number }>(`SELECT count(*)::DOUBLE AS n FROM ${table}`))?.n ?? 0;
    for (let start = 0; start < total; start += PARQUET_PAGE_ROWS) {
      yield await connection.rows(`SELECT ${selected} FROM ${table} WHERE upload_row >= $1 AND upload_row < $2 ORDER BY upload_row`, [
        BigInt(start),
        BigInt(start + PARQUET_PAGE_ROWS),
      ]);
    }
  } finally {
    await connection.run(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
    await remove();
  }
}

/** The records of an upload in batches, whatever its format. */
export function uploadRecords(
  connection: Connection,
  format: UploadFormat,
  body: Readable,
  options: RecordReadOptions,
): AsyncGenerator<UploadRecord[]> {
  return format === 'parquet' ? parquetRecords(connection, body, options) : readRecords(format, body, options);
}
