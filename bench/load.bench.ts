/**
 * Read/ingest load benchmark, loopback only: 50 dashboard clients (autocannon) reading summaries,
 * trends and deep dives, alone and during sustained ingestion (one client posting batches back to
 * back); then /healthz latency while 10 clients run uncached 90-day hourly `series=all` trends,
 * with the expensive-read gate at its default and effectively off (DRIFTGUARD_QUERY_CONCURRENCY),
 * and with two trend worker threads (DRIFTGUARD_TREND_THREADS=2; one by default),
 * side by side in one run, each on a fresh server whose event-loop delay and GC pauses are reported
 * beside it (bench/event-loop-monitor.ts). With BENCH_BASELINE naming another checkout of the repository (an older
 * build: `git archive <commit> drift-server/src drift-server/package.json bench | tar -x -C <dir>`
 * and a node_modules link), that phase also runs on its server, over the same database, just before
 * this build's.
 *
 *   npm run bench:load -w drift-server
 *   BENCH_ROWS=300000 BENCH_SECONDS=10 npm run bench:load -w drift-server     (quick)
 *   BENCH_PHASES=health npm run bench:load -w drift-server                    (only the /healthz phases)
 */
import { execSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import autocannon from 'autocannon';
import { batchBody, CATEGORICAL, DAY_MS, END_MS, NUMERIC, START_MS } from './prediction-data';
import { ServerChild, startServerChild } from './server-child';
import { percentiles, publishResults, quantile, runBenchmark } from './timing';
import { HOUR_MS } from '../drift-server/src/time';

const TOTAL_ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const INGEST_BATCH_ROWS = Number(process.env.BENCH_INGEST_BATCH_ROWS ?? 20_000);
const DASHBOARD_CLIENTS = 50;
const TREND_CLIENTS = 10;
const TOKEN = 'bench-admin-token-0123456789';
const BASELINE = process.env.BENCH_BASELINE;
/** `dashboards` (reads alone and during ingestion) and `health` (/healthz under expensive trends); both by default. */
const PHASES = new Set((process.env.BENCH_PHASES ?? 'dashboards,health').split(','));

async function stop(server: ServerChild): Promise<void> {
  server.child.kill('SIGTERM');
  await server.exited;
}

const headers = { authorization: `Bearer ${TOKEN}` };

async function post(url: string, path: string, body: Buffer | string, contentType: string): Promise<void> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    body,
    headers: { ...headers, 'content-type': contentType },
  });
  if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
  await response.arrayBuffer();
}

/** What a dashboard refresh asks for, over windows ending at one of 24 hours (so the result cache answers some, not all). */
function dashboardPath(run: number): string {
  const to = END_MS - (run % 24) * HOUR_MS;
  const queries = [
    `/api/v1/models/bench/summary?from=${to - 7 * DAY_MS}&to=${to}`,
    `/api/v1/models/bench/trends?from=${to - 30 * DAY_MS}&to=${to}&interval=1d&series=features`,
    `/api/v1/models/bench/features/num_1?from=${to - 7 * DAY_MS}&to=${to}`,
    `/api/v1/models/bench/trends?from=${to - 7 * DAY_MS}&to=${to}&interval=1h&features=num_1,cat_1&series=features`,
  ];
  return queries[Math.floor(run / 24) % queries.length];
}

interface LoadFigures {
  readonly requests: number;
  readonly errors: number;
  readonly non_2xx: number;
  readonly p50_ms: number;
  readonly p99_ms: number;
  readonly max_ms: number;
  readonly requests_per_second: number;
}

async function dashboards(url: string): Promise<LoadFigures> {
  let run = 0;
  const result = await autocannon({
    url,
    connections: DASHBOARD_CLIENTS,
    // A slow answer is a latency, not an error: only failures and non-2xx answers count as errors.
    timeout: 120,
    duration: SECONDS,
    headers,
    requests: [{ setupRequest: (request) => ({ ...request, path: dashboardPath((run += 1)) }) }],
  });
  return {
    requests: result.requests.total,
    errors: result.errors + result.timeouts,
    non_2xx: result.non2xx,
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    max_ms: result.latency.max,
    requests_per_second: Math.round(result.requests.average),
  };
}

