import { createMetricsRegistry, FeatureDriftSnapshot, ModelDriftSnapshot, setDriftGauges } from '../../src/metrics';
import { DEFAULT_THRESHOLDS } from '../../src/stats';
import { promtool } from './promtool';
import { HOUR_MS } from '../../src/time';

const WINDOW_END_MS = Date.parse('2026-03-01T12:00:00Z');

const CONTRACT = [
  'driftguard_feature_psi',
  'driftguard_feature_psi_critical',
  'driftguard_feature_ks_statistic',
  'driftguard_feature_ks_pvalue',
  'driftguard_feature_kl_divergence',
  'driftguard_feature_js_distance',
  'driftguard_feature_drift_severity',
  'driftguard_feature_window_rows',
  'driftguard_feature_drifted',
  'driftguard_feature_critical_streak_seconds',
  'driftguard_feature_drifted_streak_seconds',
  'driftguard_feature_psi_threshold',
  'driftguard_prediction_psi',
  'driftguard_prediction_js_distance',
  'driftguard_prediction_drift_severity',
  'driftguard_prediction_drifted',
  'driftguard_prediction_window_rows',
  'driftguard_model_window_start_timestamp_seconds',
  'driftguard_model_window_end_timestamp_seconds',
  'driftguard_model_labelled_rows',
  'driftguard_model_min_labelled_rows',
  'driftguard_model_last_prediction_timestamp_seconds',
  'driftguard_model_last_label_timestamp_seconds',
  'driftguard_model_label_delay_seconds',
  'driftguard_model_stale_after_seconds',
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
    critical_hours: 7,
    drifted_hours: 9,
    ...overrides,
  };
}

