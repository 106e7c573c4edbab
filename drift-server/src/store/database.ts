import {
  DuckDBConnection,
  DuckDBInstance,
  DuckDBType,
  DuckDBTypeId,
  DuckDBValue,
  JSDuckDBValueConverter,
} from '@duckdb/node-api';
import bindings from '@duckdb/node-bindings';
import { QueryTimeoutError } from './errors';
import { quoteIdentifier } from './sql';
import { TimeSlicer } from './time-slices';

/** Values of a statement's named parameters (`$model` binds `{ model: … }`; a name used twice binds once). */
export type Params = DuckDBValue[] | Record<string, DuckDBValue>;
/** Types of named parameters DuckDB cannot infer from the value (lists, a NULL). */
export type ParamTypes = DuckDBType[] | Record<string, DuckDBType>;
export type Row = Record<string, unknown>;

export interface DatabaseOptions {
  readonly poolSize: number;
  readonly memoryLimit: string;
  /** DuckDB's `threads`; DuckDB's own default (every core) when absent. */
  readonly threads?: number;
  /** Read queries (rows, columns) running longer are interrupted; transactions are not. */
  readonly queryTimeoutMs?: number;
}

/** DuckDB's words for a block whose checksum does not match: the file is damaged. */
const DAMAGED_FILE = /corrupt database file|checksum/i;

/** Typed-array views of the number types typedColumns reads, by DuckDB type. */
const NUMBER_VIEWS: Partial<
  Record<
    DuckDBTypeId,
    Float64ArrayConstructor | Int32ArrayConstructor | Int16ArrayConstructor | Float32ArrayConstructor
  >
> = {
  [DuckDBTypeId.DOUBLE]: Float64Array,
  [DuckDBTypeId.FLOAT]: Float32Array,
  [DuckDBTypeId.INTEGER]: Int32Array,
  [DuckDBTypeId.SMALLINT]: Int16Array,
};

/**
 * A vector's first `rowCount` items as a typed array over DuckDB's own memory (duckdb_vector_get_data,
 * through the C API bindings @duckdb/node-api is built on), valid until the chunk is released:
 * copied out at once with Float64Array.set, which converts between number types natively.
 */
function typedArrayOf(vector: bindings.Vector, typeId: DuckDBTypeId, rowCount: number, name: string) {
  const View = NUMBER_VIEWS[typeId];
  if (View === undefined) throw new Error(`typedColumns: column ${name} is of type ${DuckDBTypeId[typeId]}`);
  const bytes = bindings.vector_get_data(vector, rowCount * View.BYTES_PER_ELEMENT);
  return new View(bytes.buffer as ArrayBuffer, bytes.byteOffset, rowCount);
}

/**
 * True when the vector's validity mask (absent when every item is valid) marks one of its first
 * `rowCount` items NULL; read a byte (eight items) at a time.
 */
function holdsNull(vector: bindings.Vector, rowCount: number): boolean {
  const mask = bindings.vector_get_validity(vector, Math.ceil(rowCount / 64) * 8);
  if (!mask) return false;
  const wholeBytes = rowCount >> 3;
  for (let byte = 0; byte < wholeBytes; byte += 1) if (mask[byte] !== 0xff) return true;
  const rest = rowCount & 7;
  return rest > 0 && (mask[wholeBytes] & ((1 << rest) - 1)) !== (1 << rest) - 1;
}

/** A connection handed out by the pool, with row-reading helpers that always bind values. */
export class Connection {
  constructor(
    readonly raw: DuckDBConnection,
    private readonly onDamage: (message: string) => void = () => undefined
  ) {}

  async run(sql: string, params?: Params, types?: ParamTypes): Promise<void> {
    await this.watched(this.raw.run(sql, params, types));
  }

  /** Runs a statement and returns how many rows it changed. */
  async execute(sql: string, params?: Params): Promise<number> {
    return (await this.watched(this.raw.run(sql, params))).rowsChanged;
  }

  async rows<T extends Row = Row>(sql: string, params?: Params, types?: ParamTypes): Promise<T[]> {
    const reader = await this.watched(this.raw.runAndReadAll(sql, params, types));
    return reader.getRowObjectsJS() as T[];
  }

  /**
   * Result columns by name; cheaper than row objects for results of many rows. The values are
   * converted as getColumnsObjectJS converts them, one data chunk per time slice: converting the
   * tens of thousands of category counts of a 90-day hourly trend at once held the event loop
   * for over 100 ms.
   */
  async columns<T extends Record<string, unknown[]>>(sql: string, params?: Params, types?: ParamTypes): Promise<T> {
    const result = await this.watched(this.raw.run(sql, params, types));
    const names = result.deduplicatedColumnNames();
    const columns = names.map((): unknown[] => []);
    const slicer = new TimeSlicer();
    for (let index = 0; index < result.chunkCount; index += 1) {
      await slicer.pause();
      const chunk = result.getChunk(index);
      columns.forEach((column, columnIndex) =>
        chunk.visitColumnValues(columnIndex, (value, _row, _column, type) =>
          column.push(JSDuckDBValueConverter(value, type, JSDuckDBValueConverter))
        )
      );
    }
    return Object.fromEntries(names.map((name, index) => [name, columns[index]])) as T;
  }

  /** Reports a statement that found the file damaged, so the health check stops saying ok. */
  private async watched<T>(statement: Promise<T>): Promise<T> {
    try {
      return await statement;
    } catch (error) {
      const message = (error as Error).message;
      if (DAMAGED_FILE.test(message)) this.onDamage(message.split('\n')[0]);
      throw error;
    }
  }

