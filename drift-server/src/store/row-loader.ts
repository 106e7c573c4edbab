import { randomBytes } from 'node:crypto';
import { BIGINT, DOUBLE, DuckDBAppender, DuckDBDataChunk, DuckDBType, DuckDBValue, INTEGER, VARCHAR } from '@duckdb/node-api';
import { CsvUpload, stageCsv } from './csv-staging';
import type { Connection } from './database';
import type { FeatureDefinition } from './models';
import type { TypedRow } from './rows';

/** DuckDB's vector size: the most rows one data chunk holds. */
const CHUNK_ROWS = 2048;

/** Rows staged before they move to the row table, bounding the staging table's memory. */
const MOVE_ROWS = 65_536;

/** Staged rows read back to JavaScript per page. */
const READ_BACK_ROWS = 65_536;

/** Called with the staging table's name before its rows move, while they can still be read from it. */
export type BeforeMove = (staging: string) => Promise<void>;

type ColumnReader = (row: TypedRow) => DuckDBValue;

/** Where loaded rows go: the leading columns of the row table, bound as parameters. */
export type RowTarget =
  | { readonly table: 'production_rows'; readonly modelId: string; readonly batchId: string }
  | { readonly table: 'reference_rows'; readonly modelId: string; readonly version: number };

/**
 * Bulk-loads rows into production_rows or reference_rows through a flat temporary staging table,
 * one column per feature: DuckDB's appender fills it from typed rows (flat columns append from
 * JavaScript several times faster than the row tables' feature lists), or DuckDB's CSV reader
 * fills it straight from a spooled upload (stageCsv). One INSERT … SELECT per {@link MOVE_ROWS}
 * appended rows, or per CSV upload, builds the lists; `beforeMove` sees the staged rows first, so
 * ingestion counts them on the database side. All of it runs in the connection's open transaction,
 * so a rollback discards the rows with everything else of the batch.
 */
export class RowLoader {
  private readonly readers: ColumnReader[];
  private readonly types: DuckDBType[];
  private appender: DuckDBAppender | null = null;
  private staged = 0;

  private constructor(
    private readonly connection: Connection,
    private readonly target: RowTarget,
    private readonly features: readonly FeatureDefinition[],
    private readonly staging: string,
    private readonly beforeMove: BeforeMove | undefined,
  ) {
    const outcome: [DuckDBType, ColumnReader][] = [
      [VARCHAR, (row) => row.predictionId],
      [BIGINT, (row) => (row.timestampMs === null ? null : BigInt(row.timestampMs))],
      [VARCHAR, (row) => row.prediction],
      [DOUBLE, (row) => row.probability],
      [VARCHAR, (row) => row.label],
    ];
    const featureColumns = features.map((feature, index): [DuckDBType, ColumnReader] =>
      feature.kind === 'numeric' ? [DOUBLE, (row) => row.num[index]] : [VARCHAR, (row) => row.cat[index]],
    );
    this.types = [...outcome, ...featureColumns].map(([type]) => type);
    this.readers = [...outcome, ...featureColumns].map(([, reader]) => reader);
  }

  static async open(connection: Connection, target: RowTarget, features: readonly FeatureDefinition[], beforeMove?: BeforeMove): Promise<RowLoader> {
    const staging = `staged_rows_${randomBytes(8).toString('hex')}`;
    const featureColumns = features.map((feature, index) => `, f${index} ${feature.kind === 'numeric' ? 'DOUBLE' : 'VARCHAR'}`).join('');
    await connection.run(
      `CREATE TEMP TABLE ${staging} (prediction_id VARCHAR, ts_ms BIGINT, prediction VARCHAR, probability DOUBLE, label VARCHAR${featureColumns})`,
    );
    return new RowLoader(connection, target, features, staging, beforeMove);
  }

  async append(rows: readonly TypedRow[]): Promise<void> {
    this.appender ??= await this.connection.raw.createAppender(this.staging, 'main', 'temp');
    for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
      const end = Math.min(rows.length, start + CHUNK_ROWS);
      const chunk = DuckDBDataChunk.create(this.types, end - start);
      chunk.setColumns(
        this.readers.map((read) => {
          const values: DuckDBValue[] = new Array(end - start);
          for (let index = start; index < end; index += 1) values[index - start] = read(rows[index]);
          return values;
        }),
      );
      this.appender.appendDataChunk(chunk);
    }
    this.staged += rows.length;
    if (this.staged >= MOVE_ROWS) await this.move();
  }

  /**
   * Stages a whole spooled CSV upload with DuckDB's CSV reader when every value allows it (see
   * stageCsv) and returns its row count; null leaves nothing staged.
   */
  async stageCsv(upload: CsvUpload): Promise<number | null> {
    if (this.staged !== 0) throw new Error('stageCsv needs an empty staging table');
    const staged = await stageCsv(this.connection, upload, this.staging);
    if (staged !== null) this.staged = staged;
    return staged;
  }

  /** Moves the staged rows into the row table; call once after the last append. */
  async finish(): Promise<void> {
    await this.move();
    await this.connection.run(`DROP TABLE ${this.staging}`);
  }

  /** Closes the appender without moving anything, when the batch fails; the rollback discards what it held. */
  abandon(): void {
    try {
      this.appender?.closeSync();
    } catch {
      // The batch's own error is the one to report.
    }
    this.appender = null;
  }

  private async move(): Promise<void> {
    this.appender?.closeSync();
    this.appender = null;
    if (this.staged === 0) return;
    await this.beforeMove?.(this.staging);
    const list = (kind: FeatureDefinition['kind'], type: string) =>
      `[${this.features.map((feature, index) => (feature.kind === kind ? `f${index}` : 'NULL')).join(', ')}]::${type}[]`;
    const { target } = this;
    const [leading, key, keyType] =
      target.table === 'production_rows' ? ['$1, $2, prediction_id, ts_ms', target.batchId, VARCHAR] : ['$1, $2', target.version, INTEGER];
    await this.connection.run(
      `INSERT INTO ${target.table}
       SELECT ${leading}, prediction, probability, label, ${list('numeric', 'DOUBLE')}, ${list('categorical', 'VARCHAR')} FROM ${this.staging}`,
      [target.modelId, key],
      [VARCHAR, keyType],
    );
    await this.connection.run(`TRUNCATE ${this.staging}`);
    this.staged = 0;
  }
}

/** The rows of a staging table, read back in pages of named columns (`select` is store-built SQL). */
export async function* readStaged<T extends Record<string, unknown[]>>(connection: Connection, staging: string, select: string): AsyncGenerator<T> {
  // Rows a transaction appends get row ids from a large base, not from 0.
  const extent = await connection.first<{ first: bigint | null; last: bigint | null }>(`SELECT min(rowid) AS first, max(rowid) AS last FROM ${staging}`);
  if (extent?.first == null || extent.last == null) return;
  for (let start = extent.first; start <= extent.last; start += BigInt(READ_BACK_ROWS)) {
    yield await connection.columns<T>(`SELECT ${select} FROM ${staging} WHERE rowid >= $1 AND rowid < $2 ORDER BY rowid`, [start, start + BigInt(READ_BACK_ROWS)]);
  }
}
