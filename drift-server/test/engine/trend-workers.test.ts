import { DriftEngine, modelTrend, parseInterval, TrendSeriesChoice } from '../../src/engine';
import { DEFAULT_THRESHOLDS } from '../../src/stats';
import type { TrendDocumentJob } from '../../src/engine/trend-document';
import { TrendWorkers } from '../../src/engine/trend-workers';
import { MODEL_ID, modelBody, rows, toNdjson } from '../api/data';
import { startServerWithModel, TestServer } from '../api/harness';

const HOUR = 3_600_000;
const START = Date.UTC(2026, 5, 1);
const WINDOW = { fromMs: START, toMs: START + 48 * HOUR };

/**
 * Trend answers computed in worker threads (engine/trend-workers.ts) are the JSON of what the
 * engine computes on the event loop, for every series choice, feature selection and baseline.
 */
describe('trend answers from worker threads', () => {
  let t: TestServer;
  let workers: DriftEngine;
  let inProcess: DriftEngine;

  beforeAll(async () => {
    t = await startServerWithModel(toNdjson(rows(960, 2, { startMs: START, stepMs: 3 * 60_000, shift: 0.6 })));
    workers = new DriftEngine(t.server.store, { trendThreads: 2 });
    inProcess = new DriftEngine(t.server.store);
  });
  afterAll(async () => {
    await workers.close();
    await t.stop();
  });

  const cases: Array<{ series: TrendSeriesChoice; features?: string[]; baseline: 'reference' | 'previous_period' }> = [
    { series: 'all', baseline: 'reference' },
    { series: 'features', features: ['income'], baseline: 'reference' },
    { series: 'model', baseline: 'reference' },
    { series: 'all', features: ['region', 'income'], baseline: 'previous_period' },
  ];

  it.each(cases)(
    'series=$series features=$features baseline=$baseline: the bytes equal JSON.stringify of the in-process trends',
    async ({ series, features, baseline }) => {
      const choice = { kind: baseline } as const;
      const intervalMs = parseInterval('1h', WINDOW);
      const completedBefore = workers.trendWorkerTasks;
      const document = await workers.trendDocument(MODEL_ID, WINDOW, intervalMs, choice, series, features);
      const trends = await inProcess.trends(MODEL_ID, WINDOW, intervalMs, choice);
      const listed = features ? trends.series.filter((item) => features.includes(item.feature)) : trends.series;
      const model =
        series === 'features' ? undefined : await modelTrend(inProcess, MODEL_ID, WINDOW, intervalMs, choice);
      const expected = JSON.stringify({
        ...trends,
        series: series === 'model' ? [] : listed,
        ...(model ? { model } : {}),
      });
      expect(JSON.parse(expected).volume).toHaveLength(48);
      expect(Buffer.from(document).toString('utf8')).toBe(expected);
      // Computed by a worker thread, not on the event loop.
      expect(workers.trendWorkerTasks).toBe(completedBefore + 1);
    }
  );

  it('refuses a feature the model lacks on the event loop, before any work is sent to a thread', async () => {
    const before = workers.trendWorkerTasks;
    await expect(
      workers.trendDocument(MODEL_ID, WINDOW, HOUR, { kind: 'reference' }, 'features', ['income', 'nope'])
    ).rejects.toThrow('model "' + MODEL_ID + '" has no feature(s) "nope"');
    expect(workers.trendWorkerTasks).toBe(before);
  });

  it('answers the same trend twice from the cache without a second computation', async () => {
    const cached = new DriftEngine(t.server.store, { trendThreads: 1, cacheSize: 16 * 1024 * 1024 });
    try {
      const first = await cached.trendDocument(MODEL_ID, WINDOW, HOUR, { kind: 'reference' }, 'all');
      // The cache admits a result once the request that computed it has its answer.
      await new Promise((resolve) => setImmediate(resolve));
      const second = await cached.trendDocument(MODEL_ID, WINDOW, HOUR, { kind: 'reference' }, 'all');
      expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
      expect(cached.trendWorkerTasks).toBe(1);
    } finally {
      await cached.close();
    }
  });

  it('rejects a job that fails in its thread with the error, and the pool goes on computing', async () => {
    const pool = new TrendWorkers(1);
    try {
      const model = await t.server.store.models.get(MODEL_ID);
      const binning = await t.server.store.references.binning(MODEL_ID);
      const comparison = {
        model,
        binning,
        window: WINDOW,
        bucketMs: HOUR,
        choice: { kind: 'reference' as const },
        history: 2,
      };
      const reads = {
        numericNames: [],
        categoricalNames: [],
        numeric: { bucket: [], feature: [], key: [], n: [] },
        categorical: { bucket: [], feature: [], key: [], n: [], categories: [] },
        volume: new Map<number, number>(),
      };
      const job: TrendDocumentJob = { comparison, reads, thresholds: DEFAULT_THRESHOLDS, series: 'features' };
      // A binning without the model's features cannot be compared.
      const broken: TrendDocumentJob = { ...job, comparison: { ...comparison, binning: { ...binning, features: {} } } };
      await expect(pool.trendDocument(broken)).rejects.toThrow("Cannot read properties of undefined (reading 'kind')");
      const document = JSON.parse(Buffer.from(await pool.trendDocument(job)).toString('utf8'));
      expect(document.series.map((item: { feature: string }) => item.feature)).toEqual(
        model.features.map((feature) => feature.name)
      );
      expect(pool.completed).toBe(1);
    } finally {
      await pool.close();
    }
  });

  it('serves the HTTP trend route from the server engine’s worker threads', async () => {
    const response = await t.call(
      `/api/v1/models/${MODEL_ID}/trends?from=${WINDOW.fromMs}&to=${WINDOW.toMs}&interval=1h&series=features`
    );
    expect(response.status).toBe(200);
    expect(((await response.json()) as { series: unknown[] }).series).toHaveLength(modelBody().features.length);
    expect(t.server.engine.trendWorkerTasks).toBeGreaterThan(0);
  });
});
