/** The parts of drift-server's responses (docs/API.md, /api/v1/openapi.json) this plugin reads. */

export type Severity = 'insufficient_data' | 'ok' | 'warning' | 'critical';
export type FeatureKind = 'numeric' | 'categorical';

export interface Health {
  status: string;
  version: string;
  schema_version: number;
}

/** GET /api/v1/whoami: the token that made the call. */
export interface WhoAmI {
  token_id: string;
  name: string;
  scopes: string[];
}

export interface OpenApiDocument {
  info: { title: string; version: string };
}

export interface ModelInfo {
  id: string;
  name: string;
}

export interface FeatureInfo {
  name: string;
  kind: FeatureKind;
  importance: number;
}

export interface FeatureDrift {
  feature: string;
  kind: FeatureKind;
  importance: number;
  psi: number | null;
  kl: number | null;
  js: number | null;
  psi_critical: number | null;
  severity: Severity;
  reference_rows: number;
  production_rows: number;
  production_missing_share: number | null;
}

/** A share in [0, 1] with its 95 % band. */
export interface AccuracyFigure {
  value: number;
  lower: number;
  upper: number;
  rows: number;
}

export interface ModelSummary {
  model_id: string;
  total_predictions: number;
  data_volume: { predictions: number; hours_with_data: number; predictions_per_day: number };
  average_drift_score: number | null;
  drifted_features: number;
  features: FeatureDrift[];
  health_score: number | null;
  /** null without a calibration of the reference (or without labels, for the realized one). */
  estimated_accuracy: AccuracyFigure | null;
  realized_accuracy: AccuracyFigure | null;
  reference_accuracy: AccuracyFigure | null;
}

export type RecommendationKind = 'retrain_now' | 'schedule_retrain' | 'monitor' | 'no_action';

export interface Recommendation {
  model_id: string;
  recommendation: RecommendationKind;
  /** Sentences, the decisive one first. */
  reasons: string[];
  accuracy_drop: number | null;
  currency: string;
  revenue_at_risk_per_day: number | null;
  recoverable_value: number | null;
  retrain_cost: number | null;
  payback_days: number | null;
}

export interface HistogramBin {
  label: string;
  reference_count: number;
  production_count: number;
  reference_share: number;
  production_share: number;
  psi_contribution: number;
}

export type DescriptiveStats = Record<string, number | null>;

export interface FeatureDetail {
  model_id: string;
  drift: FeatureDrift & {
    bins: HistogramBin[];
    ks_statistic: number | null;
    ks_pvalue: number | null;
    chi2_statistic: number | null;
    chi2_pvalue: number | null;
    chi2_dof: number | null;
  };
  stats: { reference: DescriptiveStats | null; production: DescriptiveStats | null };
  /** How far the raw rows behind KS and the statistics reach into the window (drift-server ≥ this release). */
  coverage?: { complete: boolean; note: string | null };
}

export interface TrendPoint {
  time: string;
  psi: number | null;
  js: number | null;
  kl: number | null;
  psi_critical: number | null;
  severity: Severity;
  production_rows: number;
  /** drift-server's calibrated verdict for the interval. */
  drifted: boolean;
  /** Drifted here and in enough of the intervals just before (drift-server's persistence rule). */
  persistent: boolean;
  findings: Array<{ name: string; severity: 'warning' | 'critical' }>;
}

export interface ModelTrendPoint {
  time: string;
  health: number | null;
  estimated_accuracy: number | null;
  realized_accuracy: number | null;
}

export interface Trends {
  model_id: string;
  interval_ms: number;
  volume: Array<{ time: string; predictions: number }>;
  series: Array<{ feature: string; kind: FeatureKind; points: TrendPoint[] }>;
  /** Present unless only the feature series were asked for. */
  model?: { points: ModelTrendPoint[] };
}

/** Which trend series drift-server computes: the model series recomputes every feature per interval. */
export type TrendSeries = 'features' | 'model';

/** RFC 9457 problem details, drift-server's error body. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
}
