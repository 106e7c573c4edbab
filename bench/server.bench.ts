/**
 * drift-server benchmark: whether query cost is independent of the rows stored, ingestion throughput
 * (20 features, NDJSON and CSV), and server RSS during a 1 GB streamed upload.
 *
 * Rows are loaded in stages (1 M, then up to 10 M), each stage's batches spread over the same 90
 * days, so every stage has the same hours and bins and only the rows per hour grow. After each stage
 * the same queries are timed; the ratio of each query's p95 at the last stage to the first is
 * printed. Query latency is measured cold (a different window each run, so the result cache never
 * hits) and warm (the same query repeated, as dashboards refreshing do), over HTTP from this process.
 * After the server has stopped, the rows and blocks of every table are read from its file.
 *
 *   npm run bench:server -w drift-server            (full run: 1 M then 10 M rows, 1 GB upload)
 *   BENCH_STAGE_ROWS=250000,1000000 BENCH_UPLOAD_MB=50 BENCH_QUERY_RUNS=30 BENCH_DEEP_DIVE_RUNS=10 \
 *     npm run bench:server -w drift-server        (quick)
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { execSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  batchBody,
  CATEGORICAL,
  DAY_MS,
  END_MS,
  generator,
  ndjsonLine,
  NUMERIC,
  rowValues,
  START_MS,
} from './prediction-data';
import { startServerChild } from './server-child';
import { percentiles, publishResults, runBenchmark } from './timing';
import { HOUR_MS } from '../drift-server/src/time';

const STAGE_ROWS = (process.env.BENCH_STAGE_ROWS ?? '1000000,10000000').split(',').map(Number);
const BATCH_ROWS = Number(process.env.BENCH_BATCH_ROWS ?? 250_000);
const UPLOAD_BYTES = Number(process.env.BENCH_UPLOAD_MB ?? 1024) * 1024 * 1024;
const QUERY_RUNS = Number(process.env.BENCH_QUERY_RUNS ?? 200);
/** Fewer runs for the deep dive: it reads raw rows, so each run costs far more than an aggregate read. */
const DEEP_DIVE_RUNS = Number(process.env.BENCH_DEEP_DIVE_RUNS ?? 50);
const TOKEN = 'bench-admin-token-0123456789';

type Call = (path: string, init?: RequestInit) => Promise<Response>;

/** Each query's path for a window ending at `endMs`, and how many runs it is timed over. */
const QUERIES: Record<string, { path: (endMs: number) => string; runs: number }> = {
  summary_30d: {
    path: (endMs) => `/api/v1/models/bench/summary?from=${endMs - 30 * DAY_MS}&to=${endMs}`,
    runs: QUERY_RUNS,
  },
  summary_90d: {
    path: (endMs) => `/api/v1/models/bench/summary?from=${endMs - 90 * DAY_MS}&to=${endMs}`,
    runs: QUERY_RUNS,
  },
  summary_7d_previous_period: {
    path: (endMs) => `/api/v1/models/bench/summary?from=${endMs - 7 * DAY_MS}&to=${endMs}&reference=previous_period`,
    runs: QUERY_RUNS,
  },
  trends_90d_daily_all_features: {
    path: (endMs) => `/api/v1/models/bench/trends?from=${endMs - 90 * DAY_MS}&to=${endMs}&interval=1d&series=features`,
    runs: QUERY_RUNS,
  },
  trends_90d_hourly_one_feature: {
    path: (endMs) =>
      `/api/v1/models/bench/trends?from=${endMs - 90 * DAY_MS}&to=${endMs}&interval=1h&features=num_1&series=features`,
    runs: QUERY_RUNS,
  },
  model_series_90d_daily: {
    path: (endMs) => `/api/v1/models/bench/trends?from=${endMs - 90 * DAY_MS}&to=${endMs}&interval=1d&series=model`,
    runs: QUERY_RUNS,
  },
  model_series_90d_hourly: {
    path: (endMs) => `/api/v1/models/bench/trends?from=${endMs - 90 * DAY_MS}&to=${endMs}&interval=1h&series=model`,
    runs: QUERY_RUNS,
  },
  deep_dive_30d_one_numeric_feature: {
    path: (endMs) => `/api/v1/models/bench/features/num_1?from=${endMs - 30 * DAY_MS}&to=${endMs}`,
    runs: DEEP_DIVE_RUNS,
  },
};

