/**
 * drift-server's ingestion beside DuckDB's own floor, in one run, on the same 250 000-row batches of
 * a 20-feature model (15 numeric, 5 categorical):
 *
 *   floor   DuckDB's CSV reader parses the batch into typed columns (no checks), one INSERT puts the
 *           rows into the model's production rows table — the layout drift-server stores them in,
 *           one typed column per feature — and the transaction commits;
 *   csv     drift-server's whole ingestion of the same batch as CSV (spool, checks, staging, the
 *           hourly counts and rollups, accuracy sums, the batch record, the commit);
 *   ndjson  the same for the batch as NDJSON.
 *
 * In process, without HTTP; each in its own embedded file with the server's default memory limit.
 * Batches alternate floor, CSV, NDJSON, so a slower period of this shared machine falls on all
 * three alike. Prints each one's rows/s and the ratio of each format to the floor.
 *
 *   npm run bench:storage-floor -w drift-server
 *   BENCH_ROWS=1000000 npm run bench:storage-floor -w drift-server   (quick)
 *   BENCH_BATCH_HOURS=1 npm run bench:storage-floor -w drift-server   (each batch one hour)
 */
import { execSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { loadConfig } from '../drift-server/src/config';
import { Store, type ModelDefinition } from '../drift-server/src/store';
import { openMigrated } from '../drift-server/src/store/migrations';
import { createRowTables, productionRows } from '../drift-server/src/store/row-tables';
import { batchBody, CATEGORICAL, END_MS, NUMERIC, START_MS } from './prediction-data';
import { publishResults, runBenchmark } from './timing';

const TOTAL_ROWS = Number(process.env.BENCH_ROWS ?? 2_500_000);
const BATCH_ROWS = 250_000;
/**
 * Hours each batch's timestamps span; by default the batches share the 90 days between them (each
 * then touches hundreds of hours, and so of hourly aggregate rows). BENCH_BATCH_HOURS=1 posts them
 * as a live model does, each batch an hour of predictions.
 */
const BATCH_HOURS = process.env.BENCH_BATCH_HOURS ? Number(process.env.BENCH_BATCH_HOURS) : null;

const MODEL: ModelDefinition = {
  name: 'floor',
  task: 'binary_classification',
  features: [
    ...NUMERIC.map((name) => ({ name, kind: 'numeric' as const, importance: 1 })),
    ...CATEGORICAL.map((name) => ({ name, kind: 'categorical' as const, importance: 1 })),
  ],
  columns: {
    prediction_id: 'prediction_id',
    timestamp: 'timestamp',
    prediction: 'prediction',
    probability: 'probability',
    label: null,
  },
  business: {
    currency: 'USD',
    value_per_correct_prediction: null,
    cost_per_error: null,
    retrain_cost: null,
    retrain_duration_days: null,
    horizon_days: null,
    predictions_per_day: null,
  },
  buckets: 10,
};

async function main(): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 'driftguard-floor-'));
  const config = loadConfig({}, {}, directory);
  const floorPath = join(directory, 'floor.duckdb');
  const floor = await openMigrated(floorPath, { poolSize: 1, memoryLimit: config.duckdbMemoryLimit });
  const ingestPath = join(directory, 'ingest.duckdb');
  const store = await Store.open({
    dbPath: ingestPath,
    connectionPoolSize: config.connectionPoolSize,
    duckdbMemoryLimit: config.duckdbMemoryLimit,
    limits: config.limits,
    demoTokens: [],
  });
  const typedColumns = `{'prediction_id': 'VARCHAR', 'timestamp': 'TIMESTAMP', ${NUMERIC.map((name) => `'${name}': 'DOUBLE'`).join(', ')},
                         ${CATEGORICAL.map((name) => `'${name}': 'VARCHAR'`).join(', ')}, 'prediction': 'VARCHAR', 'probability': 'DOUBLE'}`;
  const seconds = { floor_read: 0, floor_insert: 0, floor_commit: 0, csv: 0, ndjson: 0 };
  let rows = 0;
  try {
    await floor.transaction((connection) => createRowTables(connection, 'floor', MODEL.features));
    const table = productionRows('floor');
    const model = await store.models.create('floor', MODEL);
    await store.references.upload(model, 'csv', Readable.from([batchBody('csv', 0, 100_000, START_MS, END_MS)]));
    const features = MODEL.features.map((_, index) => `f${index}`).join(', ');
    const batches = Math.ceil(TOTAL_ROWS / BATCH_ROWS);
    const span = BATCH_HOURS === null ? (END_MS - START_MS) / batches : BATCH_HOURS * 3_600_000;
    for (let batch = 0; batch < batches; batch += 1) {
      const [fromMs, toMs] = [START_MS + batch * span, START_MS + (batch + 1) * span];
      const csv = batchBody('csv', 1_000_000 + batch * BATCH_ROWS, BATCH_ROWS, fromMs, toMs);
      const file = join(directory, 'batch.csv');
      writeFileSync(file, csv);
      await floor.withConnection(async (connection) => {
        const timed = async (step: keyof typeof seconds, sql: string, params?: Record<string, string>) => {
          const started = performance.now();
          await connection.run(sql, params);
          seconds[step] += (performance.now() - started) / 1000;
        };
        await connection.run('BEGIN TRANSACTION');
        await timed(
          'floor_read',
          `CREATE TEMP TABLE batch AS SELECT * FROM read_csv($file, header = true, auto_detect = false, columns = ${typedColumns})`,
          { file }
        );
        await timed(
          'floor_insert',
          `INSERT INTO ${table} (batch_id, prediction_id, ts_ms, prediction, probability, label, ${features})
           SELECT $batch, prediction_id, epoch_ms(timestamp), prediction, probability, NULL, ${[...NUMERIC, ...CATEGORICAL].join(', ')} FROM batch`,
          { batch: `batch-${batch}` }
        );
        await timed('floor_commit', 'COMMIT');
        await connection.run('DROP TABLE batch');
      });
      for (const format of ['csv', 'ndjson'] as const) {
        // The NDJSON batch holds the same values under other prediction ids.
        const body =
          format === 'csv' ? csv : batchBody('ndjson', 100_000_000 + batch * BATCH_ROWS, BATCH_ROWS, fromMs, toMs);
        const started = performance.now();
        await store.ingestion.ingestPredictions(model, format, Readable.from([body]));
        seconds[format] += (performance.now() - started) / 1000;
      }
      rows += BATCH_ROWS;
      process.stderr.write(`batch ${batch + 1}/${batches}\n`);
    }
    const perSecond = (spent: number) => Math.round(rows / spent);
    const floorSeconds = seconds.floor_read + seconds.floor_insert + seconds.floor_commit;
    const ratio = (spent: number) => Math.round((floorSeconds / spent) * 100) / 100;
    publishResults('storage-floor', {
      machine: {
        nproc: Number(execSync('nproc').toString().trim()),
        cpu: cpus()[0]?.model ?? 'unknown',
        node: process.version,
        memory_gb: Math.round(
          Number(/MemTotal:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))![1]) / 1024 / 1024
        ),
      },
      settings: {
        total_rows_per_path: rows,
        batch_rows: BATCH_ROWS,
        batch_hours: BATCH_HOURS ?? Math.round((END_MS - START_MS) / Math.ceil(TOTAL_ROWS / BATCH_ROWS) / 3_600_000),
        features: NUMERIC.length + CATEGORICAL.length,
        duckdb_memory_limit: config.duckdbMemoryLimit,
      },
      seconds_per_batch: Object.fromEntries(
        Object.entries(seconds).map(([step, spent]) => [step, Math.round((spent / (rows / BATCH_ROWS)) * 1000) / 1000])
      ),
      rows_per_second: {
        floor: perSecond(floorSeconds),
        csv: perSecond(seconds.csv),
        ndjson: perSecond(seconds.ndjson),
      },
      ratio_to_floor: { csv: ratio(seconds.csv), ndjson: ratio(seconds.ndjson), target: 0.8 },
      database_file_mb: {
        floor: Math.round(statSync(floorPath).size / 1048576),
        ingest: Math.round(statSync(ingestPath).size / 1048576),
      },
    });
  } finally {
    await store.close();
    await floor.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

runBenchmark(main);
