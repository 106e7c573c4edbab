import { createMetricsRegistry, FeatureDriftSnapshot, ModelDriftSnapshot, setDriftGauges } from '../../src/metrics';
import { promtool } from './promtool';

const CONTRACT = [
  'driftguard_feature_psi',
  'driftguard_feature_psi_critical',
  'driftguard_feature_ks_statistic',
  'driftguard_feature_ks_pvalue',
  'driftguard_feature_kl_divergence',
  'driftguard_feature_js_distance',
  'driftguard_feature_drift_severity',
  'driftguard_feature_window_rows',
  'driftguard_model_health_score',
  'driftguard_model_estimated_accuracy',
  'driftguard_model_realized_accuracy',
  'driftguard_model_reference_accuracy',
  'driftguard_model_revenue_at_risk_per_day',
  'driftguard_model_predictions_total',
  'driftguard_model_drifted_features',
  'driftguard_retrain_jobs',
  'driftguard_alerts_received_total',
  'driftguard_http_requests_total',
  'driftguard_http_request_duration_seconds',
  'driftguard_ingested_rows_total',
  'driftguard_ingest_batches_rejected_total',
];

function feature(name: string, overrides: Partial<FeatureDriftSnapshot> = {}): FeatureDriftSnapshot {
  return {
    feature: name,
    psi: 0.25,
    psi_critical: 0.03,
    ks_statistic: 0.12,
    ks_pvalue: 1e-9,
    kl: 0.2,
    js: 0.21,
    severity: 'critical',
    production_rows: 750,
    ...overrides,
  };
}

function model(name: string, features: FeatureDriftSnapshot[], overrides: Partial<ModelDriftSnapshot> = {}): ModelDriftSnapshot {
  return {
    model: name,
    health_score: 45.5,
    estimated_accuracy: 0.81,
    realized_accuracy: null,
    reference_accuracy: 0.9,
    revenue_at_risk_per_day: 1250,
    predictions_total: 270_000,
    drifted_features: 2,
    retrain_jobs: { running: 1, succeeded: 3 },
    features,
    ...overrides,
  };
}

/** Sample lines of one metric, without HELP/TYPE comments. */
function samples(exposition: string, name: string): string[] {
  return exposition.split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
}

function fleet(models: number, features: number): ModelDriftSnapshot[] {
  return Array.from({ length: models }, (_, m) =>
    model(
      `model-${m}`,
      Array.from({ length: features }, (_, f) => feature(`feature_${f}`, { psi: (m * features + f) / 10_000 })),
    ),
  );
}

describe('metric definitions', () => {
  it('registers exactly the contract names, each with a HELP text', async () => {
    const { registry } = createMetricsRegistry();
    const metrics = await registry.getMetricsAsJSON();
    expect(metrics.map((metric) => metric.name).sort()).toEqual([...CONTRACT].sort());
    for (const metric of metrics) expect(metric.help.length).toBeGreaterThan(30);
  });
});

describe('setDriftGauges', () => {
  it('exposes per-feature and per-model figures with model and feature labels', async () => {
    const { metrics, render } = createMetricsRegistry();
    setDriftGauges(metrics, [model('credit-risk', [feature('income')])]);
    const { body } = await render();
    expect(samples(body, 'driftguard_feature_psi')).toEqual(['driftguard_feature_psi{model="credit-risk",feature="income"} 0.25']);
    expect(samples(body, 'driftguard_feature_drift_severity')).toEqual(['driftguard_feature_drift_severity{model="credit-risk",feature="income"} 2']);
    expect(samples(body, 'driftguard_model_predictions_total')).toEqual(['driftguard_model_predictions_total{model="credit-risk"} 270000']);
    expect(samples(body, 'driftguard_retrain_jobs')).toEqual([
      'driftguard_retrain_jobs{model="credit-risk",state="running"} 1',
      'driftguard_retrain_jobs{model="credit-risk",state="succeeded"} 3',
    ]);
  });

  it('leaves a figure that does not exist absent instead of 0, and maps insufficient data to -1', async () => {
    const { metrics, render } = createMetricsRegistry();
    const sparse = feature('zip_code', { psi: null, psi_critical: null, ks_statistic: null, ks_pvalue: null, kl: null, js: null, severity: 'insufficient_data', production_rows: 3 });
    setDriftGauges(metrics, [model('credit-risk', [sparse], { health_score: null })]);
    const { body } = await render();
    expect(samples(body, 'driftguard_feature_psi')).toEqual([]);
    expect(samples(body, 'driftguard_model_health_score')).toEqual([]);
    expect(samples(body, 'driftguard_model_realized_accuracy')).toEqual([]);
    expect(samples(body, 'driftguard_feature_drift_severity')).toEqual(['driftguard_feature_drift_severity{model="credit-risk",feature="zip_code"} -1']);
    expect(samples(body, 'driftguard_feature_window_rows')).toEqual(['driftguard_feature_window_rows{model="credit-risk",feature="zip_code"} 3']);
  });

  it('replaces the previous snapshot whole, so deleted models and features vanish', async () => {
    const { metrics, render } = createMetricsRegistry();
    setDriftGauges(metrics, [model('old-model', [feature('income')]), model('credit-risk', [feature('income'), feature('age')])]);
    setDriftGauges(metrics, [model('credit-risk', [feature('age')], { predictions_total: 273_000 })]);
    const { body } = await render();
    expect(body).not.toContain('old-model');
    expect(samples(body, 'driftguard_feature_psi')).toEqual(['driftguard_feature_psi{model="credit-risk",feature="age"} 0.25']);
    expect(samples(body, 'driftguard_model_predictions_total')).toEqual(['driftguard_model_predictions_total{model="credit-risk"} 273000']);
  });

  it('escapes label values the exposition format reserves', async () => {
    const { metrics, render } = createMetricsRegistry();
    setDriftGauges(metrics, [model('credit-risk', [feature('say "hi"\\ now')])]);
    const { body } = await render();
    expect(samples(body, 'driftguard_feature_psi')).toEqual(['driftguard_feature_psi{model="credit-risk",feature="say \\"hi\\"\\\\ now"} 0.25']);
  });
});

describe('exposition of 50 models × 50 features', () => {
  it('passes promtool check metrics, server metrics included', async () => {
    const { metrics, render } = createMetricsRegistry();
    setDriftGauges(metrics, fleet(50, 50));
    metrics.httpRequests.inc({ method: 'GET', route: '/api/v1/models/:model/summary', status: '200' });
    metrics.httpRequestDuration.observe({ method: 'GET', route: '/api/v1/models/:model/summary' }, 0.042);
    metrics.ingestedRows.inc({ model: 'model-0', kind: 'predictions' }, 3000);
    metrics.ingestBatchesRejected.inc({ model: 'model-0' });
    const { body, contentType } = await render();
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(samples(body, 'driftguard_feature_psi')).toHaveLength(2500);
    const result = promtool(['check', 'metrics'], body);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });
});
