import {
  BIGINT,
  DOUBLE,
  DuckDBAppender,
  DuckDBDataChunk,
  DuckDBType,
  DuckDBValue,
  INTEGER,
  LIST,
  VARCHAR,
  listValue,
} from '@duckdb/node-api';
import type { Connection } from './database';
import type { TypedRow } from './rows';

/** DuckDB's vector size: the most rows one data chunk holds. */
const CHUNK_ROWS = 2048;

const PRODUCTION_TYPES = [VARCHAR, VARCHAR, VARCHAR, BIGINT, VARCHAR, DOUBLE, VARCHAR, LIST(DOUBLE), LIST(VARCHAR)];
const REFERENCE_TYPES = [VARCHAR, INTEGER, VARCHAR, DOUBLE, VARCHAR, LIST(DOUBLE), LIST(VARCHAR)];

type ColumnReader = (row: TypedRow) => DuckDBValue;

/** The columns both row tables end with: the outcome columns, then the numeric and categorical feature lists. */
const OUTCOME_AND_FEATURE_COLUMNS: readonly ColumnReader[] = [
  (row) => row.prediction,
  (row) => row.probability,
  (row) => row.label,
  (row) => listValue(row.num),
  (row) => listValue(row.cat),
];

/**
 * Bulk-appends typed rows to production_rows or reference_rows through DuckDB's appender, one
 * data chunk at a time. The appender writes inside the connection's open transaction, so a
 * rollback discards the rows with everything else of the batch.
 */
class RowAppender {
  protected constructor(
    private readonly appender: DuckDBAppender,
    private readonly types: readonly DuckDBType[],
  ) {}

  protected appendColumns(rowCount: number, columnFor: (column: number, start: number, end: number) => DuckDBValue[]): void {
    for (let start = 0; start < rowCount; start += CHUNK_ROWS) {
      const end = Math.min(rowCount, start + CHUNK_ROWS);
      const chunk = DuckDBDataChunk.create(this.types, end - start);
      chunk.setColumns(this.types.map((_, column) => columnFor(column, start, end)));
      this.appender.appendDataChunk(chunk);
    }
    this.appender.flushSync();
  }

  close(): void {
    this.appender.closeSync();
  }

  /** Column-major values of rows[start, end) for a fixed list of row readers. */
  protected static slice<R>(rows: readonly R[], start: number, end: number, read: (row: R) => DuckDBValue): DuckDBValue[] {
    const values: DuckDBValue[] = new Array(end - start);
    for (let index = start; index < end; index += 1) values[index - start] = read(rows[index]);
    return values;
  }
}

export class ProductionRowAppender extends RowAppender {
  static async openFor(connection: Connection): Promise<ProductionRowAppender> {
    return new ProductionRowAppender(await connection.raw.createAppender('production_rows'), PRODUCTION_TYPES);
  }

  append(modelId: string, batchId: string, rows: readonly TypedRow[]): void {
    const readers: ColumnReader[] = [
      () => modelId,
      () => batchId,
      (row) => row.predictionId,
      (row) => BigInt(row.timestampMs as number),
      ...OUTCOME_AND_FEATURE_COLUMNS,
    ];
    this.appendColumns(rows.length, (column, start, end) => RowAppender.slice(rows, start, end, readers[column]));
  }
}

export class ReferenceRowAppender extends RowAppender {
  static async openFor(connection: Connection): Promise<ReferenceRowAppender> {
    return new ReferenceRowAppender(await connection.raw.createAppender('reference_rows'), REFERENCE_TYPES);
  }

  append(modelId: string, version: number, rows: readonly TypedRow[]): void {
    const readers: ColumnReader[] = [() => modelId, () => version, ...OUTCOME_AND_FEATURE_COLUMNS];
    this.appendColumns(rows.length, (column, start, end) => RowAppender.slice(rows, start, end, readers[column]));
  }
}