function model(
  name: string,
  features: FeatureDriftSnapshot[],
  overrides: Partial<ModelDriftSnapshot> = {}
): ModelDriftSnapshot {
  return {
    model: name,
    window: { fromMs: WINDOW_END_MS - 6 * HOUR_MS, toMs: WINDOW_END_MS },
    health_score: 45.5,
    estimated_accuracy: 0.81,
    realized_accuracy: null,
    reference_accuracy: 0.9,
    revenue_at_risk_per_day: 1250,
    labelled_rows: 600,
    min_labelled_rows: 200,
    predictions_total: 270_000,
    drifted_features: 2,
    last_prediction_ms: WINDOW_END_MS + 1_500,
    last_label_ms: WINDOW_END_MS - 600_000,
    stale_after_seconds: 3600,
    retrain_jobs: { running: 1, succeeded: 3 },
    features,
    prediction_drift: null,
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
      Array.from({ length: features }, (_, f) => feature(`feature_${f}`, { psi: (m * features + f) / 10_000 }))
    )
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
    setDriftGauges(metrics, [model('credit-risk', [feature('income')])], DEFAULT_THRESHOLDS);
    const { body } = await render();
    expect(samples(body, 'driftguard_feature_psi')).toEqual([
      'driftguard_feature_psi{model="credit-risk",feature="income"} 0.25',
    ]);
    expect(samples(body, 'driftguard_feature_drift_severity')).toEqual([
      'driftguard_feature_drift_severity{model="credit-risk",feature="income"} 2',
    ]);
    expect(samples(body, 'driftguard_model_predictions_total')).toEqual([
      'driftguard_model_predictions_total{model="credit-risk"} 270000',
    ]);
    expect(samples(body, 'driftguard_retrain_jobs')).toEqual([
      'driftguard_retrain_jobs{model="credit-risk",state="running"} 1',
      'driftguard_retrain_jobs{model="credit-risk",state="succeeded"} 3',
    ]);
  });

  it('leaves a figure that does not exist absent instead of 0, and maps insufficient data to -1', async () => {
    const { metrics, render } = createMetricsRegistry();
    const sparse = feature('zip_code', {
      psi: null,
      psi_critical: null,
      ks_statistic: null,
      ks_pvalue: null,
      kl: null,
      js: null,
      severity: 'insufficient_data',
      production_rows: 3,
    });
    setDriftGauges(metrics, [model('credit-risk', [sparse], { health_score: null })], DEFAULT_THRESHOLDS);
    const { body } = await render();
    expect(samples(body, 'driftguard_feature_psi')).toEqual([]);
    expect(samples(body, 'driftguard_model_health_score')).toEqual([]);
    expect(samples(body, 'driftguard_model_realized_accuracy')).toEqual([]);
    expect(samples(body, 'driftguard_feature_drift_severity')).toEqual([
      'driftguard_feature_drift_severity{model="credit-risk",feature="zip_code"} -1',
    ]);
    expect(samples(body, 'driftguard_feature_window_rows')).toEqual([
      'driftguard_feature_window_rows{model="credit-risk",feature="zip_code"} 3',
    ]);
  });

  it('exports the verdict as 0/1, the drift-hour counts and both PSI thresholds of every feature', async () => {
    const { metrics, render } = createMetricsRegistry();
    setDriftGauges(
      metrics,
      [
        model('credit-risk', [
          feature('income'),
          feature('age', { severity: 'ok', critical_hours: 0, drifted_hours: 0 }),
          feature('zip', { severity: 'warning' }),
        ]),
      ],
      {
        ...DEFAULT_THRESHOLDS,
        psiWarning: 0.15,
        psiCritical: 0.3,
      }
    );
    const { body } = await render();
    expect(samples(body, 'driftguard_feature_drifted')).toEqual([
      'driftguard_feature_drifted{model="credit-risk",feature="income"} 1',
      'driftguard_feature_drifted{model="credit-risk",feature="age"} 0',
      'driftguard_feature_drifted{model="credit-risk",feature="zip"} 1',
    ]);
    expect(samples(body, 'driftguard_feature_critical_streak_seconds')).toContain(
      'driftguard_feature_critical_streak_seconds{model="credit-risk",feature="income"} 25200'
    );
    expect(samples(body, 'driftguard_feature_drifted_streak_seconds')).toContain(
      'driftguard_feature_drifted_streak_seconds{model="credit-risk",feature="income"} 32400'
    );
    expect(samples(body, 'driftguard_feature_drifted_streak_seconds')).toContain(
      'driftguard_feature_drifted_streak_seconds{model="credit-risk",feature="age"} 0'
    );
    expect(samples(body, 'driftguard_feature_psi_threshold').filter((line) => line.includes('feature="age"'))).toEqual([
      'driftguard_feature_psi_threshold{model="credit-risk",feature="age",severity="warning"} 0.15',
      'driftguard_feature_psi_threshold{model="credit-risk",feature="age",severity="critical"} 0.3',
    ]);
  });

  it('states the window in Unix seconds and the freshness of predictions and labels', async () => {
    const { metrics, render } = createMetricsRegistry();
    setDriftGauges(metrics, [model('credit-risk', [feature('income')])], DEFAULT_THRESHOLDS);
    const { body } = await render();
    const seconds = WINDOW_END_MS / 1000;
    expect(samples(body, 'driftguard_model_window_start_timestamp_seconds')).toEqual([
      `driftguard_model_window_start_timestamp_seconds{model="credit-risk"} ${seconds - 6 * 3600}`,
    ]);
    expect(samples(body, 'driftguard_model_window_end_timestamp_seconds')).toEqual([
      `driftguard_model_window_end_timestamp_seconds{model="credit-risk"} ${seconds}`,
    ]);
    expect(samples(body, 'driftguard_model_last_prediction_timestamp_seconds')).toEqual([
      `driftguard_model_last_prediction_timestamp_seconds{model="credit-risk"} ${seconds + 1.5}`,
    ]);
    expect(samples(body, 'driftguard_model_last_label_timestamp_seconds')).toEqual([
      `driftguard_model_last_label_timestamp_seconds{model="credit-risk"} ${seconds - 600}`,
    ]);
    expect(samples(body, 'driftguard_model_label_delay_seconds')).toEqual([
      'driftguard_model_label_delay_seconds{model="credit-risk"} 601.5',
    ]);
    expect(samples(body, 'driftguard_model_stale_after_seconds')).toEqual([
      'driftguard_model_stale_after_seconds{model="credit-risk"} 3600',
    ]);
    expect(samples(body, 'driftguard_model_labelled_rows')).toEqual([
      'driftguard_model_labelled_rows{model="credit-risk"} 600',
    ]);
    expect(samples(body, 'driftguard_model_min_labelled_rows')).toEqual([
      'driftguard_model_min_labelled_rows{model="credit-risk"} 200',
    ]);
  });

  it('leaves undecided verdicts and the freshness of data never received absent, and keeps counts and thresholds present', async () => {
    const { metrics, render } = createMetricsRegistry();
    const empty = feature('income', {
      psi: null,
      psi_critical: null,
      kl: null,
      js: null,
      ks_statistic: null,
      ks_pvalue: null,
      severity: 'insufficient_data',
      production_rows: 0,
      critical_hours: 0,
      drifted_hours: 0,
    });
    setDriftGauges(
      metrics,
      [
        model('new-model', [empty], {
          last_prediction_ms: null,
          last_label_ms: null,
          labelled_rows: null,
          health_score: null,
        }),
      ],
      DEFAULT_THRESHOLDS
    );
    const { body } = await render();
    for (const name of [
      'driftguard_feature_drifted',
      'driftguard_model_last_prediction_timestamp_seconds',
      'driftguard_model_last_label_timestamp_seconds',
      'driftguard_model_label_delay_seconds',
      'driftguard_model_labelled_rows',
    ]) {
      expect([name, samples(body, name)]).toEqual([name, []]);
    }
    expect(samples(body, 'driftguard_feature_critical_streak_seconds')).toEqual([
      'driftguard_feature_critical_streak_seconds{model="new-model",feature="income"} 0',
    ]);
    expect(samples(body, 'driftguard_feature_psi_threshold')).toHaveLength(2);
    expect(samples(body, 'driftguard_model_stale_after_seconds')).toEqual([
      'driftguard_model_stale_after_seconds{model="new-model"} 3600',
    ]);
    expect(samples(body, 'driftguard_model_window_end_timestamp_seconds')).toHaveLength(1);
  });

  it('replaces the previous snapshot whole, so deleted models and features vanish', async () => {
    const { metrics, render } = createMetricsRegistry();
    setDriftGauges(
      metrics,
      [model('old-model', [feature('income')]), model('credit-risk', [feature('income'), feature('age')])],
      DEFAULT_THRESHOLDS
    );
    setDriftGauges(
      metrics,
      [model('credit-risk', [feature('age')], { predictions_total: 273_000 })],
      DEFAULT_THRESHOLDS
    );
    const { body } = await render();
    expect(body).not.toContain('old-model');
    expect(samples(body, 'driftguard_feature_psi')).toEqual([
      'driftguard_feature_psi{model="credit-risk",feature="age"} 0.25',
    ]);
    expect(samples(body, 'driftguard_model_predictions_total')).toEqual([
      'driftguard_model_predictions_total{model="credit-risk"} 273000',
    ]);
  });

  it('escapes label values the exposition format reserves', async () => {
    const { metrics, render } = createMetricsRegistry();
    setDriftGauges(metrics, [model('credit-risk', [feature('say "hi"\\ now')])], DEFAULT_THRESHOLDS);
    const { body } = await render();
    expect(samples(body, 'driftguard_feature_psi')).toEqual([
      'driftguard_feature_psi{model="credit-risk",feature="say \\"hi\\"\\\\ now"} 0.25',
    ]);
  });
});

describe('exposition of 50 models × 50 features', () => {
  it('passes promtool check metrics, server metrics included', async () => {
    const { metrics, render } = createMetricsRegistry();
    setDriftGauges(metrics, fleet(50, 50), DEFAULT_THRESHOLDS);
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