  /**
   * Result columns read straight from DuckDB's vectors: number types (INTEGER, DOUBLE, …) into
   * Float64Arrays a whole vector at a time (`typedArrayOf`), VARCHAR into string arrays item by
   * item, skipping the general value conversion, which on the tens of thousands of counts of a
   * 90-day hourly trend held the event loop for most of the read. The query must yield no NULLs.
   */
  async typedColumns<T extends Record<string, Float64Array | string[]>>(
    sql: string,
    params?: Params,
    types?: ParamTypes
  ): Promise<T> {
    const result = await this.watched(this.raw.run(sql, params, types));
    const names = result.columnNames();
    const typeIds = names.map((_, index) => result.columnTypeId(index));
    const columns = typeIds.map((typeId) =>
      typeId === DuckDBTypeId.VARCHAR ? new Array<string>(result.rowCount) : new Float64Array(result.rowCount)
    );
    let offset = 0;
    const slicer = new TimeSlicer();
    for (let index = 0; index < result.chunkCount; index += 1) {
      await slicer.pause();
      const chunk = result.getChunk(index);
      // rowCount calls into the native binding on every read.
      const rowCount = chunk.rowCount;
      columns.forEach((column, columnIndex) => {
        const vector = bindings.data_chunk_get_vector(chunk.chunk, columnIndex);
        if (holdsNull(vector, rowCount)) throw new Error(`typedColumns: column ${names[columnIndex]} holds NULL`);
        if (Array.isArray(column)) {
          const text = chunk.getColumnVector(columnIndex);
          for (let item = 0; item < rowCount; item += 1) column[offset + item] = text.getItem(item) as string;
        } else column.set(typedArrayOf(vector, typeIds[columnIndex], rowCount, names[columnIndex]), offset);
      });
      offset += rowCount;
    }
    return Object.fromEntries(names.map((name, index) => [name, columns[index]])) as T;
  }

  async first<T extends Row = Row>(sql: string, params?: Params, types?: ParamTypes): Promise<T | undefined> {
    return (await this.rows<T>(sql, params, types))[0];
  }
}

/** Runs `work` between BEGIN and `end`; a failure rolls everything back. */
async function inTransaction<T>(
  connection: Connection,
  work: (connection: Connection) => Promise<T>,
  end: 'COMMIT' | 'ROLLBACK'
): Promise<T> {
  await connection.run('BEGIN TRANSACTION');
  try {
    const result = await work(connection);
    await connection.run(end);
    return result;
  } catch (error) {
    // A failed COMMIT has already ended the transaction; the ROLLBACK then only reports that.
    await connection.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * The process's single DuckDB instance and a small pool of connections. A transaction owns its
 * connection until it ends, so concurrent requests never interleave statements on one connection.
 */
export class Database {
  private readonly idle: Connection[] = [];
  private readonly waiting: Array<(connection: Connection) => void> = [];
  private readonly all: Connection[] = [];
  /** Outside the pool: the health probe never waits for a connection the expensive reads hold. */
  private probeConnection!: Connection;
  private closed = false;
  /** The first damage a statement found in the file; the health check reports it from then on. */
  private damage: string | undefined;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly queryTimeoutMs: number
  ) {}

  static async open(path: string, options: DatabaseOptions): Promise<Database> {
    const instance = await DuckDBInstance.create(path, {
      memory_limit: options.memoryLimit,
      ...(options.threads === undefined ? {} : { threads: String(options.threads) }),
    });
    const database = new Database(instance, options.queryTimeoutMs ?? 0);
    const connect = async () => new Connection(await instance.connect(), (message) => (database.damage ??= message));
    for (let index = 0; index < options.poolSize; index += 1) database.all.push(await connect());
    database.idle.push(...database.all);
    database.probeConnection = await connect();
    return database;
  }

  /** A trivial query on the probe's own connection; throws once the database is closed. */
  async ping(): Promise<void> {
    if (this.closed) throw new Error('database is closed');
    await this.probeConnection.rows('SELECT 1');
  }

  /** The damage a statement found in the database file, if any. */
  get damaged(): string | undefined {
    return this.damage;
  }

  /**
   * Reads every block of every table, so DuckDB checks each one's checksum: a damaged file is
   * found when the server starts, not by the first query that happens to touch the bad block.
   */
  async verify(): Promise<void> {
    const tables = await this.rows<{ name: string }>(
      "SELECT table_name AS name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND NOT temporary ORDER BY table_name"
    );
    for (const { name } of tables) {
      await this.withConnection((connection) =>
        connection.run(`SELECT count(*) FROM ${quoteIdentifier(name)} t WHERE hash(t) IS NULL`)
      );
    }
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
    return this.withConnection((connection) => inTransaction(connection, work, 'COMMIT'));
  }

  /** Reads that must see one state of the database: one transaction, interrupted like every read. */
  snapshot<T>(work: (connection: Connection) => Promise<T>): Promise<T> {
    return this.read((connection) => inTransaction(connection, work, 'ROLLBACK'));
  }

  rows<T extends Row = Row>(sql: string, params?: Params): Promise<T[]> {
    return this.read((connection) => connection.rows<T>(sql, params));
  }

  columns<T extends Record<string, unknown[]>>(sql: string, params?: Params, types?: ParamTypes): Promise<T> {
    return this.read((connection) => connection.columns<T>(sql, params, types));
  }

  typedColumns<T extends Record<string, Float64Array | string[]>>(
    sql: string,
    params?: Params,
    types?: ParamTypes
  ): Promise<T> {
    return this.read((connection) => connection.typedColumns<T>(sql, params, types));
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
        if (interrupted)
          throw new QueryTimeoutError(
            `the query ran longer than ${this.queryTimeoutMs} ms and was stopped; narrow the window`
          );
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
    for (const connection of [...connections, this.probeConnection]) connection.raw.closeSync();
    this.instance.closeSync();
  }
}
