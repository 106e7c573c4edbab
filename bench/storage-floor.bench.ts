/**
 * The least a 250 000-row prediction batch costs DuckDB on this machine, whatever drift-server does
 * around it: DuckDB's own CSV reader parsing the batch into typed columns (no checks), one INSERT
 * of the rows into production_rows (the schema drift-server migrates to) and the COMMIT, in the
 * same embedded file and memory limit as the server's defaults. No HTTP, no validation, no
 * aggregates: the ceiling for ingestion that stores raw rows. The same rows also go, in a second
 * transaction, into a table with one column per feature instead of the two feature lists, the
 * cheapest layout for raw rows measured.
 *
 *   npm run bench:storage-floor -w drift-server
 *   BENCH_ROWS=1000000 npm run bench:storage-floor -w drift-server   (quick)
 */
import { execSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../drift-server/src/config';
import { openMigrated } from '../drift-server/src/store/migrations';
import { batchBody, CATEGORICAL, END_MS, NUMERIC, START_MS } from './prediction-data';
import { publishResults, runBenchmark } from './timing';

const TOTAL_ROWS = Number(process.env.BENCH_ROWS ?? 5_000_000);
const BATCH_ROWS = 250_000;

async function main(): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 'driftguard-floor-'));
  const dbPath = join(directory, 'floor.duckdb');
  const config = loadConfig({}, {}, directory);
  const database = await openMigrated(dbPath, { poolSize: 1, memoryLimit: config.duckdbMemoryLimit });
  const typedColumns = `{'prediction_id': 'VARCHAR', 'timestamp': 'TIMESTAMP', ${NUMERIC.map((name) => `'${name}': 'DOUBLE'`).join(', ')},
                         ${CATEGORICAL.map((name) => `'${name}': 'VARCHAR'`).join(', ')}, 'prediction': 'VARCHAR', 'probability': 'DOUBLE'}`;
  const seconds = { read: 0, insert: 0, commit: 0, insert_wide: 0, commit_wide: 0 };
  let rows = 0;
  try {
    const featureColumns = [
      ...NUMERIC.map((name) => `${name} DOUBLE`),
      ...CATEGORICAL.map((name) => `${name} VARCHAR`),
    ];
    await database.transaction((connection) =>
      connection.run(
        `CREATE TABLE rows_wide (model_id VARCHAR NOT NULL, batch_id VARCHAR NOT NULL, prediction_id VARCHAR NOT NULL, ts_ms BIGINT NOT NULL,
                                 prediction VARCHAR, probability DOUBLE, label VARCHAR, ${featureColumns.join(', ')})`
      )
    );
    const batches = Math.ceil(TOTAL_ROWS / BATCH_ROWS);
    const span = (END_MS - START_MS) / batches;
    for (let batch = 0; batch < batches; batch += 1) {
      const file = join(directory, 'batch.csv');
      writeFileSync(
        file,
        batchBody('csv', batch * BATCH_ROWS, BATCH_ROWS, START_MS + batch * span, START_MS + (batch + 1) * span)
      );
      await database.withConnection(async (connection) => {
        const timed = async (step: keyof typeof seconds, sql: string, params: string[] = []) => {
          const started = performance.now();
          await connection.run(sql, params);
          seconds[step] += (performance.now() - started) / 1000;
        };
        await connection.run('BEGIN TRANSACTION');
        await timed(
          'read',
          `CREATE TEMP TABLE batch AS SELECT * FROM read_csv($1, header = true, auto_detect = false, columns = ${typedColumns})`,
          [file]
        );
        await timed(
          'insert',
          `INSERT INTO production_rows
           SELECT 'bench', $1, prediction_id, epoch_ms(timestamp), prediction, probability, NULL,
                  [${NUMERIC.join(', ')}, ${CATEGORICAL.map(() => 'NULL').join(', ')}]::DOUBLE[], [${NUMERIC.map(() => 'NULL').join(', ')}, ${CATEGORICAL.join(', ')}]::VARCHAR[]
           FROM batch`,
          [`batch-${batch}`]
        );
        await timed('commit', 'COMMIT');
        await connection.run('BEGIN TRANSACTION');
        await timed(
          'insert_wide',
          `INSERT INTO rows_wide SELECT 'bench', $1, prediction_id, epoch_ms(timestamp), prediction, probability, NULL, ${[...NUMERIC, ...CATEGORICAL].join(', ')} FROM batch`,
          [`batch-${batch}`]
        );
        await timed('commit_wide', 'COMMIT');
        await connection.run('DROP TABLE batch');
      });
      rows += BATCH_ROWS;
      process.stderr.write(`batch ${batch + 1}/${batches}\n`);
    }
    const perSecond = (spent: number) => Math.round(rows / spent);
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
        total_rows: rows,
        batch_rows: BATCH_ROWS,
        features: NUMERIC.length + CATEGORICAL.length,
        duckdb_memory_limit: config.duckdbMemoryLimit,
      },
      seconds_per_batch: Object.fromEntries(
        Object.entries(seconds).map(([step, spent]) => [step, Math.round((spent / (rows / BATCH_ROWS)) * 1000) / 1000])
      ),
      rows_per_second: {
        read: perSecond(seconds.read),
        insert_and_commit: perSecond(seconds.insert + seconds.commit),
        floor: perSecond(seconds.read + seconds.insert + seconds.commit),
        insert_and_commit_wide: perSecond(seconds.insert_wide + seconds.commit_wide),
        floor_wide: perSecond(seconds.read + seconds.insert_wide + seconds.commit_wide),
      },
      database_file_mb: Math.round(statSync(dbPath).size / 1048576),
    });
  } finally {
    await database.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

runBenchmark(main);
