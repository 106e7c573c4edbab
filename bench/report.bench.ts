/**
 * Report benchmark: a 50-feature model (40 numeric, 10 categorical) with a week of production
 * traffic, on an in-process drift-server over a fresh DuckDB file.
 *
 * - http_pdf_cold / http_csv_cold: GET /report.pdf and /report.csv end to end after the model's data
 *   changed (the store's change counter is bumped, as any batch does), so every figure is recomputed:
 *   summary, health, 50 feature deep dives (raw rows: exact KS, descriptive statistics), daily trends.
 * - http_pdf_warm: the same with no data changed: the engine's result cache answers, the PDF is rendered.
 * - render_pdf: rendering alone, from report content already built, to the last byte.
 * The last PDF is kept as bench/results/report.pdf for a look.
 *
 *   npm run bench:report -w drift-server
 *   BENCH_ROWS_PER_HOUR=50 BENCH_RUNS=3 npm run bench:report -w drift-server   (quick)
 */
import { execSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { percentiles, publishResults, runBenchmark } from './timing';
import { jsonLogger } from '../drift-server/src/logger';
import { loadConfig } from '../drift-server/src/config';
import { DriftEngine } from '../drift-server/src/engine';
import { buildReport, reportPdf } from '../drift-server/src/reports';
import { startServer } from '../drift-server/src/server';
import { HOUR_MS } from '../drift-server/src/time';

const NUMERIC_FEATURES = 40;
const CATEGORICAL_FEATURES = 10;
const REFERENCE_ROWS = Number(process.env.BENCH_REFERENCE_ROWS ?? 10_000);
const DAYS = Number(process.env.BENCH_DAYS ?? 7);
const ROWS_PER_HOUR = Number(process.env.BENCH_ROWS_PER_HOUR ?? 200);
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
/** Features whose production values drift, so histograms and trends have something to show. */
const DRIFTING = 5;
const TOKEN = 'bench-admin-token-0123456789';
const MODEL = 'bench-50-features';

const NUMERIC = Array.from({ length: NUMERIC_FEATURES }, (_, index) => `num_${index}`);
const CATEGORICAL = Array.from({ length: CATEGORICAL_FEATURES }, (_, index) => `cat_${index}`);

/** Park–Miller: deterministic uniform values in (0, 1). */
function uniform(seed: number): () => number {
  let state = seed % 2_147_483_647 || 1;
  return () => {
    state = (state * 48_271) % 2_147_483_647;
    return state / 2_147_483_647;
  };
}

/** NDJSON rows; in production the first DRIFTING numeric features shift by up to one unit, growing over the week. */
function ndjson(seed: number, count: number, production?: { startMs: number; stepMs: number }): string {
  const random = uniform(seed);
  const lines: string[] = [];
  for (let row = 0; row < count; row += 1) {
    const record: Record<string, string | number> = {};
    const progress = row / count;
    if (production) {
      record.prediction_id = `p${row}`;
      record.timestamp = new Date(production.startMs + row * production.stepMs).toISOString();
    }
    NUMERIC.forEach((name, index) => {
      const shift = production && index < DRIFTING ? progress * (index + 1) * 0.2 : 0;
      record[name] = Math.round((index + shift + (random() + random() + random() - 1.5)) * 1000) / 1000;
    });
    CATEGORICAL.forEach((name, index) => (record[name] = `c${Math.floor(random() * (3 + index))}`));
    const probability = Math.round(random() * 10_000) / 10_000;
    record.prediction = probability >= 0.5 ? 1 : 0;
    record.probability = probability;
    record.label = random() < probability ? 1 : 0;
    lines.push(JSON.stringify(record));
  }
  return `${lines.join('\n')}\n`;
}

async function timed(runs: number, before: () => void, work: () => Promise<unknown>) {
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    before();
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  return percentiles(times);
}

function pdfBytes(doc: PDFKit.PDFDocument): Promise<number> {
  return new Promise((resolve, reject) => {
    let bytes = 0;
    doc.on('data', (chunk: Buffer) => (bytes += chunk.length));
    doc.on('end', () => resolve(bytes));
    doc.on('error', reject);
  });
}

async function main(): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 'driftguard-report-bench-'));
  const config = loadConfig(
    { DRIFTGUARD_TOKENS: `admin=${TOKEN}`, DRIFTGUARD_LOG_REQUESTS: 'false', DRIFTGUARD_RAW_RETENTION_DAYS: '36500' },
    { port: 0, host: '127.0.0.1', dbPath: join(directory, 'bench.duckdb') }
  );
  // Lifecycle and error lines only (DRIFTGUARD_LOG_REQUESTS=false), on stderr beside the results on stdout.
  const server = await startServer(config, { logger: jsonLogger((line) => process.stderr.write(line)) });
  const call = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${server.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${TOKEN}`, ...init.headers },
    });
    if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${await response.text()}`);
    return response;
  };
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
    const endMs = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
    const startMs = endMs - DAYS * 24 * HOUR_MS;
    const productionRows = DAYS * 24 * ROWS_PER_HOUR;
    const ndjsonType = { 'content-type': 'application/x-ndjson' };
    const loadStarted = performance.now();
    await call('/api/v1/models', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: MODEL, features, business }),
    });
    await call(`/api/v1/models/${MODEL}/references`, {
      method: 'POST',
      headers: ndjsonType,
      body: ndjson(1, REFERENCE_ROWS),
    });
    await call(`/api/v1/models/${MODEL}/predictions`, {
      method: 'POST',
      headers: ndjsonType,
      body: ndjson(2, productionRows, { startMs, stepMs: (endMs - startMs) / productionRows }),
    });
    const loadSeconds = (performance.now() - loadStarted) / 1000;

    const window = `from=${new Date(startMs).toISOString()}&to=${new Date(endMs).toISOString()}`;
    const dataChanged = () => server.store.changes.touchAll();
    let lastPdf = Buffer.alloc(0);
    const pdf = async () =>
      (lastPdf = Buffer.from(await (await call(`/api/v1/models/${MODEL}/report.pdf?${window}`)).arrayBuffer()));
    const csv = async () => (await call(`/api/v1/models/${MODEL}/report.csv?${window}&table=features`)).text();
    await pdf();
    const httpPdfCold = await timed(RUNS, dataChanged, pdf);
    const httpCsvCold = await timed(RUNS, dataChanged, csv);
    const httpPdfWarm = await timed(RUNS, () => undefined, pdf);
    const content = await buildReport(
      new DriftEngine(server.store),
      MODEL,
      { fromMs: startMs, toMs: endMs },
      { kind: 'reference' }
    );
    const renderPdf = await timed(
      RUNS,
      () => undefined,
      () => pdfBytes(reportPdf(content, new Date()))
    );

    const results = {
      command: 'npm run bench:report -w drift-server',
      machine: {
        nproc: Number(execSync('nproc').toString().trim()),
        cpu: cpus()[0]?.model ?? 'unknown',
        node: process.version,
        memory_gb: Math.round(
          Number(/MemTotal:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))![1]) / 1024 / 1024
        ),
        // Other work on the machine slows every figure; the one-minute load average at the end says how much.
        load_average_1m: Math.round(loadavg()[0] * 10) / 10,
      },
      settings: {
        features: features.length,
        reference_rows: REFERENCE_ROWS,
        production_days: DAYS,
        production_rows: productionRows,
        runs: RUNS,
      },
      load_seconds: Math.round(loadSeconds * 10) / 10,
      pdf: { bytes: lastPdf.length, pages: lastPdf.toString('latin1').match(/\/Type \/Page\b/g)?.length ?? 0 },
      http_pdf_cold: httpPdfCold,
      http_csv_cold: httpCsvCold,
      http_pdf_warm: httpPdfWarm,
      render_pdf: renderPdf,
    };
    publishResults('report', results, { 'report.pdf': lastPdf });
  } finally {
    await server.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

runBenchmark(main);
