import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config';
import { openMigrated } from '../../src/store/migrations';

/** DuckDB's query threads leave one core to the event loop by default (docs/RELIABILITY.md). */
describe('DuckDB query threads', () => {
  let directory: string;
  beforeAll(() => (directory = mkdtempSync(join(tmpdir(), 'driftguard-threads-'))));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('default to one fewer than the cores, at least one, and follow DRIFTGUARD_DUCKDB_THREADS', () => {
    expect(loadConfig({}, {}, directory).duckdbThreads).toBe(Math.max(1, availableParallelism() - 1));
    expect(loadConfig({ DRIFTGUARD_DUCKDB_THREADS: '3' }, {}, directory).duckdbThreads).toBe(3);
    expect(() => loadConfig({ DRIFTGUARD_DUCKDB_THREADS: '0' }, {}, directory)).toThrow('DRIFTGUARD_DUCKDB_THREADS');
  });

  it('are the threads the opened database runs its queries on', async () => {
    for (const threads of [1, 3]) {
      const database = await openMigrated(join(directory, `threads-${threads}.duckdb`), {
        poolSize: 1,
        memoryLimit: '128MB',
        threads,
      });
      try {
        expect(await database.rows("SELECT current_setting('threads') AS threads")).toEqual([
          { threads: BigInt(threads) },
        ]);
      } finally {
        await database.close();
      }
    }
  });
});