function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

/** The database file and its write-ahead log, in MB. */
function fileMegabytes(dbPath: string): number {
  const wal = `${dbPath}.wal`;
  return Math.round((statSync(dbPath).size + (existsSync(wal) ? statSync(wal).size : 0)) / 1048576);
}

/** p50/p95 of `runs` requests after five unmeasured ones; `pathFor(run)` varies the window per run (cold) or not (warm). */
async function latency(call: Call, runs: number, pathFor: (run: number) => string) {
  for (let run = 0; run < 5; run += 1) await (await call(pathFor(-1 - run))).arrayBuffer();
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    await (await call(pathFor(run))).arrayBuffer();
    times.push(performance.now() - started);
  }
  return percentiles(times);
}

/**
 * Posts `rows` more production rows in batches alternating NDJSON and CSV, their timestamps spread
 * evenly over the whole 90 days whatever the stage, ids continuing after the `loaded` rows before.
 */
async function load(call: Call, loaded: number, rows: number) {
  const ingestion = { ndjson: { rows: 0, seconds: 0, bytes: 0 }, csv: { rows: 0, seconds: 0, bytes: 0 } };
  const batches = Math.ceil(rows / BATCH_ROWS);
  const span = (END_MS - START_MS) / batches;
  for (let batch = 0; batch < batches; batch += 1) {
    const format = batch % 2 === 0 ? 'ndjson' : 'csv';
    const batchRows = Math.min(BATCH_ROWS, rows - batch * BATCH_ROWS);
    const body = batchBody(
      format,
      1_000_000 + loaded + batch * BATCH_ROWS,
      batchRows,
      START_MS + batch * span,
      START_MS + (batch + 1) * span
    );
    const started = performance.now();
    await call('/api/v1/models/bench/predictions', {
      method: 'POST',
      headers: { 'content-type': format === 'csv' ? 'text/csv' : 'application/x-ndjson' },
      body,
    });
    const seconds = (performance.now() - started) / 1000;
    ingestion[format].rows += batchRows;
    ingestion[format].seconds += seconds;
    ingestion[format].bytes += body.length;
    process.stderr.write(
      `${loaded + (batch + 1) * BATCH_ROWS} rows, ${format}: ${Math.round(batchRows / seconds)} rows/s\n`
    );
  }
  return Object.fromEntries(
    Object.entries(ingestion).map(([format, figures]) => [
      format,
      {
        ...figures,
        rows_per_second: Math.round(figures.rows / figures.seconds),
        mb_per_second: Math.round(figures.bytes / 1048576 / figures.seconds),
      },
    ])
  );
}

type Latency = ReturnType<typeof percentiles>;

/** What one stage measured once its rows were loaded. */
interface Stage {
  readonly stored_rows: number;
  readonly ingestion: Awaited<ReturnType<typeof load>>;
  readonly queries: Record<string, Record<'cold' | 'warm', Latency>>;
  readonly database_file_mb: number;
  readonly server_rss_mb: number;
  readonly load_average: number[];
}

/** Each query's p95 at the `last` stage divided by its p95 at the `first`, cold and warm. */
function p95Ratios(first: Stage, last: Stage) {
  return Object.fromEntries(
    Object.keys(QUERIES).map((name) => [
      name,
      Object.fromEntries(
        (['cold', 'warm'] as const).map((kind) => [
          kind,
          Math.round((last.queries[name][kind].p95_ms / first.queries[name][kind].p95_ms) * 100) / 100,
        ])
      ),
    ])
  );
}

