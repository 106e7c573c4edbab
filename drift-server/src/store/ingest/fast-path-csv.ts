import { randomBytes } from 'node:crypto';
import { BIGINT, DuckDBType, DuckDBValue, INTEGER, LIST, listValue, VARCHAR } from '@duckdb/node-api';
import type { Connection } from '../database';
import { EARLIEST_TIMESTAMP_MS, LATEST_TIMESTAMP_MS, RowReader, TypedRow } from './validate';
import { NamedParameters, quoteIdentifier } from '../sql';
import { MISSING_TEXT, NUMERIC_TEXT } from '../../value-types';

export type ColumnReader = (row: TypedRow) => DuckDBValue;

/** A column of the staging table: its name and type (which writes itself as SQL), and how the appender fills it from a typed row. */
export interface StagingColumn {
  readonly name: string;
  readonly type: DuckDBType;
  readonly read: ColumnReader;
}

/**
 * Timestamps the fast path converts itself: 13-digit epoch milliseconds, and ISO 8601 with seconds,
 * at most three fraction digits and either a `T` and an optional `Z` or a space and no zone. Every
 * other form the row reader accepts goes through the row reader.
 */
const EPOCH_MS_TEXT = '^[0-9]{13}$';
const ISO_TEXT =
  '^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,3})?Z?| [0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,3})?)$';

/** A CSV upload spooled to `file`, whose header the row reader has already checked. */
export interface CsvUpload {
  readonly file: string;
  readonly header: readonly string[];
  readonly reader: RowReader;
  /** The per-batch row limit; a longer upload goes to the row reader, which names the limit. */
  readonly maxRows: number;
  /** The longest record, which the CsvScan has already enforced; DuckDB's reader is told it so it never drops a line it thinks too long. */
  readonly maxRowBytes: number;
}

interface Checked {
  /** The typed value, NULL when missing. */
  readonly value: string;
  /** True when the row reader would take the text and give exactly `value`. */
  readonly ok: string;
}

/**
 * Computes `sql`, an expression over the CSV text, once in the inner query and returns the name
 * the outer query reads it by: the checks and the typed value both use a cast or a pattern match,
 * and computing each once took a third off reading a batch.
 */
type Part = (sql: string) => string;

type Check = (v: string, p: NamedParameters, part: Part) => Checked;

/** SQL for one staging column from CSV text column `v` (positional, never a user-given name). */
const CHECKS: Record<'number' | 'probability' | 'text' | 'timestamp', Check> = {
  number(v, p, part) {
    const missing = part(`${v} IS NULL OR list_contains(${p.ref('missing')}, ${v})`);
    const number = part(`TRY_CAST(trim(${v}) AS DOUBLE)`);
    const numericForm = part(`regexp_full_match(trim(${v}), ${p.ref('numeric')})`);
    return {
      value: `CASE WHEN ${missing} THEN NULL ELSE ${number} END`,
      ok: `(${missing} OR (${numericForm} AND isfinite(${number})))`,
    };
  },
  probability(v, p, part) {
    const number = CHECKS.number(v, p, part);
    return { value: number.value, ok: `(${number.ok} AND coalesce(${number.value} BETWEEN 0 AND 1, true))` };
  },
  // Byte length bounds the row reader's UTF-16 length from above, so a pass here passes there; NUL is refused there too.
  text: (v, p, part) => ({
    value: part(`nullif(${v}, '')`),
    ok: part(`${v} IS NULL OR (strlen(${v}) <= ${p.ref('maxText')} AND NOT contains(${v}, chr(0)))`),
  }),
  timestamp(v, p, part) {
    const parsed = part(`TRY_CAST(replace(rtrim(${v}, 'Z'), ' ', 'T') AS TIMESTAMP)`);
    const epoch = part(`regexp_full_match(${v}, ${p.ref('epochMs')})`);
    const inRange = (ms: string) => `(${ms} >= ${p.ref('earliest')} AND ${ms} < ${p.ref('latest')})`;
    const iso = `(${part(`regexp_full_match(${v}, ${p.ref('iso')})`)} AND strftime(${parsed}, '%Y-%m-%dT%H:%M:%S') = ${part(`left(replace(${v}, ' ', 'T'), 19)`)} AND ${inRange(`epoch_ms(${parsed})`)})`;
    const epochMs = part(`TRY_CAST(${v} AS BIGINT)`);
    return {
      value: `CASE WHEN ${epoch} THEN ${epochMs} WHEN ${iso} THEN epoch_ms(${parsed}) END`,
      ok: `(${part(`${v} IS NULL`)} OR (${epoch} AND ${inRange(epochMs)}) OR ${iso})`,
    };
  },
};

const ABSENT: Checked = { value: 'NULL', ok: 'true' };

