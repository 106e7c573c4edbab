import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const BIN = path.resolve(__dirname, '../../bin/drift-server.cjs');

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (`npm run build` first) as a user would, in a child process. */
export function runCli(args: string[]): CliRun {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A temporary folder removed by the returned cleanup. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function writeFile(dir: string, name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** CSV text of equally long columns; null becomes an empty cell, text is quoted per RFC 4180. */
export function csvOf(columns: Record<string, (number | string | null)[]>): string {
  const names = Object.keys(columns);
  const quote = (cell: number | string | null) =>
    cell === null
      ? ''
      : typeof cell === 'number'
        ? String(cell)
        : /[",\n\r]/.test(cell)
          ? `"${cell.replace(/"/g, '""')}"`
          : cell;
  const rows = columns[names[0]].map((_, row) => names.map((name) => quote(columns[name][row])).join(','));
  return `${names.map(quote).join(',')}\n${rows.join('\n')}\n`;
}
