import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { NumberText, readNumberText } from '../value-types';
import type { CsvColumn, CsvTable } from './csv-table';
import { CliError } from './errors';
import { readPlainCsv } from './plain-csv';

/**
 * Reads a CSV file: a plain file (plain-csv.ts) straight from its bytes, any other — quoted
 * fields, CRLF line ends, whitespace to trim, a malformed or unreadable file — with csv-parse,
 * which also words every error about the file itself.
 */
export async function readCsvTable(file: string): Promise<CsvTable> {
  const bytes = await readFile(file).catch(() => null);
  const plain = bytes && readPlainCsv(bytes);
  if (!plain) return parseCsv(createReadStream(file), file);
  const names = headerNames(plain.header, file);
  return { file, columns: new Map(names.map((name, column) => [name, plain.columns[column]])), lines: plain.lines };
}

class TextColumn implements CsvColumn {
  constructor(private readonly cells: (string | null)[]) {}

  get length(): number {
    return this.cells.length;
  }

  text(row: number): string | null {
    return this.cells[row];
  }

  texts(): (string | null)[] {
    return this.cells;
  }

  number(row: number): NumberText {
    const cell = this.cells[row];
    return cell === null ? null : readNumberText(cell);
  }
}

/** Reads CSV text with csv-parse: RFC 4180 quoting, any line ends, fields trimmed, blank lines skipped. */
export async function parseCsv(input: Readable, file: string): Promise<CsvTable> {
  let names: string[] | undefined;
  const cells: (string | null)[][] = [];
  const lines: number[] = [];
  const parser = parse({ bom: true, trim: true, skip_empty_lines: true, info: true });
  // pipe() does not forward a read error (a missing file) to the parser: do it, so the loop throws it.
  input.on('error', (error) => parser.destroy(error));
  input.pipe(parser);
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!names) {
        names = headerNames(record, file);
        for (let column = 0; column < names.length; column += 1) cells.push([]);
        continue;
      }
      lines.push(info.lines);
      for (let column = 0; column < record.length; column += 1)
        cells[column].push(record[column] === '' ? null : record[column]);
    }
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`${file}: ${(error as Error).message}`);
  }
  if (!names) throw new CliError(`${file} is empty: a header row naming the columns is required`);
  return { file, columns: new Map(names.map((name, column) => [name, new TextColumn(cells[column])])), lines };
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
