import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '../../src/store/database';
import { HourlyCounts } from '../../src/store/hourly-counts';
import type { FeatureDefinition } from '../../src/store';

const HOUR = 3_600_000;
const features: FeatureDefinition[] = [
  { name: 'x', kind: 'numeric', importance: 1 },
  { name: 'c', kind: 'categorical', importance: 1 },
];

describe('HourlyCounts', () => {
  const directory = mkdtempSync(join(tmpdir(), 'driftguard-counts-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('bins left-closed (a value on a cut point goes up), keeps missing apart and adds to stored counts', async () => {
    const database = await Database.open(join(directory, 'counts.duckdb'), { poolSize: 1, memoryLimit: '128MB' });
    const row = (x: number | null, c: string | null, timestampMs: number) => ({ num: [x, null], cat: [null, c], timestampMs });
    const first = new HourlyCounts(features, [[1, 2], null]);
    first.addRows([row(0.5, 'a', 0), row(1, 'a', 10), row(1, 'b', 20), row(2, null, 30), row(null, 'a', HOUR + 5), row(Number.NaN, '', HOUR + 6)]);
    expect(first.hourCount).toBe(2);
    const second = new HourlyCounts(features, [[1, 2], null]);
    second.addRows([row(7, 'b', 40)]);
    await database.transaction(async (connection) => {
      await first.save(connection, 'm', 1);
      await second.save(connection, 'm', 1);
    });
    expect(await database.rows('SELECT hour_ms::DOUBLE AS hour, bin, n::DOUBLE AS n FROM agg_numeric ORDER BY hour, bin')).toEqual([
      { hour: 0, bin: 0, n: 1 },
      { hour: 0, bin: 1, n: 2 },
      { hour: 0, bin: 2, n: 2 },
      { hour: HOUR, bin: -1, n: 2 },
    ]);
    expect(await database.rows('SELECT hour_ms::DOUBLE AS hour, category, n::DOUBLE AS n FROM agg_categorical ORDER BY hour, category')).toEqual([
      { hour: 0, category: '', n: 1 },
      { hour: 0, category: 'a', n: 2 },
      { hour: 0, category: 'b', n: 2 },
      { hour: HOUR, category: '', n: 1 },
      { hour: HOUR, category: 'a', n: 1 },
    ]);
    expect(await database.rows('SELECT hour_ms::DOUBLE AS hour, n::DOUBLE AS n FROM agg_volume ORDER BY hour')).toEqual([
      { hour: 0, n: 5 },
      { hour: HOUR, n: 2 },
    ]);
    await database.close();
  });
});
