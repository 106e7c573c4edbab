import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DEFAULT_LIMITS } from '../../src/config';
import { binCounts, categoryCounts, QueryTimeoutError, Store } from '../../src/store';
import type { Connection } from '../../src/store/database';
import { openMigrated } from '../../src/store/migrations';
import { quoteIdentifier } from '../../src/store/sql';
import { HOSTILE, modelBody, REGIONS, rows, storeDefinition, toCsv, toNdjson } from '../api/data';

const DAY_START = Date.UTC(2026, 4, 1);

describe('database and store', () => {
  const directory = mkdtempSync(join(tmpdir(), 'driftguard-store-'));
  const dbPath = join(directory, 'store.duckdb');
  const open = () =>
    Store.open({ dbPath, connectionPoolSize: 2, duckdbMemoryLimit: '256MB', limits: DEFAULT_LIMITS, demoTokens: [] });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('quotes identifiers so any text names exactly one identifier', () => {
    expect(quoteIdentifier('plain')).toBe('"plain"');
    expect(quoteIdentifier('x"; DROP TABLE models; --')).toBe('"x""; DROP TABLE models; --"');
    expect(() => quoteIdentifier('')).toThrow(/empty/);
    expect(() => quoteIdentifier('a\u0000b')).toThrow(/NUL/);
  });

  it('interrupts a read query that outlasts the query timeout', async () => {
    const database = await openMigrated(join(directory, 'slow.duckdb'), {
      poolSize: 1,
      memoryLimit: '128MB',
      queryTimeoutMs: 100,
    });
    const started = Date.now();
    await expect(database.rows('SELECT count(*) FROM range(100000000000) a')).rejects.toThrow(QueryTimeoutError);
    await expect(database.typedColumns('SELECT count(*)::DOUBLE AS n FROM range(100000000000) a')).rejects.toThrow(
      QueryTimeoutError
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await database.rows('SELECT 42 AS answer')).toEqual([{ answer: 42 }]);
    await database.close();
  });

  it("reads result columns chunk by chunk as DuckDB's getColumnsObjectJS reads them at once", async () => {
    const database = await openMigrated(join(directory, 'columns.duckdb'), { poolSize: 1, memoryLimit: '128MB' });
    // Three data chunks of up to 2 048 rows, with the value kinds the store reads: integers, text, NULLs, doubles, lists, big integers.
    const sql = `SELECT i::INTEGER AS n, 'c' || (i % 7) AS category, CASE WHEN i % 5 = 0 THEN NULL ELSE i / 3 END AS share,
                        [i, i + 1] AS pair, i::BIGINT * 1000000000000 AS big, $1 AS label
                 FROM range(5000) t(i)`;
    const sliced = await database.columns<Record<string, unknown[]>>(sql, ['ünïcode']);
    const whole = await database.withConnection(async (connection) =>
      (await connection.raw.runAndReadAll(sql, ['ünïcode'])).getColumnsObjectJS()
    );
    expect(sliced).toEqual(whole);
    expect(Object.keys(sliced)).toEqual(['n', 'category', 'share', 'pair', 'big', 'label']);
    expect(sliced.n).toHaveLength(5_000);
    await database.close();
  });

  it('reads number columns a vector at a time into Float64Arrays, and text columns, equal to what DuckDB converts item by item', async () => {
    const database = await openMigrated(join(directory, 'numbers.duckdb'), { poolSize: 1, memoryLimit: '128MB' });
    // Three data chunks; an aggregate's output, whose vectors may carry a validity mask with every item valid.
    const sql = `SELECT i::INTEGER AS n, (i % 300 - 150)::SMALLINT AS small, i / 7 AS share, (i / 3)::FLOAT AS single,
                        sum(i)::DOUBLE AS total, 'c' || (i % 7) AS category, $1 AS label
                 FROM range(5000) t(i) GROUP BY ALL ORDER BY n`;
    const read = await database.typedColumns<
      Record<'n' | 'small' | 'share' | 'single' | 'total', Float64Array> & Record<'category' | 'label', string[]>
    >(sql, ['ünïcode']);
    const whole = await database.withConnection(async (connection) =>
      (await connection.raw.runAndReadAll(sql, ['ünïcode'])).getColumnsObjectJS()
    );
    expect(Object.keys(read)).toEqual(['n', 'small', 'share', 'single', 'total', 'category', 'label']);
    for (const name of ['n', 'small', 'share', 'single', 'total'] as const) {
      expect(read[name]).toBeInstanceOf(Float64Array);
      expect(Array.from(read[name])).toEqual(whole[name]);
    }
    expect(read.category).toEqual(whole.category);
    expect(read.label).toEqual(whole.label);
    expect(read.n).toHaveLength(5_000);
    await expect(
      database.typedColumns('SELECT CASE WHEN i = 4100 THEN NULL ELSE i END::INTEGER AS n FROM range(5000) t(i)')
    ).rejects.toThrow('typedColumns: column n holds NULL');
    // The NULL in the last, partial byte of the validity mask of the last chunk (4 096 + 3 rows).
    await expect(
      database.typedColumns('SELECT CASE WHEN i = 4098 THEN NULL ELSE i END::INTEGER AS n FROM range(4099) t(i)')
    ).rejects.toThrow('typedColumns: column n holds NULL');
    expect(
      Array.from((await database.typedColumns<{ n: Float64Array }>('SELECT i::INTEGER AS n FROM range(4099) t(i)')).n)
    ).toEqual(Array.from({ length: 4099 }, (_, i) => i));
    await expect(database.typedColumns('SELECT 1::BIGINT AS big')).rejects.toThrow(
      'typedColumns: column big is of type BIGINT'
    );
    await database.close();
  });

  it('reads categorical counts with each category text once, equal to counting the uploaded rows', async () => {
    const store = await Store.open({
      dbPath: join(directory, 'categories.duckdb'),
      connectionPoolSize: 2,
      duckdbMemoryLimit: '256MB',
      limits: DEFAULT_LIMITS,
      demoTokens: [],
    });
    const model = await store.models.create('m', storeDefinition('m'));
    await store.references.upload(model, 'csv', Readable.from([toCsv(rows(200, 1))]));
    const odd = ['ünïcode "quoted", text', 'NORTH', ' north'];
    const batch = rows(6_000, 2, { startMs: DAY_START }).map((row, index) =>
      index % 7 === 0 ? { ...row, region: odd[index % odd.length] } : row
    );
    await store.ingestion.ingestPredictions(model, 'ndjson', Readable.from([toNdjson(batch)]));
    const hour = 3_600_000;
    const range = { fromMs: DAY_START, toMs: DAY_START + 5 * 24 * hour, bucketMs: hour };
    const columns = await store.aggregates.categoricalCountColumns('m', range, ['region']);
    expect(new Set(columns.categories).size).toBe(columns.categories.length);
    expect(new Set(columns.categories)).toEqual(new Set([...REGIONS, ...odd, '']));
    expect(columns.n.length).toBeGreaterThan(10 * columns.categories.length);
    const expected = new Map<number, Map<string, Map<string, number>>>();
    for (const row of batch) {
      const bucket = Math.floor((Date.parse(row.timestamp as string) - DAY_START) / hour);
      const bins = expected.get(bucket) ?? new Map([['region', new Map<string, number>()]]);
      expected.set(bucket, bins);
      const category = (row.region as string | null) ?? '';
      bins.get('region')!.set(category, (bins.get('region')!.get(category) ?? 0) + 1);
    }
    expect(await categoryCounts(['region'], columns)).toEqual(expected);
    await store.close();
  });

  it('keeps one state of the database for every read of a snapshot while another connection commits', async () => {
    const database = await openMigrated(join(directory, 'snapshot.duckdb'), { poolSize: 2, memoryLimit: '128MB' });
    await database.transaction((connection) => connection.run('CREATE TABLE seen (n INTEGER)'));
    const count = (reader: Pick<Connection, 'rows'>) =>
      reader.rows<{ n: number }>('SELECT count(*)::INTEGER AS n FROM seen');
    const [first, second, after] = await database.snapshot(async (connection) => {
      const before = await count(connection);
      await database.transaction((writer) => writer.run('INSERT INTO seen VALUES (1), (2)'));
      return [before, await count(connection), await count(database)];
    });
    expect(first).toEqual([{ n: 0 }]);
    expect(second).toEqual(first);
    expect(after).toEqual([{ n: 2 }]);
    await database.close();
  });

  it('applies migrations once and records them; reopening keeps the data', async () => {
    const store = await open();
    const { features } = modelBody();
    await store.models.create('m', storeDefinition('m', features));
    await store.close();
    const database = await openMigrated(dbPath, { poolSize: 1, memoryLimit: '256MB' });
    expect(await database.rows('SELECT version, description FROM schema_migrations')).toEqual([
      { version: 1, description: expect.stringContaining('models') },
      { version: 2, description: expect.stringContaining('calibration') },
      { version: 3, description: expect.stringContaining('retrain jobs') },
      { version: 4, description: expect.stringContaining('alerts') },
      { version: 5, description: expect.stringContaining('accuracy sums') },
      { version: 6, description: expect.stringContaining('daily rollups') },
      { version: 7, description: expect.stringContaining('each fold of a cross-fitted calibration') },
      { version: 8, description: expect.stringContaining('typed tables per model') },
    ]);
    expect(await database.rows('SELECT id FROM models')).toEqual([{ id: 'm' }]);
    await database.close();
  });

  it('rolls back appended rows and aggregate upserts together when a batch fails late', async () => {
    const store = await open();
    const model = await store.models.get('m');
    await store.references.upload(model, 'csv', Readable.from([toCsv(rows(200, 1))]));
    const good = rows(300, 2, { startMs: DAY_START });
    await store.ingestion.ingestPredictions(model, 'ndjson', Readable.from([toNdjson(good)]));
    const everything = { fromMs: 0, toMs: 4e12, bucketMs: 4e12 };
    const names = ['income', 'age', HOSTILE];
    const incomeAgeHostile = async () =>
      binCounts(names, await store.aggregates.numericCountColumns('m', 1, everything, names));
    const before = JSON.stringify(
      [...((await incomeAgeHostile()).get(0) ?? [])].map(([f, bins]) => [f, [...bins].sort()]).sort()
    );
    // 70 000 good rows (more than one staging round, so rows already sit in the model's production rows) and then one bad row.
    const late = [
      ...rows(70_000, 3, { startMs: DAY_START }),
      { ...rows(1, 4, { startMs: DAY_START })[0], income: 'oops' },
    ];
    await expect(store.ingestion.ingestPredictions(model, 'ndjson', Readable.from([toNdjson(late)]))).rejects.toThrow(
      /row 70001, column "income"/
    );
    const after = JSON.stringify(
      [...((await incomeAgeHostile()).get(0) ?? [])].map(([f, bins]) => [f, [...bins].sort()]).sort()
    );
    expect(after).toBe(before);
    expect((await store.rawValues.production('m', [0], 0, 4e12))[0].values).toHaveLength(300);
    expect((await store.aggregates.volume('m', everything)).get(0)).toBe(300);
    await store.close();
  });

  it('refuses an upload for a model deleted while the upload waited, leaving no orphaned rows', async () => {
    const store = await open();
    const model = await store.models.get('m');
    await store.models.create('doomed', { ...model, name: 'doomed', retraining: undefined });
    const doomed = await store.models.get('doomed');
    await store.references.upload(doomed, 'csv', Readable.from([toCsv(rows(50, 1))]));
    await store.models.delete('doomed');
    await expect(
      store.ingestion.ingestPredictions(
        doomed,
        'ndjson',
        Readable.from([toNdjson(rows(10, 2, { startMs: DAY_START }))])
      )
    ).rejects.toThrow(/"doomed" does not exist/);
    await expect(store.references.upload(doomed, 'csv', Readable.from([toCsv(rows(50, 1))]))).rejects.toThrow(
      /"doomed" does not exist/
    );
    await expect(store.rawValues.production('doomed', [0], 0, 4e12)).rejects.toThrow(
      /production_rows_doomed does not exist/
    );
    expect(await store.references.list('doomed')).toEqual([]);
    await store.close();
  });

  it('purges raw rows past retention but keeps the hourly aggregates', async () => {
    const store = await open();
    const deleted = await store.purgeRawRows(30, DAY_START + 31 * 86_400_000);
    expect(deleted).toBe(300);
    expect((await store.rawValues.production('m', [0], 0, 4e12))[0].values).toEqual([]);
    expect((await store.aggregates.volume('m', { fromMs: 0, toMs: 4e12, bucketMs: 4e12 })).get(0)).toBe(300);
    await store.close();
  });

  it('reads a Parquet upload through DuckDB', async () => {
    const store = await open();
    const model = await store.models.get('m');
    const csvPath = join(directory, 'rows.csv');
    const parquetPath = join(directory, 'rows.parquet');
    writeFileSync(csvPath, toCsv(rows(100, 5, { startMs: DAY_START + 86_400_000, idPrefix: 'q' })));
    const database = await openMigrated(join(directory, 'scratch.duckdb'), { poolSize: 1, memoryLimit: '256MB' });
    await database.withConnection((connection) =>
      connection.run(
        "COPY (SELECT * FROM read_csv($1, types = {'prediction_id': 'VARCHAR', 'region': 'VARCHAR'})) TO '" +
          parquetPath.replaceAll("'", "''") +
          "' (FORMAT parquet)",
        [csvPath]
      )
    );
    await database.close();
    const result = await store.ingestion.ingestPredictions(model, 'parquet', createReadStream(parquetPath));
    expect(result.result).toMatchObject({ rows: 100, hours: 2 });
    await expect(
      store.ingestion.ingestPredictions(model, 'parquet', Readable.from([Buffer.from('not parquet at all')]))
    ).rejects.toThrow(/not a readable Parquet file/);
    await store.close();
  });

  it('stores every value of a batch larger than one staging round, each at its feature position', async () => {
    const store = await open();
    const model = await store.models.get('m');
    const sent = rows(70_000, 9, { startMs: DAY_START + 2 * 86_400_000, stepMs: 1_000, idPrefix: 'big' });
    const { result } = await store.ingestion.ingestPredictions(model, 'csv', Readable.from([toCsv(sent)]));
    const window = [DAY_START + 2 * 86_400_000, DAY_START + 3 * 86_400_000] as const;
    const [income, region, hostile] = await store.rawValues.production('m', [0, 2, 3], ...window);
    // Newest first: row k of the result is sent row 69 999 − k.
    const newestFirst = [...sent].reverse();
    expect(income.values).toEqual(newestFirst.map((row) => row.income));
    expect(region.values).toEqual(newestFirst.map((row) => row.region));
    expect(hostile.values).toEqual(newestFirst.map((row) => row[HOSTILE]));
    expect(
      (await store.aggregates.volume('m', { fromMs: window[0], toMs: window[1], bucketMs: 86_400_000 })).get(0)
    ).toBe(70_000);
    expect(result).toMatchObject({ rows: 70_000, first_timestamp: new Date(window[0]).toISOString() });
    await store.close();
  });
});
