import { DriftEngine, modelHealth, TimeWindow } from '../../src/engine';
import { DEFAULT_METRICS_WINDOW_HOURS } from '../../src/config';
import { DRIFT_HOURS_LOOKBACK } from '../../src/metrics';
import { RETRAIN_JOB_STATUSES } from '../../src/store';
import { grafanaNotification, postNotification, psiAlert } from '../alerts/grafana-webhook';
import { TestServer, TOKENS } from '../api/harness';
import { toNdjson } from '../api/data';
import { DemoServer, startDemoServer } from './demo-server';
import { parseExposition, Sample, valueOf } from './exposition';
import { promtool } from './promtool';
import { HOUR_MS } from '../../src/time';

const SEVERITY_VALUES = { insufficient_data: -1, ok: 0, warning: 1, critical: 2 };
const SUMMARY_ROUTE = '/api/v1/models/:modelId/summary';
const NDJSON = { 'content-type': 'application/x-ndjson' };

async function scrape(
  t: TestServer,
  token: string | null = null
): Promise<{ status: number; contentType: string | null; text: string }> {
  const response = await t.call('/metrics', { token });
  return { status: response.status, contentType: response.headers.get('content-type'), text: await response.text() };
}

/** The window a scrape says its figures describe. */
function scrapedWindow(scraped: readonly Sample[], model: string): TimeWindow {
  const seconds = (name: string) => valueOf(scraped, name, { model }) as number;
  return {
    fromMs: seconds('driftguard_model_window_start_timestamp_seconds') * 1000,
    toMs: seconds('driftguard_model_window_end_timestamp_seconds') * 1000,
  };
}

/**
 * Scrapes until the hour did not turn while `read` ran over the scraped window, so the scrape and
 * what `read` reads describe one window (the demo's data runs past now, so the window is the
 * complete hours before now).
 */
async function withinOneWindow<T>(
  t: TestServer,
  model: string,
  read: (window: TimeWindow, scraped: Sample[]) => Promise<T>,
  token: string | null = null
): Promise<T> {
  for (;;) {
    const hour = Math.floor(Date.now() / HOUR_MS);
    const scraped = parseExposition((await scrape(t, token)).text);
    const result = await read(scrapedWindow(scraped, model), scraped);
    if (Math.floor(Date.now() / HOUR_MS) === hour) return result;
  }
}

