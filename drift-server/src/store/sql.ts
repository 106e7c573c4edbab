import type { DuckDBType, DuckDBValue } from '@duckdb/node-api';

/**
 * The one way an identifier enters SQL. Values never do: they are bound parameters.
 * Identifiers are double-quoted with embedded quotes doubled, so any text names exactly one column.
 */
export function quoteIdentifier(name: string): string {
  if (name.length === 0 || name.includes('\u0000')) {
    throw new Error(`cannot quote identifier ${JSON.stringify(name)}: it is empty or holds a NUL character`);
  }
  return `"${name.replaceAll('"', '""')}"`;
}

/** A stored epoch-millisecond time (BIGINT) as the API's ISO 8601 text. */
export function isoOfMs(ms: bigint | number): string {
  return new Date(Number(ms)).toISOString();
}

/** Parameters of a statement, each with its type, numbered in the order they are added. */
export class BoundParameters {
  readonly values: DuckDBValue[] = [];
  readonly types: DuckDBType[] = [];

  /** Binds `value` and returns its placeholder. */
  add(value: DuckDBValue, type: DuckDBType): string {
    this.types.push(type);
    return `$${this.values.push(value)}`;
  }
}
