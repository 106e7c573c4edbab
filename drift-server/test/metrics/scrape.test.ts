import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMetricsRegistry, setDriftGauges } from '../../src/metrics';
import { PrometheusServer, startPrometheus } from './prometheus-server';

/**
 * A real Prometheus scrapes the registry's exposition, served the way a /metrics route serves it
 * (body and Content-Type from render()), and answers queries on it.
 */
describe('a real Prometheus scraping the exposition', () => {
  const { metrics, render } = createMetricsRegistry();
  let server: Server;
  let prometheus: PrometheusServer;

  beforeAll(async () => {
    setDriftGauges(metrics, [
      {
        model: 'credit-risk',
        health_score: 45,
        estimated_accuracy: 0.81,
        realized_accuracy: null,
        reference_accuracy: 0.9,
        revenue_at_risk_per_day: 1200,
        predictions_total: 270_000,
        drifted_features: 1,
        retrain_jobs: {},
        features: [
          { feature: 'income', psi: 0.31, psi_critical: 0.02, ks_statistic: 0.2, ks_pvalue: 1e-12, kl: 0.25, js: 0.24, severity: 'critical', production_rows: 750 },
          { feature: 'age', psi: 0.01, psi_critical: 0.02, ks_statistic: 0.02, ks_pvalue: 0.6, kl: 0.01, js: 0.04, severity: 'ok', production_rows: 750 },
        ],
      },
    ]);
    server = createServer((_request, response) => {
      render().then(({ contentType, body }) => {
        response.writeHead(200, { 'content-type': contentType });
        response.end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    prometheus = await startPrometheus(`127.0.0.1:${(server.address() as AddressInfo).port}`);
  });

  afterAll(async () => {
    await prometheus?.stop();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('returns the PSI series with their model and feature labels', async () => {
    const result = await prometheus.waitFor('driftguard_feature_psi');
    expect(result.map(({ metric, value }) => [metric.model, metric.feature, Number(value[1])]).sort()).toEqual([
      ['credit-risk', 'age', 0.01],
      ['credit-risk', 'income', 0.31],
    ]);
  });
});