/** Rows and 256 KB blocks of every table in the file, read once the server has closed it. */
async function tableSizes(dbPath: string) {
  const instance = await DuckDBInstance.create(dbPath, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  const tables = (
    await connection.runAndReadAll(
      `SELECT table_name FROM duckdb_tables() WHERE estimated_size > 0 ORDER BY table_name`
    )
  ).getRowObjectsJS() as { table_name: string }[];
  const sizes: Record<string, { rows: number; blocks: number }> = {};
  for (const { table_name: name } of tables) {
    const [row] = (
      await connection.runAndReadAll(
        `SELECT (SELECT count(*) FROM "${name}") AS rows, count(DISTINCT block_id) AS blocks FROM pragma_storage_info('${name}') WHERE block_id >= 0`
      )
    ).getRowObjectsJS() as { rows: bigint; blocks: bigint }[];
    sizes[name] = { rows: Number(row.rows), blocks: Number(row.blocks) };
  }
  connection.closeSync();
  instance.closeSync();
  return sizes;
}

async function main(): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 'driftguard-bench-'));
  const dbPath = join(directory, 'bench.duckdb');
  const server = await startServerChild(dbPath, TOKEN);
  const call = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${server.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${TOKEN}`, ...(init.headers as Record<string, string>) },
    });
    if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${await response.text()}`);
    return response;
  };
  const results: Record<string, unknown> = {
    machine: {
      nproc: Number(execSync('nproc').toString().trim()),
      cpu: cpus()[0]?.model ?? 'unknown',
      node: process.version,
      memory_gb: Math.round(Number(/MemTotal:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))![1]) / 1024 / 1024),
    },
    settings: {
      stage_rows: STAGE_ROWS,
      batch_rows: BATCH_ROWS,
      upload_bytes: UPLOAD_BYTES,
      query_runs: QUERY_RUNS,
      deep_dive_runs: DEEP_DIVE_RUNS,
      features: 20,
    },
  };
  try {
    const features = [
      ...NUMERIC.map((name) => ({ name, kind: 'numeric' })),
      ...CATEGORICAL.map((name) => ({ name, kind: 'categorical' })),
    ];
    await call('/api/v1/models', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'bench', features, columns: { label: null } }),
    });
    await call('/api/v1/models/bench/references', {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: batchBody('ndjson', 0, 100_000, START_MS, END_MS),
    });

    let loaded = 0;
    const stages: Stage[] = [];
    for (const target of STAGE_ROWS) {
      const ingestion = await load(call, loaded, target - loaded);
      loaded = target;
      const queryResults: Stage['queries'] = {};
      for (const [name, { path, runs }] of Object.entries(QUERIES)) {
        queryResults[name] = {
          cold: await latency(call, runs, (run) => path(END_MS - (run + 10) * HOUR_MS)),
          warm: await latency(call, runs, () => path(END_MS)),
        };
      }
      stages.push({
        stored_rows: loaded,
        ingestion,
        queries: queryResults,
        database_file_mb: fileMegabytes(dbPath),
        server_rss_mb: Math.round(rssBytes(server.child.pid!) / 1048576),
        load_average: loadavg().map((value) => Math.round(value * 100) / 100),
      });
    }
    results.stages = stages;
    results.p95_ratio_last_to_first_stage = p95Ratios(stages[0], stages[stages.length - 1]);

    // One streamed upload of UPLOAD_BYTES of NDJSON, generated on the fly, while the server's RSS is sampled.
    const peak = { rss: rssBytes(server.child.pid!) };
    const idle = peak.rss;
    const sampler = setInterval(() => (peak.rss = Math.max(peak.rss, rssBytes(server.child.pid!))), 100);
    let sent = 0;
    let rows = 0;
    const random = generator(99);
    const upload = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= UPLOAD_BYTES) return controller.close();
        const lines: string[] = [];
        for (let index = 0; index < 2000; index += 1, rows += 1) {
          lines.push(ndjsonLine(rowValues(random, 50_000_000 + rows, END_MS - DAY_MS + (rows % 86_400) * 1000, 0)));
        }
        const chunk = Buffer.from(lines.join(''));
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const started = performance.now();
    const response = await call('/api/v1/models/bench/predictions', {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: upload,
      duplex: 'half',
    } as RequestInit);
    const stored = (await response.json()) as { rows: number };
    clearInterval(sampler);
    const seconds = (performance.now() - started) / 1000;
    results.large_upload = {
      bytes: sent,
      rows: stored.rows,
      seconds: Math.round(seconds * 10) / 10,
      rows_per_second: Math.round(stored.rows / seconds),
      server_rss_before_mb: Math.round(idle / 1048576),
      server_rss_peak_mb: Math.round(peak.rss / 1048576),
    };
    results.database_file_mb = fileMegabytes(dbPath);
    results.load_average_end = loadavg().map((value) => Math.round(value * 100) / 100);
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
  }
  try {
    results.table_sizes = await tableSizes(dbPath);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
  publishResults('server', results);
}

runBenchmark(main);
