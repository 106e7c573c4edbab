import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';

/** Where page images and PDFs are written for a person to look at (gitignored). */
export const REVIEW_DIR = path.resolve(__dirname, '../../test-output/reports');

/** The CSV parsed back as records keyed by header, with the header row. */
export function parseCsv(text: string): { header: string[]; records: Record<string, string>[] } {
  const rows: string[][] = parse(text, { relax_column_count: false });
  const [header, ...body] = rows;
  return { header, records: body.map((row) => Object.fromEntries(header.map((name, index) => [name, row[index]]))) };
}

/** A CSV cell as the number or null the API gives: numbers are written in full precision, nulls as empty cells. */
export const numberCell = (cell: string): number | null => (cell === '' ? null : Number(cell));

/** The PDF's text as `pdftotext -layout` extracts it. */
export function pdfText(file: string): string {
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

/** Saves the PDF and its pages as PNG images (pdftoppm) under REVIEW_DIR/<name>; returns the PDF's path and the images. */
export function writeForReview(name: string, pdf: Buffer): { file: string; pages: string[] } {
  const directory = path.join(REVIEW_DIR, name);
  rmSync(directory, { recursive: true, force: true });
  mkdirSync(directory, { recursive: true });
  const file = path.join(directory, `${name}.pdf`);
  writeFileSync(file, pdf);
  execFileSync('pdftoppm', ['-png', '-r', '80', file, path.join(directory, 'page')]);
  const pages = readdirSync(directory)
    .filter((entry) => entry.endsWith('.png'))
    .sort()
    .map((entry) => path.join(directory, entry));
  return { file, pages };
}
