import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Hours before the metrics window's end the drift-hour counts look back over. */
export const DRIFT_HOURS_LOOKBACK = 48;

const FEATURE_LABELS = ['model', 'feature'] as const;
const MODEL_LABELS = ['model'] as const;
/** One series per model: `output` names the column compared (probability or prediction). */
const OUTPUT_LABELS = ['model', 'output'] as const;

/**
 * Every DriftGuard metric. The names are a contract with the provisioned dashboards and alert rules
 * (provisioning/grafana) and with docs/GRAFANA.md; the provisioning tests check all three agree.
 */
export function defineMetrics(registry: Registry) {
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Gauge<L>({ name, help, labelNames, registers: [registry] });
  return {
    featurePsi: gauge(
      'driftguard_feature_psi',
      'Population stability index over the rolling window: sum over bins of (a - e) * ln(a / e), a = production share, e = reference share, shares of 0 replaced by 1e-4.',
      FEATURE_LABELS
    ),
    featurePsiCritical: gauge(
      'driftguard_feature_psi_critical',
      "PSI that sampling noise alone stays under 19 times out of 20 at the window's row counts: chi2_0.95(K - 1) * (1/N + 1/M), K bins, N reference rows, M production rows.",
      FEATURE_LABELS
    ),
    featureKsStatistic: gauge(
      'driftguard_feature_ks_statistic',
      'Two-sample Kolmogorov-Smirnov statistic D (largest gap between the empirical CDFs) of a numeric feature over the rolling window.',
      FEATURE_LABELS
    ),
    featureKsPvalue: gauge(
      'driftguard_feature_ks_pvalue',
      'Two-sided p-value of the Kolmogorov-Smirnov test over the rolling window (exact up to 10000 rows a side, else asymptotic); tends to 0 at large N for trivial shifts, so it never drives severity.',
      FEATURE_LABELS
    ),
    featureKlDivergence: gauge(
      'driftguard_feature_kl_divergence',
      'Kullback-Leibler divergence of production from reference over the rolling window, in nats: sum of a * ln(a / e), shares of 0 replaced by 1e-4.',
      FEATURE_LABELS
    ),
    featureJsDistance: gauge(
      'driftguard_feature_js_distance',
      'Jensen-Shannon distance between production and reference bin shares over the rolling window, base 2, from 0 (identical) to 1.',
      FEATURE_LABELS
    ),
    featureDriftSeverity: gauge(
      'driftguard_feature_drift_severity',
      "Drift verdict over the rolling window, the worst decided finding (beyond noise at Benjamini-Hochberg q <= 0.01 over the model's features, and practically large: bias-corrected PSI >= 0.1 / 0.2, missing share up 5 / 20 points, 1 % / 5 % of values outside the reference): 0 ok, 1 warning, 2 critical, -1 insufficient data.",
      FEATURE_LABELS
    ),
    featureWindowRows: gauge(
      'driftguard_feature_window_rows',
      'Production rows of the feature in the rolling window.',
      FEATURE_LABELS
    ),
    predictionPsi: gauge(
      'driftguard_prediction_psi',
      "PSI of the model's output (probability scores over cut points frozen from the reference, else the predicted class mix) over the rolling window, computed like driftguard_feature_psi.",
      OUTPUT_LABELS
    ),
    predictionJsDistance: gauge(
      'driftguard_prediction_js_distance',
      "Jensen-Shannon distance between the production and reference shares of the model's output over the rolling window, base 2, from 0 to 1.",
      OUTPUT_LABELS
    ),
    predictionDriftSeverity: gauge(
      'driftguard_prediction_drift_severity',
      "Drift verdict of the model's output over the rolling window, decided by the feature verdict's rule as a family of its own: 0 ok, 1 warning, 2 critical, -1 insufficient data.",
      OUTPUT_LABELS
    ),
    predictionDrifted: gauge(
      'driftguard_prediction_drifted',
      "Drift verdict of the model's output over the rolling window: 1 drifted (warning or critical), 0 not; absent while too few rows for a verdict.",
      OUTPUT_LABELS
    ),
    predictionWindowRows: gauge(
      'driftguard_prediction_window_rows',
      'Production rows with output counts in the rolling window (hours ingested before the output was monitored have none).',
      OUTPUT_LABELS
    ),
    modelHealthScore: gauge(
      'driftguard_model_health_score',
      'Model health 0-100 over the rolling window: 100 * (1 - sum over features of importance weight * damage of its decided findings), damage 1 - 2^(-bias-corrected PSI / 0.2) for a shift or the share of values affected, within [0.29, 0.5] for a warning and [0.5, 1] for a critical finding.',
      MODEL_LABELS
    ),
    modelEstimatedAccuracy: gauge(
      'driftguard_model_estimated_accuracy',
      'Accuracy estimated without labels over the rolling window (ratio 0-1): mean calibrated probability of the predicted class, calibration fitted on the reference (CBPE).',
      MODEL_LABELS
    ),
    modelRealizedAccuracy: gauge(
      'driftguard_model_realized_accuracy',
      'Accuracy measured on the labelled production rows of the rolling window (ratio 0-1); absent until labels arrive.',
      MODEL_LABELS
    ),
    modelReferenceAccuracy: gauge(
      'driftguard_model_reference_accuracy',
      'Accuracy of the model on its current reference data (ratio 0-1).',
      MODEL_LABELS
    ),
    modelRevenueAtRiskPerDay: gauge(
      'driftguard_model_revenue_at_risk_per_day',
      "Revenue at risk per day in the model's currency: accuracy drop * predictions per day * value per error; 0 unless the drop is material.",
      MODEL_LABELS
    ),
    modelPredictionsTotal: new Counter<'model'>({
      name: 'driftguard_model_predictions_total',
      help: 'Production predictions stored for the model since it was registered.',
      labelNames: MODEL_LABELS,
      registers: [registry],
    }),
    modelDriftedFeatures: gauge(
      'driftguard_model_drifted_features',
      'Features with severity warning or critical over the rolling window.',
      MODEL_LABELS
    ),
    featureDrifted: gauge(
      'driftguard_feature_drifted',
      'Drift verdict over the metrics window: 1 drifted (severity warning or critical), 0 not; absent while the window holds too few rows for a verdict (driftguard_feature_drift_severity is then -1).',
      FEATURE_LABELS
    ),
    featureCriticalStreak: gauge(
      'driftguard_feature_critical_streak_seconds',
      `Complete hours of data in a row, ending where the metrics window ends, whose own hourly verdict was critical, in seconds (3600 an hour); an hour with too few rows for a verdict neither counts nor breaks the run; looks back ${DRIFT_HOURS_LOOKBACK} hours.`,
      FEATURE_LABELS
    ),
    featureDriftedStreak: gauge(
      'driftguard_feature_drifted_streak_seconds',
      `Complete hours of data in a row, ending where the metrics window ends, whose own hourly verdict was warning or critical, in seconds (3600 an hour); an hour with too few rows for a verdict neither counts nor breaks the run; looks back ${DRIFT_HOURS_LOOKBACK} hours.`,
      FEATURE_LABELS
    ),
    featurePsiThreshold: gauge(
      'driftguard_feature_psi_threshold',
      'PSI a shift beyond sampling noise must reach for the verdict warning or critical (label severity): the thresholds the verdicts use.',
      [...FEATURE_LABELS, 'severity'] as const
    ),
    modelWindowStart: gauge(
      'driftguard_model_window_start_timestamp_seconds',
      "Start of the metrics window the model's drift, health and accuracy figures describe (Unix seconds).",
      MODEL_LABELS
    ),
    modelWindowEnd: gauge(
      'driftguard_model_window_end_timestamp_seconds',
      'End of the metrics window (Unix seconds): the end of the newest complete hour, or of the hour of the newest prediction when that is older, so figures describe the latest data rather than vanish when data stops.',
      MODEL_LABELS
    ),
    modelLabelledRows: gauge(
      'driftguard_model_labelled_rows',
      'Labelled production rows in the metrics window: the sample of the realized accuracy.',
      MODEL_LABELS
    ),
    modelMinLabelledRows: gauge(
      'driftguard_model_min_labelled_rows',
      "Labelled rows a window needs before its realized accuracy is acted on (the model's business.min_labelled_rows, else the default): below it alerts use the estimated accuracy.",
      MODEL_LABELS
    ),
    modelLastPrediction: gauge(
      'driftguard_model_last_prediction_timestamp_seconds',
      "Timestamp of the newest stored prediction (Unix seconds, the prediction's own time); absent before the first.",
      MODEL_LABELS
    ),
    modelLastLabel: gauge(
      'driftguard_model_last_label_timestamp_seconds',
      'Timestamp of the newest stored prediction that has a label (Unix seconds); absent before the first label.',
      MODEL_LABELS
    ),
    modelLabelDelay: gauge(
      'driftguard_model_label_delay_seconds',
      "How far labels lag behind predictions: the newest prediction's timestamp minus the newest labelled prediction's.",
      MODEL_LABELS
    ),
    modelStaleAfter: gauge(
      'driftguard_model_stale_after_seconds',
      "Age of the newest prediction beyond which the model's data is stale (the model's monitoring.stale_after_minutes, default 60 minutes).",
      MODEL_LABELS
    ),
    retrainJobs: gauge(
      'driftguard_retrain_jobs',
      'Retrain jobs of the model by state (scheduled, dispatched, running, succeeded, failed, cancelled); every state is present, 0 when no job is in it.',
      ['model', 'state'] as const
    ),
    alertsReceived: new Counter<'model' | 'action'>({
      name: 'driftguard_alerts_received_total',
      help: "Alerts received from Grafana's webhook contact point since the server started, by model (empty when the labels name no registered model) and the action the retrain policy took.",
      labelNames: ['model', 'action'],
      registers: [registry],
    }),
    httpRequests: new Counter<'method' | 'route' | 'status'>({
      name: 'driftguard_http_requests_total',
      help: 'HTTP requests served, by method, route pattern (never the raw path) and status code.',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    httpRequestDuration: new Histogram<'method' | 'route'>({
      name: 'driftguard_http_request_duration_seconds',
      help: 'Time from receiving an HTTP request to sending its response, in seconds, by method and route pattern.',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    ingestedRows: new Counter<'model' | 'kind'>({
      name: 'driftguard_ingested_rows_total',
      help: 'Rows stored by uploads, by model and kind (reference, predictions, labels).',
      labelNames: ['model', 'kind'],
      registers: [registry],
    }),
    ingestBatchesRejected: new Counter<'model'>({
      name: 'driftguard_ingest_batches_rejected_total',
      help: 'Upload batches refused whole (validation failure or limit exceeded), by model.',
      labelNames: MODEL_LABELS,
      registers: [registry],
    }),
  };
}

export type DriftGuardMetrics = ReturnType<typeof defineMetrics>;
