import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DEFAULT_LIMITS } from '../../src/config';
import { binCounts, categoryCounts, type BucketedRange, Store } from '../../src/store';
import { openMigrated } from '../../src/store/migrations';
import { toSchemaVersion7 } from '../support/schema-versions';
import { splitByResolution } from '../../src/store/resolution';
import { HOSTILE, modelBody, rows, seededRandom, storeDefinition, toCsv, toNdjson } from '../api/data';
import { HOUR_MS, DAY_MS } from '../../src/time';

const START = Date.UTC(2026, 4, 1);
const NUMERIC = ['income', 'age', HOSTILE];

/** Rollup rows that differ from the hourly rows summed per day, in either direction. */
const ROLLUP_MISMATCHES = `
  SELECT count(*)::DOUBLE AS n FROM (
    (SELECT model_id, reference_version, feature, hour_ms // ${DAY_MS} * ${DAY_MS} AS day_ms, bin, sum(n) AS n FROM agg_numeric GROUP BY ALL
     EXCEPT SELECT * FROM agg_numeric_daily)
    UNION ALL
    (SELECT * FROM agg_numeric_daily
     EXCEPT SELECT model_id, reference_version, feature, hour_ms // ${DAY_MS} * ${DAY_MS}, bin, sum(n) FROM agg_numeric GROUP BY ALL)
    UNION ALL
    (SELECT model_id, NULL, feature, hour_ms // ${DAY_MS} * ${DAY_MS} AS day_ms, category, sum(n) AS n FROM agg_categorical GROUP BY ALL
     EXCEPT SELECT model_id, NULL, feature, day_ms, category, n FROM agg_categorical_daily)
    UNION ALL
    (SELECT model_id, NULL, feature, day_ms, category, n FROM agg_categorical_daily
     EXCEPT SELECT model_id, NULL, feature, hour_ms // ${DAY_MS} * ${DAY_MS}, category, sum(n) FROM agg_categorical GROUP BY ALL))`;

/** Sorted entries, so two reads compare by value. */
function plain(counts: Map<number, Map<string, Map<number | string, number>>>): unknown {
  return [...counts]
    .sort(([a], [b]) => a - b)
    .map(([bucket, features]) => [bucket, [...features].sort().map(([feature, bins]) => [feature, [...bins].sort()])]);
}

describe('splitByResolution', () => {
  const random = seededRandom(17);

  it('reads whole days inside one bucket from the rollup and every other hour hourly, each hour exactly once', () => {
    for (let trial = 0; trial < 300; trial += 1) {
      const fromMs = START + Math.floor(random() * 24 * 30) * HOUR_MS;
      const bucketMs = [HOUR_MS, 6 * HOUR_MS, DAY_MS, 36 * HOUR_MS, 2 * DAY_MS, 7 * DAY_MS][Math.floor(random() * 6)];
      const buckets = 1 + Math.floor(random() * 40);
      const toMs = fromMs + (random() < 0.5 ? buckets * bucketMs : Math.ceil(random() * buckets * 24) * HOUR_MS);
      const split = splitByResolution({ fromMs, toMs, bucketMs });
      const covered: number[] = [];
      for (const span of [...split.hours, ...split.days])
        for (let hour = span.fromMs; hour < span.toMs; hour += HOUR_MS) covered.push(hour);
      expect(covered.sort((a, b) => a - b)).toEqual(
        Array.from({ length: (toMs - fromMs) / HOUR_MS }, (_, i) => fromMs + i * HOUR_MS)
      );
      for (const day of split.days) {
        expect(day.fromMs % DAY_MS).toBe(0);
        expect(day.toMs % DAY_MS).toBe(0);
        for (let start = day.fromMs; start < day.toMs; start += DAY_MS) {
          expect(Math.floor((start - fromMs) / bucketMs)).toBe(
            Math.floor((start + DAY_MS - HOUR_MS - fromMs) / bucketMs)
          );
        }
      }
      expect(split.hours.length + split.days.length).toBeLessThanOrEqual(8);
    }
  });

  it('reads a day-aligned daily trend from the rollup alone and an hourly trend from the hours alone', () => {
    expect(splitByResolution({ fromMs: START, toMs: START + 90 * DAY_MS, bucketMs: DAY_MS })).toEqual({
      hours: [],
      days: [{ fromMs: START, toMs: START + 90 * DAY_MS }],
    });
    expect(splitByResolution({ fromMs: START + 5 * HOUR_MS, toMs: START + 90 * DAY_MS, bucketMs: HOUR_MS })).toEqual({
      hours: [{ fromMs: START + 5 * HOUR_MS, toMs: START + 90 * DAY_MS }],
      days: [],
    });
    const window = { fromMs: START + 5 * HOUR_MS, toMs: START + 30 * DAY_MS + 7 * HOUR_MS };
    expect(splitByResolution({ ...window, bucketMs: window.toMs - window.fromMs })).toEqual({
      hours: [
        { fromMs: window.fromMs, toMs: START + DAY_MS },
        { fromMs: START + 30 * DAY_MS, toMs: window.toMs },
      ],
      days: [{ fromMs: START + DAY_MS, toMs: START + 30 * DAY_MS }],
    });
  });
});

