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

/**
 * The named parameters of a statement built piece by piece, each with its type. A value is bound
 * only once a piece uses its name: DuckDB refuses a value the statement has no placeholder for.
 */
export class NamedParameters {
  readonly values: Record<string, DuckDBValue> = {};
  readonly types: Record<string, DuckDBType> = {};

  constructor(private readonly constants: Record<string, readonly [DuckDBValue, DuckDBType]> = {}) {}

  /** Binds `value` as `$name` and returns the placeholder. */
  bind(name: string, value: DuckDBValue, type: DuckDBType): string {
    this.values[name] = value;
    this.types[name] = type;
    return `$${name}`;
  }

  /** The placeholder of one of the constants given at construction, bound on first use. */
  ref(name: string): string {
    if (!(name in this.values)) this.bind(name, ...this.constants[name]);
    return `$${name}`;
  }
}