describe('GET /metrics of a live drift-server loaded with demo scenario 2', () => {
  let demo: DemoServer;
  let model: string;
  const samples = async () => parseExposition((await scrape(demo.t)).text);
  const counterDelta = (before: Sample[], after: Sample[], name: string, labels: Record<string, string>) =>
    (valueOf(after, name, labels) ?? 0) - (valueOf(before, name, labels) ?? 0);

  beforeAll(async () => {
    demo = await startDemoServer();
    model = demo.scenario.modelId;
  });
  afterAll(() => demo?.t.stop());

  it('passes promtool check metrics, unauthenticated by default', async () => {
    const { status, contentType, text } = await scrape(demo.t);
    expect(status).toBe(200);
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(valueOf(parseExposition(text), 'driftguard_feature_psi', { model, feature: 'income' })).toBeGreaterThan(0.2);
    const result = promtool(['check', 'metrics'], text);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it('describes the complete hours before now, and serves every feature figure of the REST summary over that window', async () => {
    const { window, scraped, summary } = await withinOneWindow(demo.t, model, async (window, scraped) => ({
      window,
      scraped,
      summary: (
        await demo.t.json(`/api/v1/models/${model}/summary?from=${window.fromMs}&to=${window.toMs}`, {
          token: TOKENS.read,
        })
      ).body,
    }));
    expect(window.toMs).toBe(Math.floor(Date.now() / HOUR_MS) * HOUR_MS);
    expect(window.toMs - window.fromMs).toBe(DEFAULT_METRICS_WINDOW_HOURS * HOUR_MS);
    expect(summary.features).toHaveLength(demo.scenario.model.features.length);
    for (const feature of summary.features) {
      const labels = { model, feature: feature.feature };
      expect([feature.feature, valueOf(scraped, 'driftguard_feature_psi', labels)]).toEqual([
        feature.feature,
        feature.psi,
      ]);
      expect(valueOf(scraped, 'driftguard_feature_psi_critical', labels)).toBe(feature.psi_critical);
      expect(valueOf(scraped, 'driftguard_feature_kl_divergence', labels)).toBe(feature.kl);
      expect(valueOf(scraped, 'driftguard_feature_js_distance', labels)).toBe(feature.js);
      expect(valueOf(scraped, 'driftguard_feature_drift_severity', labels)).toBe(
        SEVERITY_VALUES[feature.severity as keyof typeof SEVERITY_VALUES]
      );
      expect(valueOf(scraped, 'driftguard_feature_drifted', labels)).toBe(
        feature.severity === 'warning' || feature.severity === 'critical' ? 1 : 0
      );
      expect(valueOf(scraped, 'driftguard_feature_window_rows', labels)).toBe(feature.production_rows);
    }
    expect(valueOf(scraped, 'driftguard_model_drifted_features', { model })).toBe(summary.drifted_features);
    expect(summary.drifted_features).toBeGreaterThanOrEqual(2);
  });

  it("counts each feature's critical and drifted hours in a row from the hourly trend before the window's end", async () => {
    const { scraped, trend } = await withinOneWindow(demo.t, model, async (window, scraped) => ({
      scraped,
      trend: (
        await demo.t.json(
          `/api/v1/models/${model}/trends?from=${window.toMs - DRIFT_HOURS_LOOKBACK * HOUR_MS}&to=${window.toMs}&interval=1h`,
          { token: TOKENS.read }
        )
      ).body,
    }));
    const inARow = (severities: string[], counted: string[]) => {
      const decided = severities.filter((severity) => severity !== 'insufficient_data').reverse();
      const broken = decided.findIndex((severity) => !counted.includes(severity));
      return broken === -1 ? decided.length : broken;
    };
    for (const series of trend.series as { feature: string; points: { severity: string }[] }[]) {
      const severities = series.points.map((point) => point.severity);
      expect(severities).toHaveLength(DRIFT_HOURS_LOOKBACK);
      const labels = { model, feature: series.feature };
      expect([series.feature, valueOf(scraped, 'driftguard_feature_critical_streak_seconds', labels)]).toEqual([
        series.feature,
        3600 * inARow(severities, ['critical']),
      ]);
      expect([series.feature, valueOf(scraped, 'driftguard_feature_drifted_streak_seconds', labels)]).toEqual([
        series.feature,
        3600 * inARow(severities, ['warning', 'critical']),
      ]);
    }
    // The loaded days are all inside the income attack: income is critical in every hour looked back on.
    expect(valueOf(scraped, 'driftguard_feature_critical_streak_seconds', { model, feature: 'income' })).toBe(
      DRIFT_HOURS_LOOKBACK * 3600
    );
  });

  it("serves the freshness of predictions and labels, and the model's own staleness limit", async () => {
    const newest = Math.max(
      ...demo.scenario.productionDay(demo.scenario.days - 1).rows.map((row) => Date.parse(String(row.timestamp)))
    );
    const before = await samples();
    expect(valueOf(before, 'driftguard_model_last_prediction_timestamp_seconds', { model })).toBe(newest / 1000);
    // The demo rows carry their labels.
    expect(valueOf(before, 'driftguard_model_last_label_timestamp_seconds', { model })).toBe(newest / 1000);
    expect(valueOf(before, 'driftguard_model_label_delay_seconds', { model })).toBe(0);
    expect(valueOf(before, 'driftguard_model_stale_after_seconds', { model })).toBe(3600);
    const patched = await demo.t.call(`/api/v1/models/${model}`, {
      method: 'PATCH',
      body: JSON.stringify({ monitoring: { stale_after_minutes: 10 } }),
      headers: { 'content-type': 'application/json' },
    });
    expect(patched.status).toBe(200);
    expect(((await patched.json()) as { monitoring: unknown }).monitoring).toEqual({ stale_after_minutes: 10 });
    expect(valueOf(await samples(), 'driftguard_model_stale_after_seconds', { model })).toBe(600);
  });

  it('serves KS of every numeric feature, computed beside the scrapes, equal to the deep dive over the metrics window', async () => {
    const numeric = demo.scenario.model.features
      .filter((feature) => feature.kind === 'numeric')
      .map((feature) => feature.name);
    const { scraped, details } = await withinOneWindow(demo.t, model, async (window, first) => {
      // The first scrape of a window starts the computation; later ones serve its result.
      let latest = first;
      for (
        let tries = 0;
        tries < 120 && valueOf(latest, 'driftguard_feature_ks_statistic', { model, feature: numeric[0] }) === undefined;
        tries += 1
      ) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        latest = await samples();
      }
      const query = `from=${window.fromMs}&to=${window.toMs}`;
      const read = (feature: string) =>
        demo.t.json(`/api/v1/models/${model}/features/${encodeURIComponent(feature)}?${query}`, { token: TOKENS.read });
      return {
        scraped: latest,
        details: await Promise.all(
          demo.scenario.model.features.map(async (feature) => (await read(feature.name)).body)
        ),
      };
    });
    for (const detail of details) {
      const labels = { model, feature: detail.drift.feature };
      expect([detail.drift.feature, valueOf(scraped, 'driftguard_feature_ks_statistic', labels)]).toEqual([
        detail.drift.feature,
        detail.drift.ks_statistic ?? undefined,
      ]);
      expect(valueOf(scraped, 'driftguard_feature_ks_pvalue', labels)).toBe(detail.drift.ks_pvalue ?? undefined);
    }
    expect(
      details.filter((detail) => detail.drift.ks_statistic !== null).map((detail) => detail.drift.feature)
    ).toEqual(numeric);
  }, 120_000);

  it('serves the model health figures of modelHealth over the metrics window and the all-time prediction count', async () => {
    const engine = new DriftEngine(demo.t.server.store);
    const { scraped, health } = await withinOneWindow(demo.t, model, async (window, scraped) => ({
      scraped,
      health: await modelHealth(engine, model, window, { kind: 'reference' }),
    }));
    const figure = (name: string) => valueOf(scraped, name, { model });
    for (const present of [
      health.health.health,
      health.accuracy.estimated,
      health.accuracy.realized,
      health.accuracy.reference,
      health.cost_benefit,
    ])
      expect(present).not.toBeNull();
    expect(figure('driftguard_model_health_score')).toBe(health.health.health);
    expect(figure('driftguard_model_health_score')).toBeLessThan(60);
    expect(figure('driftguard_model_estimated_accuracy')).toBe(health.accuracy.estimated?.value);
    expect(figure('driftguard_model_realized_accuracy')).toBe(health.accuracy.realized?.value);
    expect(figure('driftguard_model_reference_accuracy')).toBe(health.accuracy.reference?.value);
    expect(figure('driftguard_model_labelled_rows')).toBe(health.accuracy.realized?.rows);
    expect(figure('driftguard_model_min_labelled_rows')).toBe(health.accuracy.min_labelled_rows);
    expect(figure('driftguard_model_revenue_at_risk_per_day')).toBe(health.cost_benefit?.revenue_at_risk_per_day);
    expect(figure('driftguard_model_predictions_total')).toBe(10 * demo.scenario.rowsPerDay);
    for (const state of RETRAIN_JOB_STATUSES)
      expect([state, valueOf(scraped, 'driftguard_retrain_jobs', { model, state })]).toEqual([state, 0]);
  });

  it('counts requests by method, route pattern and status, never by raw path', async () => {
    const before = await samples();
    const summaryOf = (id: string, token: string | null) => demo.t.call(`/api/v1/models/${id}/summary`, { token });
    expect((await summaryOf(model, TOKENS.read)).status).toBe(200);
    expect((await summaryOf(model, TOKENS.read)).status).toBe(200);
    expect((await summaryOf('no-such-model-4711', TOKENS.read)).status).toBe(404);
    expect((await summaryOf(model, null)).status).toBe(401);
    expect((await demo.t.call('/no/route/4712', { token: null })).status).toBe(404);
    const after = await samples();

    const requests = (labels: Record<string, string>) =>
      counterDelta(before, after, 'driftguard_http_requests_total', labels);
    expect(requests({ method: 'GET', route: SUMMARY_ROUTE, status: '200' })).toBe(2);
    expect(requests({ method: 'GET', route: SUMMARY_ROUTE, status: '404' })).toBe(1);
    expect(requests({ method: 'GET', route: SUMMARY_ROUTE, status: '401' })).toBe(1);
    expect(requests({ method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
    expect(requests({ method: 'GET', route: '/metrics', status: '200' })).toBe(1);
    expect(
      counterDelta(before, after, 'driftguard_http_request_duration_seconds_count', {
        method: 'GET',
        route: SUMMARY_ROUTE,
      })
    ).toBe(4);
    const labelValues = after.flatMap((sample) => Object.values(sample.labels));
    expect(labelValues.filter((value) => value.includes('4711') || value.includes('4712'))).toEqual([]);
  });

  it('counts stored rows by kind and refused batches by model, not replays or unknown models', async () => {
    const before = await samples();
    const day = demo.scenario.productionDay(demo.scenario.days - 11).rows.slice(0, 200);
    const post = (
      id: string,
      path: string,
      rows: readonly Record<string, unknown>[],
      headers: Record<string, string> = {}
    ) =>
      demo.t.call(`/api/v1/models/${id}/${path}`, {
        method: 'POST',
        body: toNdjson(rows),
        headers: { ...NDJSON, ...headers },
        token: TOKENS.ingest,
      });
    expect((await post(model, 'predictions', day, { 'idempotency-key': 'metrics-batch-1' })).status).toBe(201);
    expect((await post(model, 'predictions', day, { 'idempotency-key': 'metrics-batch-1' })).status).toBe(200);
    expect(
      (
        await post(
          model,
          'labels',
          day.slice(0, 50).map((row) => ({ prediction_id: row.prediction_id, label: 1 }))
        )
      ).status
    ).toBe(201);
    expect((await post(model, 'predictions', [{ ...day[0], prediction_id: 'bad-row', income: 'lots' }])).status).toBe(
      400
    );
    expect((await post('no-such-model-4713', 'predictions', day.slice(0, 5))).status).toBe(404);
    const after = await samples();

    expect(counterDelta(before, after, 'driftguard_ingested_rows_total', { model, kind: 'predictions' })).toBe(200);
    expect(counterDelta(before, after, 'driftguard_ingested_rows_total', { model, kind: 'labels' })).toBe(50);
    expect(valueOf(after, 'driftguard_ingested_rows_total', { model, kind: 'reference' })).toBe(20_000);
    expect(counterDelta(before, after, 'driftguard_ingest_batches_rejected_total', { model })).toBe(1);
    expect(after.filter((sample) => sample.labels.model === 'no-such-model-4713')).toEqual([]);
    expect(valueOf(after, 'driftguard_model_predictions_total', { model })).toBe(10 * demo.scenario.rowsPerDay + 200);
  });

  it("counts the job a Grafana alert scheduled among the model's retrain jobs, and the alerts received by action", async () => {
    const patched = await demo.t.call(`/api/v1/models/${model}`, {
      method: 'PATCH',
      body: JSON.stringify({ retraining: { policy: 'auto', trainer: null } }),
      headers: { 'content-type': 'application/json' },
    });
    expect(patched.status).toBe(200);
    const notification = grafanaNotification([psiAlert(model, 'income', new Date().toISOString(), 'metrics-income')]);
    for (let delivery = 0; delivery < 2; delivery += 1)
      expect((await postNotification(demo.t, notification, { token: TOKENS.admin })).status).toBe(200);
    const [job] = await demo.t.server.store.retrainJobs.list({ modelId: model });
    const scraped = await samples();
    const jobs = RETRAIN_JOB_STATUSES.map((state) => valueOf(scraped, 'driftguard_retrain_jobs', { model, state }));
    expect(jobs.reduce((sum, count) => (sum ?? 0) + (count ?? 0), 0)).toBe(1);
    // The runner may have moved the job on between the list and the scrape, never back to scheduled.
    expect(RETRAIN_JOB_STATUSES.indexOf(job.status)).toBeLessThanOrEqual(jobs.findIndex((count) => count === 1));
    expect(valueOf(scraped, 'driftguard_alerts_received_total', { model, action: 'scheduled' })).toBe(1);
    expect(valueOf(scraped, 'driftguard_alerts_received_total', { model, action: 'duplicate' })).toBe(1);
  });
});

describe('GET /metrics with DRIFTGUARD_METRICS_TOKEN_REQUIRED=true and DRIFTGUARD_METRICS_WINDOW_HOURS=2', () => {
  const WINDOW_HOURS = 2;
  let demo: DemoServer;
  let t: TestServer;
  beforeAll(async () => {
    demo = await startDemoServer({
      DRIFTGUARD_METRICS_TOKEN_REQUIRED: 'true',
      DRIFTGUARD_METRICS_WINDOW_HOURS: String(WINDOW_HOURS),
    });
    t = demo.t;
  });
  afterAll(() => demo?.t.stop());

  it('refuses a scrape without a token: 401 problem+json with a Bearer challenge', async () => {
    const response = await t.call('/metrics', { token: null });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="driftguard"/);
    expect(((await response.json()) as { type: string }).type).toBe('https://driftguard.dev/problems/unauthorized');
  });

  it('refuses a token without scope read (403)', async () => {
    expect((await t.call('/metrics', { token: TOKENS.ingest })).status).toBe(403);
  });

  it('serves the exposition to a read token', async () => {
    const { status, contentType, text } = await scrape(t, TOKENS.read);
    expect(status).toBe(200);
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(
      valueOf(parseExposition(text), 'driftguard_http_requests_total', {
        method: 'GET',
        route: '/metrics',
        status: '401',
      })
    ).toBe(1);
  });

  it('describes the configured window', async () => {
    const model = demo.scenario.modelId;
    const { window, scraped, summary } = await withinOneWindow(
      t,
      model,
      async (window, scraped) => ({
        window,
        scraped,
        summary: (
          await t.json(`/api/v1/models/${model}/summary?from=${window.fromMs}&to=${window.toMs}`, {
            token: TOKENS.read,
          })
        ).body,
      }),
      TOKENS.read
    );
    expect(window.toMs - window.fromMs).toBe(WINDOW_HOURS * HOUR_MS);
    const income = summary.features.find((feature: { feature: string }) => feature.feature === 'income');
    expect(valueOf(scraped, 'driftguard_feature_window_rows', { model, feature: 'income' })).toBe(
      income.production_rows
    );
    expect(valueOf(scraped, 'driftguard_feature_psi', { model, feature: 'income' })).toBe(income.psi);
  });
});

describe('GET /metrics once predictions have stopped (drift-server on a simulated clock)', () => {
  const lastDayEnd = Math.floor(Date.now() / HOUR_MS) * HOUR_MS - 24 * HOUR_MS;
  let now = lastDayEnd + 5 * HOUR_MS + 20 * 60_000;
  let demo: DemoServer;
  beforeAll(async () => {
    demo = await startDemoServer({}, { lastDayEnd, clock: () => now });
  });
  afterAll(() => demo?.t.stop());

  it('keeps describing the last hours of data, with every series present, however long ago they were', async () => {
    const model = demo.scenario.modelId;
    for (const later of [0, 30 * 24 * HOUR_MS]) {
      now += later;
      const scraped = parseExposition((await scrape(demo.t)).text);
      const window = scrapedWindow(scraped, model);
      // The newest prediction lies in the hour before lastDayEnd.
      expect([new Date(window.fromMs).toISOString(), new Date(window.toMs).toISOString()]).toEqual([
        new Date(lastDayEnd - DEFAULT_METRICS_WINDOW_HOURS * HOUR_MS).toISOString(),
        new Date(lastDayEnd).toISOString(),
      ]);
      const summary = (
        await demo.t.json(`/api/v1/models/${model}/summary?from=${window.fromMs}&to=${window.toMs}`, {
          token: TOKENS.read,
        })
      ).body;
      for (const feature of summary.features) {
        const labels = { model, feature: feature.feature };
        expect([
          feature.feature,
          valueOf(scraped, 'driftguard_feature_psi', labels),
          valueOf(scraped, 'driftguard_feature_drifted', labels),
        ]).toEqual([
          feature.feature,
          feature.psi,
          feature.severity === 'warning' || feature.severity === 'critical' ? 1 : 0,
        ]);
      }
      expect(valueOf(scraped, 'driftguard_feature_critical_streak_seconds', { model, feature: 'income' })).toBe(
        DRIFT_HOURS_LOOKBACK * 3600
      );
      expect(valueOf(scraped, 'driftguard_model_health_score', { model })).toBeLessThan(60);
      expect(valueOf(scraped, 'driftguard_model_last_prediction_timestamp_seconds', { model })).toBeLessThan(
        lastDayEnd / 1000
      );
      expect(valueOf(scraped, 'driftguard_model_last_prediction_timestamp_seconds', { model })).toBeGreaterThan(
        (lastDayEnd - HOUR_MS) / 1000
      );
    }
  });
});
