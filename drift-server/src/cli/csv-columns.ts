import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { CliError } from './errors';

/** A CSV file read as text: cells by column name in row order (empty cells null), and each row's line in the file. */
export interface CsvTable {
  readonly file: string;
  readonly columns: Map<string, (string | null)[]>;
  /** The file line each data row ends on (1-based; the header is line 1 of a file without blank lines). */
  readonly lines: number[];
}

export async function readCsvTable(file: string): Promise<CsvTable> {
  let names: string[] | undefined;
  const cells: (string | null)[][] = [];
  const lines: number[] = [];
  const parser = parse({ bom: true, trim: true, skip_empty_lines: true, info: true });
  // pipe() does not forward a read error (a missing file) to the parser: do it, so the loop throws it.
  const input = createReadStream(file).on('error', (error) => parser.destroy(error));
  input.pipe(parser);
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!names) {
        names = headerNames(record, file);
        for (let column = 0; column < names.length; column += 1) cells.push([]);
        continue;
      }
      lines.push(info.lines);
      for (let column = 0; column < record.length; column += 1) cells[column].push(record[column] === '' ? null : record[column]);
    }
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`${file}: ${(error as Error).message}`);
  }
  if (!names) throw new CliError(`${file} is empty: a header row naming the columns is required`);
  return { file, columns: new Map(names.map((name, column) => [name, cells[column]])), lines };
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
