import { DuckDBConnection, DuckDBInstance, DuckDBType, DuckDBValue } from '@duckdb/node-api';
import { QueryTimeoutError } from './errors';
import { migrate } from './migrations';

export type Params = DuckDBValue[];
export type Row = Record<string, unknown>;

export interface DatabaseOptions {
  readonly poolSize: number;
  readonly memoryLimit: string;
  /** Read queries (rows, columns) running longer are interrupted; transactions are not. */
  readonly queryTimeoutMs?: number;
}

/** A connection handed out by the pool, with row-reading helpers that always bind values. */
export class Connection {
  constructor(readonly raw: DuckDBConnection) {}

  async run(sql: string, params: Params = [], types?: DuckDBType[]): Promise<void> {
    await this.raw.run(sql, params, types);
  }

  /** Runs a statement and returns how many rows it changed. */
  async execute(sql: string, params: Params = []): Promise<number> {
    return (await this.raw.run(sql, params)).rowsChanged;
  }

  async rows<T extends Row = Row>(sql: string, params: Params = [], types?: DuckDBType[]): Promise<T[]> {
    const reader = await this.raw.runAndReadAll(sql, params, types);
    return reader.getRowObjectsJS() as T[];
  }

  /** Result columns by name; cheaper than row objects for results of many rows. */
  async columns<T extends Record<string, unknown[]>>(sql: string, params: Params = [], types?: DuckDBType[]): Promise<T> {
    const reader = await this.raw.runAndReadAll(sql, params, types);
    return reader.getColumnsObjectJS() as unknown as T;
  }

  /**
   * Result columns of number types (INTEGER, SMALLINT, DOUBLE, …) read item by item from DuckDB's
   * vectors into Float64Arrays, skipping the general value conversion, which costs several times
   * more on results of tens of thousands of rows. The query must yield no NULLs.
   */
  async numericColumns<K extends string>(sql: string, params: Params = [], types?: DuckDBType[]): Promise<Record<K, Float64Array>> {
    const result = await this.raw.run(sql, params, types);
    const columns = Array.from({ length: result.columnCount }, () => new Float64Array(result.rowCount));
    let offset = 0;
    for (let index = 0; index < result.chunkCount; index += 1) {
      const chunk = result.getChunk(index);
      // rowCount calls into the native binding on every read.
      const rowCount = chunk.rowCount;
      columns.forEach((column, columnIndex) => {
        const vector = chunk.getColumnVector(columnIndex);
        for (let item = 0; item < rowCount; item += 1) {
          const value = vector.getItem(item);
          if (typeof value !== 'number') throw new Error(`numericColumns: column ${result.columnName(columnIndex)} holds ${value === null ? 'NULL' : typeof value}`);
          column[offset + item] = value;
        }
      });
      offset += rowCount;
    }
    return Object.fromEntries(result.columnNames().map((name, index) => [name, columns[index]])) as Record<K, Float64Array>;
  }

  async first<T extends Row = Row>(sql: string, params: Params = [], types?: DuckDBType[]): Promise<T | undefined> {
    return (await this.rows<T>(sql, params, types))[0];
  }
}

/**
 * The process's single DuckDB instance and a small pool of connections. A transaction owns its
 * connection until it ends, so concurrent requests never interleave statements on one connection.
 */
export class Database {
  private readonly idle: Connection[] = [];
  private readonly waiting: Array<(connection: Connection) => void> = [];
  private closed = false;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly all: Connection[],
    private readonly queryTimeoutMs: number,
  ) {
    this.idle.push(...all);
  }

  static async open(path: string, options: DatabaseOptions): Promise<Database> {
    const instance = await DuckDBInstance.create(path, { memory_limit: options.memoryLimit });
    const connections: Connection[] = [];
    for (let index = 0; index < options.poolSize; index += 1) connections.push(new Connection(await instance.connect()));
    const database = new Database(instance, connections, options.queryTimeoutMs ?? 0);
    await database.transaction((connection) => migrate(connection));
    return database;
  }

  private acquire(): Promise<Connection> {
    if (this.closed) return Promise.reject(new Error('database is closed'));
    const connection = this.idle.pop();
    if (connection) return Promise.resolve(connection);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(connection: Connection): void {
    const next = this.waiting.shift();
    if (next) next(connection);
    else this.idle.push(connection);
  }

  async withConnection<T>(work: (connection: Connection) => Promise<T>): Promise<T> {
    const connection = await this.acquire();
    try {
      return await work(connection);
    } finally {
      this.release(connection);
    }
  }

  /** Runs `work` in one transaction: everything it wrote is committed, or nothing is. */
  transaction<T>(work: (connection: Connection) => Promise<T>): Promise<T> {
    return this.withConnection(async (connection) => {
      await connection.run('BEGIN TRANSACTION');
      try {
        const result = await work(connection);
        await connection.run('COMMIT');
        return result;
      } catch (error) {
        // A failed COMMIT has already ended the transaction; the ROLLBACK then only reports that.
        await connection.run('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  rows<T extends Row = Row>(sql: string, params: Params = []): Promise<T[]> {
    return this.read((connection) => connection.rows<T>(sql, params));
  }

  columns<T extends Record<string, unknown[]>>(sql: string, params: Params = [], types?: DuckDBType[]): Promise<T> {
    return this.read((connection) => connection.columns<T>(sql, params, types));
  }

  numericColumns<K extends string>(sql: string, params: Params = [], types?: DuckDBType[]): Promise<Record<K, Float64Array>> {
    return this.read((connection) => connection.numericColumns<K>(sql, params, types));
  }

  /** One read on a pooled connection, interrupted when it outlasts the query timeout. */
  private read<T>(work: (connection: Connection) => Promise<T>): Promise<T> {
    return this.withConnection(async (connection) => {
      if (this.queryTimeoutMs <= 0) return work(connection);
      let interrupted = false;
      const timer = setTimeout(() => {
        interrupted = true;
        connection.raw.interrupt();
      }, this.queryTimeoutMs);
      try {
        return await work(connection);
      } catch (error) {
        if (interrupted) throw new QueryTimeoutError(`the query ran longer than ${this.queryTimeoutMs} ms and was stopped; narrow the window`);
        throw error;
      } finally {
        clearTimeout(timer);
      }
    });
  }

  /** Writes the WAL into the database file and closes every connection and the instance. */
  async close(): Promise<void> {
    if (this.closed) return;
    const connections = await Promise.all(this.all.map(() => this.acquire()));
    this.closed = true;
    await connections[0].run('CHECKPOINT');
    for (const connection of connections) connection.raw.closeSync();
    this.instance.closeSync();
  }
}