/** Posts NDJSON batches back to back until `until` resolves; rows per second over the whole time. */
async function ingest(
  url: string,
  until: Promise<unknown>,
  firstId: number
): Promise<{ batches: number; rows_per_second: number }> {
  let done = false;
  void until.then(() => (done = true));
  const started = performance.now();
  let batches = 0;
  while (!done) {
    const id = firstId + batches * INGEST_BATCH_ROWS;
    const at = END_MS - DAY_MS + (batches % 24) * HOUR_MS;
    await post(
      url,
      '/api/v1/models/bench/predictions',
      batchBody('ndjson', id, INGEST_BATCH_ROWS, at, at + HOUR_MS),
      'application/x-ndjson'
    );
    batches += 1;
  }
  return {
    batches,
    rows_per_second: Math.round((batches * INGEST_BATCH_ROWS) / ((performance.now() - started) / 1000)),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Times GET `url` every 20 ms (after a 500 ms start) until `deadline`, from a worker thread of its
 * own: in this thread the trend clients receive 14 MB answers, which would delay the probe's own
 * timing by tens of milliseconds and count against the server.
 */
function probeInWorker(url: string, status: number, deadline: number): Promise<{ times: number[]; errors: number }> {
  const source = `
    const { parentPort, workerData: { url, status, deadline } } = require('node:worker_threads');
    const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
    (async () => {
      const times = [];
      let errors = 0;
      await sleep(500);
      while (Date.now() < deadline) {
        const started = performance.now();
        const response = await fetch(url);
        await response.arrayBuffer();
        if (response.status !== status) errors += 1;
        times.push(performance.now() - started);
        await sleep(20);
      }
      parentPort.postMessage({ times, errors });
    })();`;
  const worker = new Worker(source, { eval: true, workerData: { url, status, deadline } });
  return new Promise((resolve, reject) => {
    worker.once('message', (result: { times: number[]; errors: number }) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

/**
 * /healthz every 20 ms while TREND_CLIENTS clients each run uncached 90-day hourly series=all
 * trends for SECONDS; beside it, an unknown path (a 404 problem that touches no database), so the
 * event loop's share of /healthz's wait shows apart from its DuckDB ping's.
 */
async function healthUnderTrends(url: string, offset: number) {
  const deadline = Date.now() + SECONDS * 1000;
  const trendTimes: number[] = [];
  let errors = 0;
  let window = offset;
  const trendClient = async () => {
    while (Date.now() < deadline) {
      window += 1;
      const to = END_MS - (window % 1000) * HOUR_MS;
      const started = performance.now();
      const response = await fetch(
        `${url}/api/v1/models/bench/trends?from=${to - 90 * DAY_MS}&to=${to}&interval=1h&series=all`,
        { headers }
      );
      if (!response.ok) errors += 1;
      await response.arrayBuffer();
      trendTimes.push(performance.now() - started);
    }
  };
  const [healthProbe, noDatabaseProbe] = [
    { path: '/healthz', status: 200 },
    { path: '/no-such-path', status: 404 },
  ].map(({ path, status }) => probeInWorker(`${url}${path}`, status, deadline));
  await Promise.all(Array.from({ length: TREND_CLIENTS }, trendClient));
  const [health, noDatabase] = await Promise.all([healthProbe, noDatabaseProbe]);
  errors += health.errors + noDatabase.errors;
  const [healthTimes, noDatabaseTimes] = [health.times, noDatabase.times];
  const withP99 = (times: number[]) => ({
    ...percentiles(times),
    p99_ms:
      Math.round(
        quantile(
          [...times].sort((a, b) => a - b),
          0.99
        ) * 10
      ) / 10,
  });
  return {
    healthz: withP99(healthTimes),
    no_database_404: withP99(noDatabaseTimes),
    trends: percentiles(trendTimes),
    trend_requests: trendTimes.length,
    errors,
  };
}

async function main(): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 'driftguard-load-'));
  const dbPath = join(directory, 'load.duckdb');
  const results: Record<string, unknown> = {
    machine: {
      nproc: Number(execSync('nproc').toString().trim()),
      cpu: cpus()[0]?.model ?? 'unknown',
      node: process.version,
      load_average_at_start: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
    },
    settings: {
      total_rows: TOTAL_ROWS,
      seconds_per_phase: SECONDS,
      dashboard_clients: DASHBOARD_CLIENTS,
      trend_clients: TREND_CLIENTS,
      ingest_batch_rows: INGEST_BATCH_ROWS,
    },
  };
  let server = await startServerChild(dbPath, TOKEN);
  try {
    const features = [
      ...NUMERIC.map((name) => ({ name, kind: 'numeric' })),
      ...CATEGORICAL.map((name) => ({ name, kind: 'categorical' })),
    ];
    await post(
      server.url,
      '/api/v1/models',
      JSON.stringify({ id: 'bench', features, columns: { label: null } }),
      'application/json'
    );
    await post(
      server.url,
      '/api/v1/models/bench/references',
      batchBody('ndjson', 0, 20_000, START_MS, END_MS),
      'application/x-ndjson'
    );
    const batches = 10;
    for (let batch = 0; batch < batches; batch += 1) {
      const span = (END_MS - START_MS) / batches;
      await post(
        server.url,
        '/api/v1/models/bench/predictions',
        batchBody(
          'csv',
          1_000_000 + batch * (TOTAL_ROWS / batches),
          TOTAL_ROWS / batches,
          START_MS + batch * span,
          START_MS + (batch + 1) * span
        ),
        'text/csv'
      );
      process.stderr.write(`loaded batch ${batch + 1}/${batches}\n`);
    }

    if (PHASES.has('dashboards')) {
      process.stderr.write('dashboards alone\n');
      const alone = await dashboards(server.url);
      process.stderr.write('ingestion alone\n');
      const ingestionAlone = await ingest(server.url, sleep(SECONDS * 1000), 100_000_000);
      process.stderr.write('dashboards during ingestion\n');
      const reading = dashboards(server.url);
      const ingestionBeside = await ingest(server.url, reading, 200_000_000);
      const beside = await reading;
      results.dashboards = {
        alone,
        during_ingestion: beside,
        p99_ratio_during_over_alone: Math.round((beside.p99_ms / alone.p99_ms) * 100) / 100,
        ingestion_alone: ingestionAlone,
        ingestion_beside_dashboards: ingestionBeside,
        ingestion_ratio_beside_over_alone:
          Math.round((ingestionBeside.rows_per_second / ingestionAlone.rows_per_second) * 100) / 100,
      };
    }

    await stop(server);
    if (!PHASES.has('health')) return publishResults('load', results);

    const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
    /** One /healthz phase on a fresh server of `checkout` (this build by default), with its event loop's figures. */
    const healthPhase = async (label: string, offset: number, env: Record<string, string> = {}, checkout?: string) => {
      process.stderr.write(`healthz under expensive trends, ${label}\n`);
      server = await startServerChild(dbPath, TOKEN, env, checkout);
      server.resetEventLoop();
      const figures = await healthUnderTrends(server.url, offset);
      await stop(server);
      return { ...figures, server_event_loop: await server.eventLoop };
    };
    const baseline = BASELINE
      ? await healthPhase(`gate at its default (2), baseline build ${BASELINE}`, 2500, {}, BASELINE)
      : undefined;
    const gated = await healthPhase('gate at its default (2)', 0);
    const ungated = await healthPhase('gate off', 5000, { DRIFTGUARD_QUERY_CONCURRENCY: '1000' });
    const twoThreads = await healthPhase('gate 2, two trend threads', 7500, { DRIFTGUARD_TREND_THREADS: '2' });
    results.healthz_under_expensive_trends = {
      gate_2: gated,
      gate_off: ungated,
      gate_2_two_trend_threads: twoThreads,
      healthz_p99_ratio_off_over_gate: ratio(ungated.healthz.p99_ms, gated.healthz.p99_ms),
      healthz_p99_ratio_two_threads_over_one: ratio(twoThreads.healthz.p99_ms, gated.healthz.p99_ms),
      trends_p50_ratio_two_threads_over_one: ratio(twoThreads.trends.p50_ms, gated.trends.p50_ms),
      ...(baseline && {
        baseline: { checkout: BASELINE, gate_2: baseline },
        healthz_p99_ratio_baseline_over_this: ratio(baseline.healthz.p99_ms, gated.healthz.p99_ms),
        healthz_p50_ratio_baseline_over_this: ratio(baseline.healthz.p50_ms, gated.healthz.p50_ms),
        trends_p50_ratio_this_over_baseline: ratio(gated.trends.p50_ms, baseline.trends.p50_ms),
      }),
    };
  } finally {
    await stop(server);
    rmSync(directory, { recursive: true, force: true });
  }
  publishResults('load', results);
}

runBenchmark(main);
