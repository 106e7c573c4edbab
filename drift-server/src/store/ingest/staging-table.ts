import { randomBytes } from 'node:crypto';
import {
  BIGINT,
  DOUBLE,
  DuckDBAppender,
  DuckDBDataChunk,
  DuckDBType,
  DuckDBValue,
  INTEGER,
  VARCHAR,
} from '@duckdb/node-api';
import { ColumnReader, CsvUpload, stageCsv, StagingColumn } from './fast-path-csv';
import type { Connection } from '../database';
import type { FeatureDefinition } from '../models';
import { featureColumnList, featureColumnName, productionRows, referenceRows } from '../row-tables';
import type { TypedRow } from './validate';
import { quoteIdentifier } from '../sql';

/** DuckDB's vector size: the most rows one data chunk holds. */
const CHUNK_ROWS = 2048;

/** Rows staged before they move to the row table, bounding the staging table's memory. */
const MOVE_ROWS = 65_536;

/** Staged rows read back to JavaScript per page. */
const READ_BACK_ROWS = 65_536;

/** The staging table's columns: the outcome columns, then feature i as the row tables' column for it. */
function stagingColumns(features: readonly FeatureDefinition[]): StagingColumn[] {
  const text = (name: string, read: ColumnReader): StagingColumn => ({ name, type: VARCHAR, read });
  const number = (name: string, read: ColumnReader): StagingColumn => ({ name, type: DOUBLE, read });
  return [
    text('prediction_id', (row) => row.predictionId),
    { name: 'ts_ms', type: BIGINT, read: (row) => (row.timestampMs === null ? null : BigInt(row.timestampMs)) },
    text('prediction', (row) => row.prediction),
    number('probability', (row) => row.probability),
    text('label', (row) => row.label),
    ...features.map((feature, index) =>
      feature.kind === 'numeric'
        ? number(featureColumnName(index), (row) => row.num[index])
        : text(featureColumnName(index), (row) => row.cat[index])
    ),
  ];
}

/** Where loaded rows go: the model's production rows (as one batch) or its reference rows (as one version). */
export type RowTarget =
  | { readonly kind: 'production'; readonly modelId: string; readonly batchId: string }
  | { readonly kind: 'reference'; readonly modelId: string; readonly version: number };

/**
 * Bulk-loads rows into a model's production or reference rows through a temporary staging table
 * with the row tables' feature columns: DuckDB's appender fills it from typed rows, or DuckDB's CSV
 * reader builds it straight from a spooled upload (stageCsv). The caller moves the staged rows with
 * moveStaged once the table is {@link RowLoader.full} ({@link MOVE_ROWS} rows) and after the last
 * append or a CSV upload, after reading them from {@link RowLoader.sealed} where it counts them on
 * the database side. All of it runs in the connection's open transaction, so a rollback discards
 * the rows with everything else of the batch.
 */
export class RowLoader {
  private readonly columns: StagingColumn[];
  private readonly types: DuckDBType[];
  private appender: DuckDBAppender | null = null;
  private staged = 0;

  private constructor(
    private readonly connection: Connection,
    private readonly target: RowTarget,
    private readonly features: readonly FeatureDefinition[],
    private readonly stagingName: string
  ) {
    this.columns = stagingColumns(features);
    this.types = this.columns.map((column) => column.type);
  }

  /** The staging table, quoted for SQL. */
  private get staging(): string {
    return quoteIdentifier(this.stagingName);
  }

  static async open(
    connection: Connection,
    target: RowTarget,
    features: readonly FeatureDefinition[]
  ): Promise<RowLoader> {
    const loader = new RowLoader(connection, target, features, `staged_rows_${randomBytes(8).toString('hex')}`);
    await connection.run(
      `CREATE TEMP TABLE ${loader.staging} (${loader.columns.map((column) => `${quoteIdentifier(column.name)} ${column.type}`).join(', ')})`
    );
    return loader;
  }

