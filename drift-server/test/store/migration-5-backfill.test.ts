import { DuckDBInstance } from '@duckdb/node-api';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_LIMITS } from '../../src/config';
import { Store } from '../../src/store';
import { toSchemaVersion7 } from '../support/schema-versions';

/**
 * Migration 5's backfill over a database as a server before version 5 left it, migrated to today's
 * schema. The sums it builds were recorded once (test/fixtures/migration-5-backfill.json, written when
 * RECORD_MIGRATION_5=1) from the backfill as released; a released migration must go on producing them.
 */
const FIXTURE = join(__dirname, '..', 'fixtures', 'migration-5-backfill.json');
const HOUR = 3_600_000;
const START = Date.UTC(2026, 2, 1);

/** mulberry32: the same rows on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const THRESHOLDS = [0.1, 0.25, 0.4, 0.55, 0.7, 0.9];
/** As a server before cross-fitting stored a calibration: one isotonic fit on all its rows. */
const singleFit = (values: number[]) =>
  JSON.stringify({
    status: 'fitted',
    fit: { thresholds: THRESHOLDS, values },
    reference_accuracy: { value: 0.8, lower: 0.7, upper: 0.9, rows: 400 },
    calibration_rows: 400,
  });
/** Binary outcomes as users write them, padded and cased, and values that are none. */
const OUTCOMES = ['1', '0', 'true', 'FALSE', ' 1.0 ', '0.0', '\t1\n', 'True', 'yes', '2', null];

/** A value as SQL text, so that twelve thousand rows go in with one statement. */
function literal(value: unknown): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') return Number.isInteger(value) ? `${value}` : `${value}::DOUBLE`;
  return `'${String(value).replaceAll("'", "''")}'`;
}

interface Sums {
  estimate: unknown[][];
  realized: unknown[][];
}

describe('migration 5: accuracy sums rebuilt from rows stored before them', () => {
  const directory = mkdtempSync(join(tmpdir(), 'driftguard-migration-5-'));
  const dbPath = join(directory, 'v4.duckdb');
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  async function withConnection<T>(
    work: (connection: Awaited<ReturnType<DuckDBInstance['connect']>>) => Promise<T>
  ): Promise<T> {
    const instance = await DuckDBInstance.create(dbPath);
    const connection = await instance.connect();
    try {
      return await work(connection);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  }

  const open = () =>
    Store.open({ dbPath, connectionPoolSize: 2, duckdbMemoryLimit: '256MB', limits: DEFAULT_LIMITS, demoTokens: [] });

  /** An empty database of today's schema taken back to version 4, then filled as a version-4 server would have. */
  async function buildSchema4Database(): Promise<void> {
    await (await open()).close();
    await withConnection(async (connection) => {
      await toSchemaVersion7(connection);
      for (const table of [
        'agg_estimate',
        'agg_realized',
        'agg_numeric_daily',
        'agg_categorical_daily',
        'agg_estimate_folds',
      ])
        await connection.run(`DROP TABLE ${table}`);
      await connection.run('DELETE FROM schema_migrations WHERE version >= 5');
      const definition = JSON.stringify({ features: [{ name: 'x', kind: 'numeric' }] });
      for (const id of ['a', 'b', 'c'])
        await connection.run('INSERT INTO models (id, definition, created_ms, updated_ms) VALUES ($1, $2, 0, 0)', [
          id,
          definition,
        ]);
      const versions: [string, number][] = [
        ['a', 1],
        ['a', 2],
        ['b', 1],
        ['b', 2],
        ['b', 3],
      ];
      for (const [model, version] of versions)
        await connection.run(
          "INSERT INTO reference_versions (model_id, version, created_ms, row_count, format) VALUES ($1, $2, 0, 400, 'csv')",
          [model, version]
        );
      const calibrations: [string, number, string][] = [
        ['a', 1, singleFit([0.05, 0.2, 0.2, 0.6, 0.75, 0.97])],
        ['a', 2, JSON.stringify({ status: 'unavailable', reason: 'no calibration: the model maps no label column' })],
        ['b', 1, singleFit([0.1, 0.15, 0.35, 0.5, 0.8, 0.9])],
        ['b', 2, singleFit([0, 0.3, 0.45, 0.45, 0.7, 1])],
        // b's version 3 has no stored calibration (stored before calibrations were kept).
      ];
      for (const [model, version, calibration] of calibrations)
        await connection.run(
          'INSERT INTO reference_calibrations (model_id, version, calibration) VALUES ($1, $2, $3)',
          [model, version, calibration]
        );
      const next = random(20260301);
      const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)];
      const rows: unknown[][] = [];
      const lateLabels: unknown[][] = [];
      // 'ghost' rows belong to no model: the backfill leaves them uncounted.
      for (const model of ['a', 'b', 'c', 'ghost']) {
        for (let index = 0; index < 3000; index += 1) {
          const roll = next();
          const probability =
            roll < 0.1 ? null : roll < 0.2 ? pick(THRESHOLDS) : roll < 0.25 ? pick([0, 0.05, 0.95, 1]) : next();
          const predictionId = `p${index}`;
          rows.push([
            model,
            `batch-${index % 7}`,
            predictionId,
            START + Math.floor(next() * 30 * HOUR),
            pick(OUTCOMES),
            probability,
            pick(OUTCOMES),
          ]);
          if (next() < 0.3) lateLabels.push([model, predictionId, pick(OUTCOMES) ?? '0']);
        }
      }
      // Labels for the same ids of another model must not count for this one.
      lateLabels.push(['c', 'unknown-id', '1']);
      await connection.run(
        `INSERT INTO production_rows (model_id, batch_id, prediction_id, ts_ms, prediction, probability, label, num, cat)
         SELECT *, [0.5], [NULL]::VARCHAR[] FROM (VALUES ${rows.map((row) => `(${row.map(literal).join(', ')})`).join(', ')})`
      );
      await connection.run(
        `INSERT INTO labels (model_id, prediction_id, label, received_ms)
         SELECT *, 0 FROM (VALUES ${lateLabels.map((row) => `(${row.map(literal).join(', ')})`).join(', ')})`
      );
    });
  }

  async function storedSums(): Promise<Sums> {
    return withConnection(async (connection) => {
      const read = async (sql: string) =>
        (await connection.runAndReadAll(sql))
          .getRows()
          .map((row) => row.map((value) => (typeof value === 'bigint' ? Number(value) : value)));
      return {
        estimate: await read(
          'SELECT model_id, reference_version, hour_ms, scored, chance, chance_variance FROM agg_estimate ORDER BY ALL'
        ),
        realized: await read('SELECT model_id, hour_ms, labelled, "right" FROM agg_realized ORDER BY ALL'),
      };
    });
  }

  it('gives the sums the released backfill gave', async () => {
    await buildSchema4Database();
    await (await open()).close();
    const sums = await storedSums();
    if (process.env.RECORD_MIGRATION_5 === '1') writeFileSync(FIXTURE, `${JSON.stringify(sums, null, 1)}\n`);
    expect(existsSync(FIXTURE)).toBe(true);
    const recorded = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Sums;
    // Counts match exactly; sums of doubles to 12 significant digits, since the order rows are added in
    // (which the released backfill left to its join) moves the last bits.
    const close = (value: unknown) =>
      typeof value === 'number' && !Number.isInteger(value)
        ? expect.closeTo(value, Math.max(0, 12 - Math.ceil(Math.log10(Math.abs(value) + 1))))
        : value;
    expect(sums).toEqual({
      estimate: recorded.estimate.map((row) => row.map(close)),
      realized: recorded.realized.map((row) => row.map(close)),
    });
  });
});
