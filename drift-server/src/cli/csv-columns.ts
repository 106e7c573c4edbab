import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { CliError } from './errors';

/** Raw cells of a CSV file by column name, in row order; empty cells are null. */
export type CsvColumns = Map<string, (string | null)[]>;

export async function readCsvColumns(file: string): Promise<CsvColumns> {
  let names: string[] | undefined;
  const cells: (string | null)[][] = [];
  const parser = parse({ bom: true, trim: true, skip_empty_lines: true });
  // pipe() does not forward a read error (a missing file) to the parser: do it, so the loop throws it.
  const input = createReadStream(file).on('error', (error) => parser.destroy(error));
  input.pipe(parser);
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (!names) {
        names = headerNames(record, file);
        for (let column = 0; column < names.length; column += 1) cells.push([]);
        continue;
      }
      for (let column = 0; column < record.length; column += 1) cells[column].push(record[column] === '' ? null : record[column]);
    }
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`${file}: ${(error as Error).message}`);
  }
  if (!names) throw new CliError(`${file} is empty: a header row naming the columns is required`);
  return new Map(names.map((name, column) => [name, cells[column]]));
}

function headerNames(record: string[], file: string): string[] {
  const seen = new Set<string>();
  record.forEach((name, index) => {
    if (name === '') throw new CliError(`${file}: column ${index + 1} of the header has no name`);
    if (seen.has(name)) throw new CliError(`${file}: column "${name}" appears twice in the header`);
    seen.add(name);
  });
  return record;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INFINITY = /^[+-]?(inf|infinity)$/i;
const NOT_A_NUMBER = /^nan$/i;

/**
 * The cell as a number, or undefined when it is text. "NaN" counts as missing and "inf" as
 * Infinity, as spreadsheet and pandas exports write them; the statistics then reject Infinity.
 */
export function parseNumericCell(cell: string | null): number | null | undefined {
  if (cell === null || NOT_A_NUMBER.test(cell)) return null;
  if (NUMBER.test(cell)) return Number(cell);
  if (INFINITY.test(cell)) return cell.startsWith('-') ? -Infinity : Infinity;
  return undefined;
}
