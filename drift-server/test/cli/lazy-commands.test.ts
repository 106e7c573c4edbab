import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../support/cli';

const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'bin', 'drift-server.cjs');
/** Prints, as the process exits, every module of drift-server and of @duckdb it loaded. */
const LIST_LOADED = `process.on('exit', () => process.stderr.write(JSON.stringify(Object.keys(require.cache).filter((file) => file.includes('${path.sep}dist${path.sep}') || file.includes('@duckdb')))))`;

const { dir, cleanup } = tempDir('driftguard-lazy-');
const PRELOAD = path.join(dir, 'list-loaded.js');

function loadedBy(...args: string[]): { status: number | null; stdout: string; modules: string[] } {
  const result = spawnSync(process.execPath, ['--require', PRELOAD, BIN, ...args], { encoding: 'utf8' });
  const modules = JSON.parse(result.stderr.slice(result.stderr.lastIndexOf('[')) || '[]') as string[];
  return { status: result.status, stdout: result.stdout, modules: modules.map((file) => path.relative(ROOT, file)) };
}

describe('the CLI loads only the command it runs', () => {
  afterAll(cleanup);
  beforeAll(() => {
    writeFileSync(PRELOAD, LIST_LOADED);
    const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(build.stderr);
  }, 120_000);

  it('lists every command for --help without loading any of them', () => {
    const { status, stdout, modules } = loadedBy('--help');
    expect(status).toBe(0);
    for (const command of ['serve', 'compare', 'demo', 'report', 'model', 'ingest', 'token'])
      expect(stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    expect(modules.filter((file) => !/dist[/\\]cli[/\\](main|errors)\.js$/.test(file))).toEqual([]);
  });

  it('runs ingest without the server, DuckDB or the API schemas', () => {
    const { status, stdout, modules } = loadedBy('ingest', '--help');
    expect(status).toBe(0);
    expect(stdout).toMatch(/^Usage: drift-server ingest/m);
    expect(modules.some((file) => file.endsWith(path.join('cli', 'ingest.js')))).toBe(true);
    expect(modules.filter((file) => /@duckdb|dist[/\\](server|store|engine|api)[/\\.]/.test(file))).toEqual([]);
  });

  it('still loads the whole server for serve', () => {
    const { modules } = loadedBy('serve', '--help');
    expect(modules.some((file) => file.includes('@duckdb'))).toBe(true);
  });
});