  async append(rows: readonly TypedRow[]): Promise<void> {
    this.appender ??= await this.connection.raw.createAppender(this.stagingName, 'main', 'temp');
    for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
      const end = Math.min(rows.length, start + CHUNK_ROWS);
      const chunk = DuckDBDataChunk.create(this.types, end - start);
      chunk.setColumns(
        this.columns.map(({ read }) => {
          const values: DuckDBValue[] = new Array(end - start);
          for (let index = start; index < end; index += 1) values[index - start] = read(rows[index]);
          return values;
        })
      );
      this.appender.appendDataChunk(chunk);
    }
    this.staged += rows.length;
  }

  /** True when the staged rows should move before more are appended, bounding the staging table's memory. */
  get full(): boolean {
    return this.staged >= MOVE_ROWS;
  }

  /** True when rows are staged that have not moved yet. */
  get holdsRows(): boolean {
    return this.staged > 0;
  }

  /** The staging table, quoted for SQL, with every appended row in it (the appender flushed): what counting reads. */
  sealed(): string {
    this.appender?.closeSync();
    this.appender = null;
    return this.staging;
  }

  /**
   * Stages a whole spooled CSV upload with DuckDB's CSV reader when every value allows it (see
   * stageCsv) and returns its row count; null leaves nothing staged.
   */
  async stageCsv(upload: CsvUpload): Promise<number | null> {
    if (this.staged !== 0) throw new Error('stageCsv needs an empty staging table');
    const staged = await stageCsv(this.connection, upload, this.columns);
    if (staged === null) return null;
    // The checked table already has the staging table's columns, so it takes its place instead of being copied.
    await this.connection.run(`DROP TABLE ${this.staging}`);
    await this.connection.run(`ALTER TABLE ${staged.table} RENAME TO ${this.staging}`);
    this.staged = staged.rows;
    return staged.rows;
  }

  /** Drops the staging table once every staged row has moved. */
  async finish(): Promise<void> {
    if (this.staged !== 0) throw new Error('finish needs every staged row moved');
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

  /** Moves the staged rows into the model's row table and empties the staging table. */
  async moveStaged(): Promise<void> {
    this.sealed();
    if (this.staged === 0) return;
    const { target } = this;
    const features = featureColumnList(this.features);
    await this.connection.run(
      target.kind === 'production'
        ? `INSERT INTO ${productionRows(target.modelId)} (batch_id, prediction_id, ts_ms, prediction, probability, label${features})
           SELECT $batch, prediction_id, ts_ms, prediction, probability, label${features} FROM ${this.staging}`
        : `INSERT INTO ${referenceRows(target.modelId)} (version, prediction, probability, label${features})
           SELECT $version, prediction, probability, label${features} FROM ${this.staging}`,
      target.kind === 'production' ? { batch: target.batchId } : { version: target.version },
      target.kind === 'production' ? { batch: VARCHAR } : { version: INTEGER }
    );
    await this.connection.run(`TRUNCATE ${this.staging}`);
    this.staged = 0;
  }
}

/** The rows of a staging table, read back in pages of named columns (`select` is store-built SQL). */
export async function* readStaged<T extends Record<string, unknown[]>>(
  connection: Connection,
  staging: string,
  select: string
): AsyncGenerator<T> {
  // Rows a transaction appends get row ids from a large base, not from 0.
  const extent = await connection.first<{ first: bigint | null; last: bigint | null }>(
    `SELECT min(rowid) AS first, max(rowid) AS last FROM ${staging}`
  );
  if (extent?.first == null || extent.last == null) return;
  for (let start = extent.first; start <= extent.last; start += BigInt(READ_BACK_ROWS)) {
    yield await connection.columns<T>(
      `SELECT ${select} FROM ${staging} WHERE rowid >= $from AND rowid < $to ORDER BY rowid`,
      { from: start, to: start + BigInt(READ_BACK_ROWS) }
    );
  }
}
