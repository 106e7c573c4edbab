/**
 * drift-server benchmark: ingestion throughput (20 features, NDJSON and CSV), summary and 90-day
 * trend latency with ~10M production rows stored, and server RSS during a 1 GB streamed upload.
 * Query latency is measured cold (a different window each run, so the result cache never hits)
 * and warm (the same query repeated, as dashboards refreshing do), over HTTP from this process.
 *
 *   npm run bench:server -w drift-server            (full run: 10M rows, 1 GB upload)
 *   BENCH_ROWS=1000000 BENCH_UPLOAD_MB=100 npm run bench:server -w drift-server   (quick)
 */
import { execSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
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

const TOTAL_ROWS = Number(process.env.BENCH_ROWS ?? 10_000_000);
const BATCH_ROWS = Number(process.env.BENCH_BATCH_ROWS ?? 250_000);
const UPLOAD_BYTES = Number(process.env.BENCH_UPLOAD_MB ?? 1024) * 1024 * 1024;
const QUERY_RUNS = Number(process.env.BENCH_QUERY_RUNS ?? 200);
const TOKEN = 'bench-admin-token-0123456789';

function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
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
      total_rows: TOTAL_ROWS,
      batch_rows: BATCH_ROWS,
      upload_bytes: UPLOAD_BYTES,
      query_runs: QUERY_RUNS,
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

    const ingestion = { ndjson: { rows: 0, seconds: 0, bytes: 0 }, csv: { rows: 0, seconds: 0, bytes: 0 } };
    const batches = Math.ceil(TOTAL_ROWS / BATCH_ROWS);
    const span = (END_MS - START_MS) / batches;
    for (let batch = 0; batch < batches; batch += 1) {
      const format = batch % 2 === 0 ? 'ndjson' : 'csv';
      const rows = Math.min(BATCH_ROWS, TOTAL_ROWS - batch * BATCH_ROWS);
      const body = batchBody(
        format,
        1_000_000 + batch * BATCH_ROWS,
        rows,
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
      ingestion[format].rows += rows;
      ingestion[format].seconds += seconds;
      ingestion[format].bytes += body.length;
      process.stderr.write(`batch ${batch + 1}/${batches} ${format}: ${Math.round(rows / seconds)} rows/s\n`);
    }
    results.ingestion = Object.fromEntries(
      Object.entries(ingestion).map(([format, figures]) => [
        format,
        {
          ...figures,
          rows_per_second: Math.round(figures.rows / figures.seconds),
          mb_per_second: Math.round(figures.bytes / 1048576 / figures.seconds),
        },
      ])
    );

    /** p50/p95 of `QUERY_RUNS` requests; `pathFor(run)` varies the window per run to defeat the result cache (cold) or not (warm). */
    const latency = async (pathFor: (run: number) => string) => {
      for (let run = 0; run < 5; run += 1) await (await call(pathFor(-1 - run))).arrayBuffer();
      const times: number[] = [];
      for (let run = 0; run < QUERY_RUNS; run += 1) {
        const started = performance.now();
        await (await call(pathFor(run))).arrayBuffer();
        times.push(performance.now() - started);
      }
      return percentiles(times);
    };
    const queries: Record<string, (endMs: number) => string> = {
      summary_30d: (endMs) => `/api/v1/models/bench/summary?from=${endMs - 30 * DAY_MS}&to=${endMs}`,
      summary_90d: (endMs) => `/api/v1/models/bench/summary?from=${endMs - 90 * DAY_MS}&to=${endMs}`,
      summary_7d_previous_period: (endMs) =>
        `/api/v1/models/bench/summary?from=${endMs - 7 * DAY_MS}&to=${endMs}&reference=previous_period`,
      trends_90d_daily_all_features: (endMs) =>
        `/api/v1/models/bench/trends?from=${endMs - 90 * DAY_MS}&to=${endMs}&interval=1d&series=features`,
      trends_90d_hourly_one_feature: (endMs) =>
        `/api/v1/models/bench/trends?from=${endMs - 90 * DAY_MS}&to=${endMs}&interval=1h&features=num_1&series=features`,
      model_series_90d_daily: (endMs) =>
        `/api/v1/models/bench/trends?from=${endMs - 90 * DAY_MS}&to=${endMs}&interval=1d&series=model`,
      model_series_90d_hourly: (endMs) =>
        `/api/v1/models/bench/trends?from=${endMs - 90 * DAY_MS}&to=${endMs}&interval=1h&series=model`,
    };
    const queryResults: Record<string, unknown> = {};
    for (const [name, path] of Object.entries(queries)) {
      queryResults[name] = {
        cold: await latency((run) => path(END_MS - (run + 10) * HOUR_MS)),
        warm: await latency(() => path(END_MS)),
      };
    }
    results.queries = queryResults;

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
    results.database_file_mb = Math.round(statSync(dbPath).size / 1048576);
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
    rmSync(directory, { recursive: true, force: true });
  }
  publishResults('server', results);
}

runBenchmark(main);