/**
 * Checks and types a CSV upload, spooled to `file`, with DuckDB's own CSV reader — several times
 * faster than parsing and checking it in JavaScript — into a new temporary table with exactly the
 * staging table's `columns`, but only when every value is one the row reader takes and converts
 * the same way: numbers of the row reader's numeric form, the common timestamp forms, text within
 * the length limit, no malformed or ragged line. Returns that table and its row count, or null,
 * with nothing left behind, for anything else; the caller then reads the same bytes with the row
 * reader, which accepts what it accepts and names the first bad value.
 */
export async function stageCsv(
  connection: Connection,
  upload: CsvUpload,
  columns: readonly StagingColumn[]
): Promise<{ table: string; rows: number } | null> {
  const { file, header, reader, maxRows, maxRowBytes } = upload;
  const { model } = reader;
  if (header.some((name) => /["\r\n]/.test(name))) return null;
  const position = new Map(header.map((name, index) => [name, `c${index}`]));
  const parameters = new NamedParameters({
    file: [file, VARCHAR],
    missing: [listValue([...MISSING_TEXT]), LIST(VARCHAR)],
    numeric: [NUMERIC_TEXT.source, VARCHAR],
    maxText: [reader.maxStringLength, INTEGER],
    epochMs: [EPOCH_MS_TEXT, VARCHAR],
    iso: [ISO_TEXT, VARCHAR],
    earliest: [BigInt(EARLIEST_TIMESTAMP_MS), BIGINT],
    latest: [BigInt(LATEST_TIMESTAMP_MS), BIGINT],
    maxLine: [BigInt(maxRowBytes + 2), BIGINT],
  });
  const fileParameter = parameters.ref('file');
  const parts: string[] = [];
  const part: Part = (sql) => `x${parts.push(`${sql} AS x${parts.length}`) - 1}`;
  const checked = (column: string | null, check: Check): Checked => {
    const v = column === null ? undefined : position.get(column);
    return v === undefined ? ABSENT : check(v, parameters, part);
  };
  const outcome = model.columns;
  // In the order of the staging table's columns.
  const staged = [
    checked(outcome.prediction_id, CHECKS.text),
    checked(outcome.timestamp, CHECKS.timestamp),
    checked(outcome.prediction, CHECKS.text),
    checked(outcome.probability, CHECKS.probability),
    checked(outcome.label, CHECKS.text),
    ...model.features.map((feature) => checked(feature.name, feature.kind === 'numeric' ? CHECKS.number : CHECKS.text)),
  ];
  const required = reader.requiredColumns.map((name) => part(`${position.get(name)} IS NOT NULL`));
  const okColumns = [...staged.map((column) => column.ok), ...required].join(' AND ');
  const [tableName, rejectsName, scansName] = ['csv', 'csv_rejects', 'csv_scans'].map(
    (prefix) => `${prefix}_${randomBytes(8).toString('hex')}`
  );
  const [table, rejects, scans] = [tableName, rejectsName, scansName].map(quoteIdentifier);
  const csvColumns = `{${header.map((_, index) => `'c${index}': 'VARCHAR'`).join(', ')}}`;
  let taken = false;
  try {
    await connection.run(
      `CREATE TEMP TABLE ${table} AS
       SELECT ${staged.map((column, index) => `CAST(${column.value} AS ${columns[index].type}) AS ${quoteIdentifier(columns[index].name)}`).join(', ')}, ${okColumns} AS ok
       FROM (SELECT ${parts.join(', ')}
             FROM read_csv(${fileParameter}, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', columns = ${csvColumns},
                           strict_mode = true, null_padding = false, max_line_size = ${parameters.ref('maxLine')}, store_rejects = true,
                           rejects_table = ${parameters.bind('rejects', rejectsName, VARCHAR)}, rejects_scan = ${parameters.bind('scans', scansName, VARCHAR)}))`,
      parameters.values,
      parameters.types
    );
    const verdict = await connection.first<{ rows: number; bad: number; rejected: number }>(
      `SELECT count(*)::DOUBLE AS rows, count(*) FILTER (WHERE ok IS NOT TRUE)::DOUBLE AS bad, (SELECT count(*) FROM ${rejects})::DOUBLE AS rejected FROM ${table}`
    );
    if (!verdict || verdict.bad > 0 || verdict.rejected > 0 || verdict.rows > maxRows) return null;
    await connection.run(`ALTER TABLE ${table} DROP COLUMN ok`);
    taken = true;
    return { table, rows: verdict.rows };
  } finally {
    for (const name of taken ? [rejects, scans] : [table, rejects, scans])
      await connection.run(`DROP TABLE IF EXISTS ${name}`);
  }
}
