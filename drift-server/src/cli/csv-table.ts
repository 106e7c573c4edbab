import type { NumberCells } from '../value-types';

/** One column of a CSV file, its cells by row. */
export interface CsvColumn extends NumberCells {
  /** The cell's text as read (trimmed), null when empty. */
  text(row: number): string | null;
  /** Every cell's text, in row order. */
  texts(): (string | null)[];
}

/** A CSV file read into columns by name, in file order, and each data row's line in the file. */
export interface CsvTable {
  readonly file: string;
  readonly columns: Map<string, CsvColumn>;
  /** The file line each data row ends on (1-based; the header is line 1 of a file without blank lines). */
  readonly lines: ArrayLike<number>;
}