describe('daily rollups of the hourly counts', () => {
  const directory = mkdtempSync(join(tmpdir(), 'driftguard-rollup-'));
  const dbPath = join(directory, 'rollup.duckdb');
  const open = () =>
    Store.open({ dbPath, connectionPoolSize: 2, duckdbMemoryLimit: '256MB', limits: DEFAULT_LIMITS, demoTokens: [] });
  let store: Store;
  beforeAll(async () => {
    store = await open();
    const { features } = modelBody('m');
    await store.models.create('m', storeDefinition('m', features));
  });
  afterAll(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  /** Counts per bucket summed from hourly buckets, which read the hourly aggregates alone: what a read through the rollup must equal. */
  async function fromHours<K>(
    read: (range: BucketedRange) => Promise<Map<number, Map<string, Map<K, number>>>>,
    range: BucketedRange
  ) {
    const hourly = await read({ ...range, bucketMs: HOUR_MS });
    const counts = new Map<number, Map<string, Map<K, number>>>();
    for (const [hour, features] of hourly) {
      const bucket = Math.floor((hour * HOUR_MS) / range.bucketMs);
      if (!counts.has(bucket)) counts.set(bucket, new Map());
      for (const [feature, bins] of features) {
        const summed = counts.get(bucket)!.get(feature) ?? new Map<K, number>();
        for (const [key, n] of bins) summed.set(key, (summed.get(key) ?? 0) + n);
        counts.get(bucket)!.set(feature, summed);
      }
    }
    return counts;
  }

  /** The result of `sql` on the store's database file, read with the store closed. */
  async function query(sql: string): Promise<unknown[]> {
    await store.close();
    const database = await openMigrated(dbPath, { poolSize: 1, memoryLimit: '256MB' });
    try {
      return await database.rows(sql);
    } finally {
      await database.close();
      store = await open();
    }
  }

  const ranges: [string, BucketedRange][] = [
    [
      'a summary window starting and ending inside days',
      { fromMs: START + 5 * HOUR_MS, toMs: START + 4 * DAY_MS + 7 * HOUR_MS, bucketMs: 4 * DAY_MS + 2 * HOUR_MS },
    ],
    [
      'a previous-period read (two buckets, the boundary inside a day)',
      {
        fromMs: START - 3 * DAY_MS + 11 * HOUR_MS,
        toMs: START + 5 * DAY_MS + 3 * HOUR_MS,
        bucketMs: 4 * DAY_MS - 4 * HOUR_MS,
      },
    ],
    ['a day-aligned daily trend', { fromMs: START, toMs: START + 7 * DAY_MS, bucketMs: DAY_MS }],
    ['two-day buckets', { fromMs: START + DAY_MS, toMs: START + 7 * DAY_MS, bucketMs: 2 * DAY_MS }],
    ['36-hour buckets', { fromMs: START, toMs: START + 6 * DAY_MS, bucketMs: 36 * HOUR_MS }],
    [
      '36-hour buckets cutting days into too many pieces',
      { fromMs: START - 6 * DAY_MS, toMs: START + 9 * DAY_MS, bucketMs: 36 * HOUR_MS },
    ],
    ['hourly buckets', { fromMs: START + 30 * HOUR_MS, toMs: START + 3 * DAY_MS, bucketMs: HOUR_MS }],
  ];

  it('keeps the rollups equal to the hourly counts summed per day through batches, a failed batch and a new reference version', async () => {
    const model = await store.models.get('m');
    await store.references.upload(model, 'csv', Readable.from([toCsv(rows(400, 1))]));
    // 17-minute steps spread each batch over several days and make batches share hours and days.
    await store.ingestion.ingestPredictions(
      model,
      'ndjson',
      Readable.from([toNdjson(rows(500, 2, { startMs: START - DAY_MS, stepMs: 17 * 60_000, idPrefix: 'a' }))])
    );
    await store.ingestion.ingestPredictions(
      model,
      'csv',
      Readable.from([
        toCsv(
          rows(400, 3, { shift: 1, startMs: START + 2 * DAY_MS + 5 * HOUR_MS, stepMs: 17 * 60_000, idPrefix: 'b' })
        ),
      ])
    );
    const before = await query('SELECT * FROM agg_numeric_daily ORDER BY ALL');
    const failing = [
      ...rows(300, 4, { startMs: START, idPrefix: 'c' }),
      { ...rows(1, 5, { startMs: START, idPrefix: 'd' })[0], age: 'old' },
    ];
    await expect(
      store.ingestion.ingestPredictions(model, 'ndjson', Readable.from([toNdjson(failing)]))
    ).rejects.toThrow(/column "age"/);
    expect(await query('SELECT * FROM agg_numeric_daily ORDER BY ALL')).toEqual(before);
    await store.references.upload(model, 'csv', Readable.from([toCsv(rows(400, 6, { shift: 0.5 }))]));
    expect(await query('SELECT count(DISTINCT reference_version)::DOUBLE AS versions FROM agg_numeric_daily')).toEqual([
      { versions: 2 },
    ]);
    expect(await query(ROLLUP_MISMATCHES)).toEqual([{ n: 0 }]);
  });

  it.each(ranges)('reads %s through the rollup exactly as from the hours alone', async (_, range) => {
    expect(splitByResolution(range).days.length + splitByResolution(range).hours.length).toBeGreaterThan(0);
    for (const version of [1, 2]) {
      const numeric = async (read: BucketedRange) =>
        binCounts(NUMERIC, await store.aggregates.numericCountColumns('m', version, read, NUMERIC));
      expect(plain(await numeric(range))).toEqual(plain(await fromHours(numeric, range)));
    }
    const categorical = async (read: BucketedRange) =>
      categoryCounts(['region'], await store.aggregates.categoricalCountColumns('m', read, ['region']));
    expect(plain(await categorical(range))).toEqual(plain(await fromHours(categorical, range)));
  });

  it('reads some of those windows from the rollup', () => {
    expect(ranges.filter(([, range]) => splitByResolution(range).days.length > 0).map(([name]) => name)).toEqual([
      'a summary window starting and ending inside days',
      'a previous-period read (two buckets, the boundary inside a day)',
      'a day-aligned daily trend',
      'two-day buckets',
      '36-hour buckets',
    ]);
  });

  it('builds the rollups from the hourly counts of a database created before them', async () => {
    await store.close();
    const database = await openMigrated(dbPath, { poolSize: 1, memoryLimit: '256MB' });
    await database.transaction(async (connection) => {
      await toSchemaVersion7(connection.raw);
      await connection.run('DROP TABLE agg_numeric_daily');
      await connection.run('DROP TABLE agg_categorical_daily');
      // Later migrations go too: the database is as a server before version 6 left it.
      await connection.run('DROP TABLE agg_estimate_folds');
      await connection.run('DELETE FROM schema_migrations WHERE version >= 6');
    });
    await database.close();
    store = await open();
    expect(await query('SELECT count(*)::DOUBLE AS n FROM agg_numeric_daily')).not.toEqual([{ n: 0 }]);
    expect(await query(ROLLUP_MISMATCHES)).toEqual([{ n: 0 }]);
  });

  it('deletes a model’s rollups with the model', async () => {
    await store.models.delete('m');
    expect(
      await query(
        'SELECT ((SELECT count(*) FROM agg_numeric_daily) + (SELECT count(*) FROM agg_categorical_daily))::DOUBLE AS n'
      )
    ).toEqual([{ n: 0 }]);
  });
});
