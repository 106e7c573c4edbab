import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Connection } from '../../database';
import { InvalidDataError } from '../../errors';
import { noRows, readRecords, RecordReadOptions, UploadFormat, UploadRecord } from './records';
import { rowTooLong } from './row-limits';
import { quoteIdentifier } from '../../sql';

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

interface ParquetColumn extends Record<string, unknown> {
  column_name: string;
  column_type: string;
}

/** DuckDB's names of types holding other values: structs, maps, unions, lists and fixed-size arrays. */
const NESTED_TYPE = /^(STRUCT|MAP|UNION)\(|\[\d*\]$/;
const TEXT_TYPE = /^(VARCHAR|BLOB)$/;

/** Refuses a Parquet file whose text in one row is longer than the row limit, like a long line of any other format. */
async function checkRowLengths(
  connection: Connection,
  table: string,
  columns: readonly ParquetColumn[],
  options: RecordReadOptions
): Promise<void> {
  const text = columns.filter((column) => TEXT_TYPE.test(column.column_type));
  if (text.length === 0) return;
  const length = text
    .map(
      (column) =>
        `coalesce(${column.column_type === 'BLOB' ? 'octet_length' : 'strlen'}(${quoteIdentifier(column.column_name)}), 0)`
    )
    .join(' + ');
  const longest = await connection.first<{ row: bigint | null }>(
    `SELECT min(upload_row) AS row FROM ${table} WHERE ${length} > $limit`,
    { limit: BigInt(options.maxRowBytes) }
  );
  if (longest?.row != null) throw rowTooLong(`row ${Number(longest.row) + 1} of the Parquet file`, options);
}

/**
 * Parquet needs random access, so the upload is spooled to a temporary file and read by DuckDB
 * into a temporary table of the open transaction, then paged out by file row number. Pages are
 * whole queries because the appender of the same transaction would cut a streaming result short.
 */
async function* parquetRecords(
  connection: Connection,
  body: Readable,
  options: RecordReadOptions
): AsyncGenerator<UploadRecord[]> {
  const { file, remove } = await spoolUpload(body, 'upload.parquet');
  const table = quoteIdentifier(`upload_${randomBytes(8).toString('hex')}`);
  try {
    let columns: string[];
    let described: ParquetColumn[];
    try {
      described = await connection.rows<ParquetColumn>('DESCRIBE SELECT * FROM read_parquet($file)', { file });
      columns = described.map((row) => row.column_name);
    } catch (error) {
      throw new InvalidDataError(`the body is not a readable Parquet file: ${(error as Error).message.split('\n')[0]}`);
    }
    options.onColumns(columns);
    const nested = described.find((column) => NESTED_TYPE.test(column.column_type));
    if (nested) {
      throw new InvalidDataError(
        `Parquet column ${JSON.stringify(nested.column_name)} has the nested type ${nested.column_type}; columns hold numbers, text, booleans or timestamps`
      );
    }
    const selected = columns.map(quoteIdentifier).join(', ');
    await connection.run(
      `CREATE TEMP TABLE ${table} AS SELECT file_row_number AS upload_row, ${selected} FROM read_parquet($file, file_row_number = true)`,
      { file }
    );
    await checkRowLengths(connection, table, described, options);
    const total = (await connection.first<{ n: number }>(`SELECT count(*)::DOUBLE AS n FROM ${table}`))?.n ?? 0;
    for (let start = 0; start < total; start += PARQUET_PAGE_ROWS) {
      yield await connection.rows(
        `SELECT ${selected} FROM ${table} WHERE upload_row >= $from AND upload_row < $to ORDER BY upload_row`,
        { from: BigInt(start), to: BigInt(start + PARQUET_PAGE_ROWS) }
      );
    }
  } finally {
    await connection.run(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
    await remove();
  }
}

/** The records of an upload in batches, whatever its format; an upload without a single row is refused. */
export async function* uploadRecords(
  connection: Connection,
  format: UploadFormat,
  body: Readable,
  options: RecordReadOptions
): AsyncGenerator<UploadRecord[]> {
  let rows = 0;
  for await (const records of format === 'parquet'
    ? parquetRecords(connection, body, options)
    : readRecords(format, body, options)) {
    rows += records.length;
    yield records;
  }
  if (rows === 0) throw noRows();
}
