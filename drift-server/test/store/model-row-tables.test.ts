import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DEFAULT_LIMITS } from '../../src/config';
import { binCounts, Store } from '../../src/store';
import { tableKey } from '../../src/store/row-tables';
import { rows, storeDefinition, toCsv, toNdjson } from '../api/data';
import { toSchemaVersion7 } from '../support/schema-versions';

const DAY_START = Date.UTC(2026, 4, 1);

describe('raw rows in typed tables per model', () => {
  const directory = mkdtempSync(join(tmpdir(), 'driftguard-row-tables-'));
  const dbPath = join(directory, 'rows.duckdb');
  const open = () =>
    Store.open({ dbPath, connectionPoolSize: 2, duckdbMemoryLimit: '256MB', limits: DEFAULT_LIMITS, demoTokens: [] });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  async function tables(): Promise<string[]> {
    const instance = await DuckDBInstance.create(dbPath);
    const connection = await instance.connect();
    const names = (
      await connection.runAndReadAll(
        "SELECT table_name FROM duckdb_tables() WHERE table_name LIKE '%_rows%' ORDER BY table_name"
      )
    ).getRows();
    connection.closeSync();
    instance.closeSync();
    return names.map(([name]) => name as string);
  }

  /** Everything the store reads from raw rows of model `m`: every feature's values, the export, freshness. */
  async function rawReads(store: Store): Promise<string> {
    const model = await store.models.get('m');
    const features = model.features.map((_, index) => index);
    return JSON.stringify({
      production: await store.rawValues.production('m', features, 0, 4e12),
      reference: await store.rawValues.reference('m', 1, features),
      exported: await store.productionExport.records(model, 0, 4e12, 10_000),
      freshness: await store.freshness.of('m'),
      binning: await store.references.binning('m'),
      calibration: await store.references.calibration('m', 1),
    });
  }

  it('names tables one-to-one by model id, also where DuckDB compares names without case', () => {
    expect(tableKey('credit-risk')).toBe('credit_2d_risk');
    expect(tableKey('a_b')).toBe('a__b');
    expect(tableKey('a-b')).not.toBe(tableKey('a_2d_b'));
    expect(tableKey('Churn').toLowerCase()).not.toBe(tableKey('churn'));
    expect(tableKey('x"; DROP TABLE models; --')).toMatch(/^[a-z0-9_]+$/);
  });

  it('moves the rows of a database at schema version 7 into tables per model, reading back the same values', async () => {
    const store = await open();
    const model = await store.models.create('m', storeDefinition('m'));
    await store.references.upload(model, 'csv', Readable.from([toCsv(rows(400, 1))]));
    await store.ingestion.ingestPredictions(
      model,
      'ndjson',
      Readable.from([toNdjson(rows(600, 2, { startMs: DAY_START, shift: 0.5 }))])
    );
    const before = await rawReads(store);
    await store.close();

    const instance = await DuckDBInstance.create(dbPath);
    const connection = await instance.connect();
    await toSchemaVersion7(connection);
    connection.closeSync();
    instance.closeSync();
    expect(await tables()).toEqual(['production_rows', 'reference_rows']);

    const migrated = await open();
    expect(await rawReads(migrated)).toBe(before);
    // A new reference version recounts the moved production rows from their new table.
    await migrated.references.upload(model, 'csv', Readable.from([toCsv(rows(400, 3, { shift: 0.5 }))]));
    const everything = { fromMs: 0, toMs: 4e12, bucketMs: 4e12 };
    const counts = (
      await binCounts(['income'], await migrated.aggregates.numericCountColumns('m', 2, everything, ['income']))
    )
      .get(0)
      ?.get('income');
    expect([...(counts?.values() ?? [])].reduce((sum, n) => sum + n, 0)).toBe(600);
    await migrated.close();
    expect(await tables()).toEqual(['production_rows_m', 'reference_rows_m']);
  });

  it('keeps models whose ids differ only in case apart, and drops their tables with them', async () => {
    const store = await open();
    const upper = await store.models.create('Case', storeDefinition('upper'));
    const lower = await store.models.create('case', storeDefinition('lower'));
    for (const [model, count] of [
      [upper, 30],
      [lower, 50],
    ] as const) {
      await store.references.upload(model, 'csv', Readable.from([toCsv(rows(100, 1))]));
      await store.ingestion.ingestPredictions(
        model,
        'ndjson',
        Readable.from([toNdjson(rows(count, 2, { startMs: DAY_START }))])
      );
    }
    expect((await store.rawValues.production('Case', [0], 0, 4e12))[0].values).toHaveLength(30);
    expect((await store.rawValues.production('case', [0], 0, 4e12))[0].values).toHaveLength(50);
    await store.models.delete('Case');
    await store.models.delete('m');
    expect((await store.rawValues.production('case', [0], 0, 4e12))[0].values).toHaveLength(50);
    await store.close();
    expect(await tables()).toEqual(['production_rows_case', 'reference_rows_case']);
  });
});
