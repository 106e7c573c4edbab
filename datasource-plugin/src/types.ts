import { DataSourceJsonData } from '@grafana/data';
import { DataQuery } from '@grafana/schema';

/** Query types answered by drift-server endpoints that exist today; dashboards may name others, which fail with a clear error. */
export const PANEL_QUERY_TYPES = [
  'modelSummary',
  'featureTable',
  'featureDetail',
  'trends',
  'recommendation',
  'retrainJobs',
] as const;
export type PanelQueryType = (typeof PANEL_QUERY_TYPES)[number];

/** Annotation queries run through `query()` too (standard annotation support). */
export const ANNOTATION_QUERY_TYPE = 'annotations';
export const ANNOTATION_KINDS = ['driftBreaches', 'retrainJobs', 'alerts'] as const;
export type AnnotationKind = (typeof ANNOTATION_KINDS)[number];
export const DEFAULT_ANNOTATION_KIND: AnnotationKind = 'driftBreaches';
export function isAnnotationKind(kind: string): kind is AnnotationKind {
  return (ANNOTATION_KINDS as readonly string[]).includes(kind);
}

export const FEATURE_TREND_METRICS = ['psi', 'js', 'kl', 'psi_critical', 'production_rows'] as const;
export type FeatureTrendMetric = (typeof FEATURE_TREND_METRICS)[number];
/** From drift-server's model-level series, which always covers every feature. */
export const MODEL_TREND_METRICS = ['health', 'estimated_accuracy', 'realized_accuracy'] as const;
export type ModelTrendMetric = (typeof MODEL_TREND_METRICS)[number];
export function isModelTrendMetric(metric: string | undefined): metric is ModelTrendMetric {
  return (MODEL_TREND_METRICS as readonly string[]).includes(metric ?? '');
}
export const TREND_METRICS = [...FEATURE_TREND_METRICS, ...MODEL_TREND_METRICS, 'volume'] as const;
export type TrendMetric = (typeof TREND_METRICS)[number];

export const DETAIL_SECTIONS = ['histogram', 'metrics', 'statistics'] as const;
export type DetailSection = (typeof DETAIL_SECTIONS)[number];

export interface DriftQuery extends DataQuery {
  queryType?: string;
  /** Model id, usually `$model`. */
  model?: string;
  /** featureDetail: one feature; trends and annotations: optional comma-separated features (all when empty). */
  feature?: string;
  metric?: TrendMetric;
  /** featureDetail: one section; all three frames when empty. */
  section?: DetailSection;
  /** drift-server `reference`: `latest`, a reference version number or `previous_period`. */
  baseline?: string;
  /** Trend point spacing (`1h`, `1d`, `$__interval`…); the panel interval when empty. */
  interval?: string;
  /** Annotation queries: `driftBreaches` (the default), `retrainJobs` or `alerts`; dashboards may name kinds a later version adds. */
  kind?: string;
  /** retrainJobs: only jobs in this state (a `$variable` allowed); every job when empty. */
  status?: string;
}

export const DEFAULT_QUERY: Partial<DriftQuery> = {
  queryType: 'trends',
  metric: 'psi',
};

export const VARIABLE_QUERY_TYPES = ['models', 'features'] as const;
export type VariableQueryType = (typeof VARIABLE_QUERY_TYPES)[number];

export interface DriftVariableQuery extends DataQuery {
  queryType: VariableQueryType;
  model?: string;
}

export interface DriftDataSourceOptions extends DataSourceJsonData {
  /** drift-server base URL as the Grafana server reaches it; plugin.json routes proxy to it. */
  serverUrl?: string;
}

/** Held encrypted by Grafana; plugin.json routes inject them server-side, so browsers never see them. */
export interface DriftSecureJsonData {
  readToken?: string;
  operateToken?: string;
}
