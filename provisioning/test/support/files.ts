import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export const REPO = path.resolve(__dirname, '../../..');

export function repoPath(relative: string): string {
  return path.join(REPO, relative);
}

export function exists(relative: string): boolean {
  return fs.existsSync(repoPath(relative));
}

export function readText(relative: string): string {
  return fs.readFileSync(repoPath(relative), 'utf8');
}

/** YAML as Grafana, Prometheus and Compose read it: merge keys (`<<`) resolved, duplicate keys refused. */
export function readYaml<T>(relative: string): T {
  return parse(readText(relative), { merge: true, uniqueKeys: true }) as T;
}

export function readJson<T>(relative: string): T {
  return JSON.parse(readText(relative)) as T;
}

export function filesIn(relativeDir: string, extensions: readonly string[]): string[] {
  return fs
    .readdirSync(repoPath(relativeDir), { withFileTypes: true })
    .filter((entry) => entry.isFile() && extensions.includes(path.extname(entry.name)))
    .map((entry) => path.posix.join(relativeDir, entry.name))
    .sort();
}

/** Every string anywhere inside a parsed document. */
export function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}
