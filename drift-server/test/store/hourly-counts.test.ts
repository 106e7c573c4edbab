import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOUBLE, LIST, listValue, VARCHAR } from '@duckdb/node-api';
import { numericBinIndex } from '../../src/stats';
import { Database } from '../../src/store/database';
import { openMigrated } from '../../src/store/migrations';
import { HourlyCounts } from '../../src/store/ingest/count';
import type { FeatureDefinition } from '../../src/store';
import { seededRandom } from '../api/data';

const HOUR = 3_600_000;
const features: FeatureDefinition[] = [
  { name: 'x', kind: 'numeric', importance: 1 },
  { name: 'c', kind: 'categorical', importance: 1 },
];
/** The table the counts read: ts_ms and feature i in column f<i>, as in a model's row tables. */
const ROWS = 'counted';

describe('HourlyCounts', () => {
  const directory = mkdtempSync(join(tmpdir(), 'driftguard-counts-'));
  let database: Database;
  beforeAll(async () => {
    database = await openMigrated(join(directory, 'counts.duckdb'), { poolSize: 1, memoryLimit: '128MB' });
  });
  afterAll(async () => {
    await database.close();
    rmSync(directory, { recursive: true, force: true });
  });

  /** Stores rows (x, c, timestamp) as table `counted` and adds their counts under model `model`. */
  async function count(model: string, rows: [number | null, string | null, number][], cuts: number[]): Promise<void> {
    await database.transaction(async (connection) => {
      await connection.run('CREATE OR REPLACE TEMP TABLE counted (ts_ms BIGINT, f0 DOUBLE, f1 VARCHAR)');
      await connection.run(
        'INSERT INTO counted SELECT unnest($1)::BIGINT, unnest($2), unnest($3)',
        [listValue(rows.map(([, , ts]) => ts)), listValue(rows.map(([x]) => x)), listValue(rows.map(([, c]) => c))],
        [LIST(DOUBLE), LIST(DOUBLE), LIST(VARCHAR)]
      );
      await new HourlyCounts(features, [cuts, null]).add(connection, model, 1, ROWS);
    });
  }

  it('bins left-closed (a value on a cut point goes up), keeps missing apart and adds to stored counts', async () => {
    await count(
      'm',
      [
        [0.5, 'a', 0],
        [1, 'a', 10],
        [1, 'b', 20],
        [2, null, 30],
        [null, 'a', HOUR + 5],
        [Number.NaN, '', HOUR + 6],
      ],
      [1, 2]
    );
    await count('m', [[7, 'b', 40]], [1, 2]);
    expect(
      await database.rows(
        "SELECT hour_ms::DOUBLE AS hour, bin, n::DOUBLE AS n FROM agg_numeric WHERE model_id = 'm' ORDER BY hour, bin"
      )
    ).toEqual([
      { hour: 0, bin: 0, n: 1 },
      { hour: 0, bin: 1, n: 2 },
      { hour: 0, bin: 2, n: 2 },
      { hour: HOUR, bin: -1, n: 2 },
    ]);
    expect(
      await database.rows(
        "SELECT hour_ms::DOUBLE AS hour, category, n::DOUBLE AS n FROM agg_categorical WHERE model_id = 'm' ORDER BY hour, category"
      )
    ).toEqual([
      { hour: 0, category: '', n: 1 },
      { hour: 0, category: 'a', n: 2 },
      { hour: 0, category: 'b', n: 2 },
      { hour: HOUR, category: '', n: 1 },
      { hour: HOUR, category: 'a', n: 1 },
    ]);
    expect(
      await database.rows(
        "SELECT hour_ms::DOUBLE AS hour, n::DOUBLE AS n FROM agg_volume WHERE model_id = 'm' ORDER BY hour"
      )
    ).toEqual([
      { hour: 0, n: 5 },
      { hour: HOUR, n: 2 },
    ]);
  });

  it('puts every value in the bin numericBinIndex gives, on and beside every cut point', async () => {
    const random = seededRandom(11);
    const cuts = Array.from({ length: 9 }, () => random() * 200 - 100).sort((a, b) => a - b);
    const neighbours = cuts.flatMap((cut) => [
      cut,
      cut * (1 - Number.EPSILON),
      cut * (1 + Number.EPSILON),
      cut + 1e-9,
      cut - 1e-9,
    ]);
    const values = [
      ...neighbours,
      ...Array.from({ length: 2000 }, () => random() * 240 - 120),
      -Number.MAX_VALUE,
      Number.MAX_VALUE,
      0,
      -0,
    ];
    await count(
      'bins',
      values.map((x) => [x, null, 0]),
      cuts
    );
    const expected = new Map<number, number>();
    for (const x of values) expected.set(numericBinIndex(cuts, x), (expected.get(numericBinIndex(cuts, x)) ?? 0) + 1);
    const stored = await database.rows<{ bin: number; n: number }>(
      "SELECT bin, n::DOUBLE AS n FROM agg_numeric WHERE model_id = 'bins' ORDER BY bin"
    );
    expect(stored).toEqual([...expected].sort(([a], [b]) => a - b).map(([bin, n]) => ({ bin, n })));
  });
});
