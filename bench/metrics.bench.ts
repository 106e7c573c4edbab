/**
 * GET /metrics benchmark: scrape latency with 50 models × 50 features (40 numeric, 10 categorical)
 * on an in-process drift-server over a fresh DuckDB file.
 *
 * Cold: every model's data changed since the last scrape (the store's change counter is bumped, as
 * any batch does), so every summary and health figure is recomputed. Warm: nothing changed, so the
 * engine's result cache answers. Concurrent: ten scrapes at once after a change, sharing one refresh.
 *
 *   npm run bench:metrics -w drift-server
 *   BENCH_MODELS=10 BENCH_ROWS_PER_HOUR=50 npm run bench:metrics -w drift-server   (quick)
 */
import { execSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { percentiles, publishResults, runBenchmark } from './timing';
import { silentLogger } from '../drift-server/src/logger';
import { loadConfig } from '../drift-server/src/config';
import { startServer } from '../drift-server/src/server';
import { HOUR_MS } from '../drift-server/src/time';

const MODELS = Number(process.env.BENCH_MODELS ?? 50);
const NUMERIC_FEATURES = 40;
const CATEGORICAL_FEATURES = 10;
const REFERENCE_ROWS = Number(process.env.BENCH_REFERENCE_ROWS ?? 2_000);
const HOURS = Number(process.env.BENCH_HOURS ?? 24);
const ROWS_PER_HOUR = Number(process.env.BENCH_ROWS_PER_HOUR ?? 100);
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 20);
const WARM_RUNS = Number(process.env.BENCH_WARM_RUNS ?? 100);
const CONCURRENT_ROUNDS = 5;
const CONCURRENT_SCRAPES = 10;
const TOKEN = 'bench-admin-token-0123456789';

const NUMERIC = Array.from({ length: NUMERIC_FEATURES }, (_, index) => `num_${index}`);
const CATEGORICAL = Array.from({ length: CATEGORICAL_FEATURES }, (_, index) => `cat_${index}`);

/** xorshift: fast deterministic values, so generation does not dominate the client side. */
function generator(seed: number) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

/** NDJSON rows; `shift` moves every numeric feature, so later models drift more. */
function rowsBody(seed: number, count: number, shift: number, timestampOf?: (row: number) => number): string {
  const random = generator(seed);
  const lines: string[] = [];
  for (let row = 0; row < count; row += 1) {
    const record: Record<string, string | number> = {};
    if (timestampOf) {
      record.prediction_id = `p${seed}-${row}`;
      record.timestamp = new Date(timestampOf(row)).toISOString();
    }
    NUMERIC.forEach(
      (name, index) =>
        (record[name] = Math.round((index + shift + (random() + random() + random() - 1.5) * 4) * 1000) / 1000)
    );
    CATEGORICAL.forEach((name, index) => (record[name] = `c${Math.floor(random() * (3 + index))}`));
    const probability = Math.round(random() * 10_000) / 10_000;
    record.prediction = probability >= 0.5 ? 1 : 0;
    record.probability = probability;
    record.label = random() < probability ? 1 : 0;
    lines.push(JSON.stringify(record));
  }
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 'driftguard-metrics-bench-'));
  const config = loadConfig(
    { DRIFTGUARD_TOKENS: `admin=${TOKEN}`, DRIFTGUARD_LOG_REQUESTS: 'false' },
    { port: 0, host: '127.0.0.1', dbPath: join(directory, 'bench.duckdb') }
  );
  const server = await startServer(config, { logger: silentLogger });
  const call = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${server.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${TOKEN}`, ...init.headers },
    });
    if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${await response.text()}`);
    return response;
  };
  const scrape = async () => (await call('/metrics')).text();
  try {
    const features = [
      ...NUMERIC.map((name) => ({ name, kind: 'numeric' })),
      ...CATEGORICAL.map((name) => ({ name, kind: 'categorical' })),
    ];
    const business = {
      currency: 'EUR',
      cost_per_error: 10,
      retrain_cost: 5_000,
      retrain_duration_days: 3,
      horizon_days: 60,
    };
    const windowEnd = Math.ceil(Date.now() / HOUR_MS) * HOUR_MS;
    const loadStarted = performance.now();
    for (let model = 0; model < MODELS; model += 1) {
      const id = `model-${String(model).padStart(2, '0')}`;
      const ndjson = { 'content-type': 'application/x-ndjson' };
      await call('/api/v1/models', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id, features, business }),
      });
      await call(`/api/v1/models/${id}/references`, {
        method: 'POST',
        headers: ndjson,
        body: rowsBody(model + 1, REFERENCE_ROWS, 0),
      });
      const productionRows = HOURS * ROWS_PER_HOUR;
      const body = rowsBody(
        1000 + model,
        productionRows,
        model / MODELS,
        (row) => windowEnd - HOURS * HOUR_MS + Math.floor((row * HOURS * HOUR_MS) / productionRows)
      );
      await call(`/api/v1/models/${id}/predictions`, { method: 'POST', headers: ndjson, body });
      process.stderr.write(`loaded ${id}\n`);
    }
    const loadSeconds = (performance.now() - loadStarted) / 1000;

    const exposition = await scrape();
    const psiSeries = exposition.split('\n').filter((line) => line.startsWith('driftguard_feature_psi{')).length;
    const healthSeries = exposition
      .split('\n')
      .filter((line) => line.startsWith('driftguard_model_health_score{')).length;
    if (psiSeries !== MODELS * features.length || healthSeries !== MODELS) {
      throw new Error(
        `expected ${MODELS * features.length} PSI and ${MODELS} health series, got ${psiSeries} and ${healthSeries}`
      );
    }

    const timed = async (before: () => void, runs: number) => {
      const times: number[] = [];
      for (let run = 0; run < runs; run += 1) {
        before();
        const started = performance.now();
        await scrape();
        times.push(performance.now() - started);
      }
      return percentiles(times);
    };
    const dataChanged = () => server.store.changes.touchAll();
    await timed(() => undefined, 5);
    const cold = await timed(dataChanged, COLD_RUNS);
    const warm = await timed(() => undefined, WARM_RUNS);
    const concurrentTimes: number[] = [];
    for (let round = 0; round < CONCURRENT_ROUNDS; round += 1) {
      dataChanged();
      const started = performance.now();
      await Promise.all(Array.from({ length: CONCURRENT_SCRAPES }, scrape));
      concurrentTimes.push(performance.now() - started);
    }

    const results = {
      machine: {
        nproc: Number(execSync('nproc').toString().trim()),
        cpu: cpus()[0]?.model ?? 'unknown',
        node: process.version,
        memory_gb: Math.round(
          Number(/MemTotal:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))![1]) / 1024 / 1024
        ),
      },
      settings: {
        models: MODELS,
        features_per_model: features.length,
        reference_rows_per_model: REFERENCE_ROWS,
        production_hours: HOURS,
        production_rows_per_hour: ROWS_PER_HOUR,
        metrics_window_hours: config.metrics.windowHours,
      },
      load_seconds: Math.round(loadSeconds),
      exposition: {
        bytes: Buffer.byteLength(exposition),
        samples: exposition.split('\n').filter((line) => line !== '' && !line.startsWith('#')).length,
      },
      scrape_cold: cold,
      scrape_warm: warm,
      [`scrape_${CONCURRENT_SCRAPES}_concurrent_cold`]: percentiles(concurrentTimes),
    };
    publishResults('metrics', results);
  } finally {
    await server.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

runBenchmark(main);
