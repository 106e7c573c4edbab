import { DEFAULT_METRICS_WINDOW_HOURS } from '../../src/config';
import { metricsWindow } from '../../src/metrics';
import { TOKENS } from '../api/harness';
import { DemoServer, startDemoServer } from './demo-server';
import { PrometheusServer, startPrometheus } from './prometheus-server';
import { HOUR_MS } from '../../src/time';

/**
 * Prometheus stamps a sample with the time its scrape started; drift-server reads its clock a few
 * milliseconds later. A sample stamped this close before an hour boundary may describe the next
 * hour's window, so it is left out of the comparison.
 */
const BOUNDARY_MARGIN_MS = 2_000;
const SAMPLES_COMPARED = 3;
/** Scrapes run every second, so the margin removes at most three samples. */
const SAMPLES_AWAITED = SAMPLES_COMPARED + 3;

describe('a real Prometheus scraping a live drift-server loaded with demo scenario 2', () => {
  let demo: DemoServer;
  let prometheus: PrometheusServer;

  beforeAll(async () => {
    demo = await startDemoServer();
    prometheus = await startPrometheus(`127.0.0.1:${demo.t.server.port}`);
  });

  afterAll(async () => {
    await prometheus?.stop();
    await demo?.t.stop();
  });

  it('returns the income PSI series, every sample equal to the REST summary of the same window', async () => {
    const model = demo.scenario.modelId;
    const selector = `driftguard_feature_psi{model="${model}",feature="income"}`;
    await prometheus.waitFor(`count_over_time(${selector}[1m]) >= ${SAMPLES_AWAITED}`);
    const [series, ...others] = await prometheus.samples(`${selector}[1m]`);
    expect(others).toEqual([]);
    expect(series.metric).toMatchObject({
      __name__: 'driftguard_feature_psi',
      model,
      feature: 'income',
      job: 'driftguard',
    });

    const compared = series.values.filter(([seconds]) => HOUR_MS - ((seconds * 1000) % HOUR_MS) > BOUNDARY_MARGIN_MS);
    expect(compared.length).toBeGreaterThanOrEqual(SAMPLES_COMPARED);
    const { newestPredictionMs } = await demo.t.server.store.freshness.of(model);
    for (const [seconds, value] of compared) {
      const window = metricsWindow(seconds * 1000, DEFAULT_METRICS_WINDOW_HOURS, newestPredictionMs);
      const summary = await demo.t.json(`/api/v1/models/${model}/summary?from=${window.fromMs}&to=${window.toMs}`, {
        token: TOKENS.read,
      });
      const income = summary.body.features.find((feature: { feature: string }) => feature.feature === 'income');
      expect(Number(value)).toBe(income.psi);
      expect(income.psi).toBeGreaterThan(0.2);
    }
  });
});
