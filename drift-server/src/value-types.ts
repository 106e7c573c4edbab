/**
 * How text becomes a value, for the server's row reader, its SQL fast path for CSV and the CLI's
 * `compare` alike, so a file means the same wherever it is read.
 */

/** Text taken as a number once trimmed; also a valid RE2 pattern, for the CSV fast path's checks in SQL. */
export const NUMERIC_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Text taken as a missing value (exactly, untrimmed): how spreadsheets, pandas, R and SQL exports write one. */
export const MISSING_TEXT: ReadonlySet<string> = new Set(['', 'NA', 'NaN', 'nan', 'null', 'NULL']);

/** Spellings of infinity in exports (pandas, numpy, spreadsheets): numbers, but no bin can hold them. */
const INFINITY_TEXT = /^[+-]?(inf|infinity)$/i;

/** A cell read as a number: a finite number, missing (null), text that is no number, or a number no double holds. */
export type NumberText = number | null | 'text' | 'non_finite';

/**
 * Reads text as a number: MISSING_TEXT is missing, NUMERIC_TEXT (trimmed) a number — `non_finite`
 * when it overflows a double (1e400) — and the spellings of infinity `non_finite` too; anything
 * else is `text`.
 */
export function readNumberText(text: string): NumberText {
  if (MISSING_TEXT.has(text)) return null;
  const trimmed = text.trim();
  if (NUMERIC_TEXT.test(trimmed)) {
    const value = Number(trimmed);
    return Number.isFinite(value) ? value : 'non_finite';
  }
  return INFINITY_TEXT.test(trimmed) ? 'non_finite' : 'text';
}

/** Cells that read as numbers one by one, by position (0-based). */
export interface NumberCells {
  readonly length: number;
  number(index: number): NumberText;
}

/**
 * The kind a column of cells takes when no model says it (the CLI's `compare`): numeric when
 * every present cell of both sides is a number, else categorical. A number no double holds is
 * not text that makes the column categorical but an error, so `bad` names the first one. Numeric
 * values come as Float64Arrays, NaN where a cell is missing.
 */
export type InferredColumn =
  | { readonly kind: 'numeric'; readonly values: Float64Array[] }
  | { readonly kind: 'categorical' }
  | { readonly kind: 'bad'; readonly side: number; readonly index: number };

export function inferColumn(sides: readonly NumberCells[]): InferredColumn {
  const values: Float64Array[] = [];
  let bad: { side: number; index: number } | null = null;
  for (const [side, cells] of sides.entries()) {
    const numbers = new Float64Array(cells.length);
    for (let index = 0; index < cells.length; index += 1) {
      const number = cells.number(index);
      if (typeof number === 'number') numbers[index] = number;
      else if (number === null) numbers[index] = NaN;
      else if (number === 'text') return { kind: 'categorical' };
      else {
        bad ??= { side, index };
        numbers[index] = NaN;
      }
    }
    values.push(numbers);
  }
  return bad ? { kind: 'bad', ...bad } : { kind: 'numeric', values };
}
