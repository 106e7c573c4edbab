import { DataFrame, DataFrameType, Field, FieldType } from '@grafana/data';
import { isDriftSeverity, Severity, SEVERITIES } from 'driftguard-api-contract';
import { jobFromValues, RetrainJobView } from './retrainJobs';

export interface FeatureRow {
  feature: string;
  kind: string;
  importance: number;
  severity: Severity;
  psi: number | null;
  psiCritical: number | null;
  js: number | null;
  kl: number | null;
  /** Only when the feature table carries KS (drift-server's summary has none today). */
  ks: number | null;
  productionRows: number | null;
  referenceRows: number | null;
  /** importance × PSI: what a drifted feature costs the model, the order of the drifted rows. */
  impact: number;
}

/**
 * Drifted features first, by impact; then the others by importance. A feature within noise has a PSI
 * that is mostly sampling error, so its importance × PSI would order those rows by chance.
 */
export function byImpact(a: FeatureRow, b: FeatureRow): number {
  const drifted = Number(isDriftSeverity(b.severity)) - Number(isDriftSeverity(a.severity));
  const within = isDriftSeverity(a.severity) ? b.impact - a.impact : b.importance - a.importance;
  return drifted || within || a.feature.localeCompare(b.feature);
}

/** drift-server adds a bin labelled "missing" whenever either side has missing values. */
export const MISSING_BIN = 'missing';

export interface HistogramBin {
  label: string;
  referenceShare: number;
  productionShare: number;
  psiContribution: number;
}

export interface StatisticRow {
  statistic: string;
  reference: number | null;
  production: number | null;
}

export interface FeatureDetailView {
  histogram: HistogramBin[];
  /** psi, psi_critical, js, kl, ks_statistic, ks_pvalue | chi2_*, production_missing_share. */
  metrics: Record<string, number | null>;
  statistics: StatisticRow[];
  /** drift-server's note when KS and the statistics rest on fewer raw rows than the window holds. */
  coverageNote?: string;
}

export interface ModelSummaryView {
  healthScore: number | null;
  estimatedAccuracy: number | null;
  realizedAccuracy: number | null;
  referenceAccuracy: number | null;
}

export interface RecommendationView {
  recommendation: string;
  reasons: string[];
  revenueAtRiskPerDay: number | null;
  retrainCost: number | null;
  recoverableValue: number | null;
  paybackDays: number | null;
  accuracyDrop: number | null;
  /** Grafana unit of the money figures (currencyEUR, currency:XAU …), from the frame. */
  moneyUnit: string;
}

export interface PsiPoint {
  time: number;
  psi: number | null;
}

/** What the panel understood of the frames it was given, whatever their refIds. */
export interface DriftFrames {
  features?: FeatureRow[];
  psiTrends: Map<string, PsiPoint[]>;
  detail?: FeatureDetailView;
  summary?: ModelSummaryView;
  recommendation?: RecommendationView;
  jobs?: RetrainJobView[];
  /** The model the frames describe, from trend labels; the queries' own `model` is preferred. */
  modelFromLabels?: string;
}

/**
 * The points whose interval lies wholly in [fromMs, toMs]: a time range that ends (or starts)
 * inside an interval leaves it with a fraction of its rows, and its PSI is mostly noise.
 */
export function wholeIntervals(points: PsiPoint[], fromMs: number, toMs: number): PsiPoint[] {
  const steps = points.slice(1).map((point, index) => point.time - points[index].time);
  const step = steps.length > 0 ? Math.min(...steps) : 0;
  return points.filter((point) => point.time >= fromMs && point.time + step <= toMs);
}

function fieldNamed(frame: DataFrame, name: string): Field | undefined {
  return frame.fields.find((field) => field.name === name);
}

function hasFields(frame: DataFrame, ...names: string[]): boolean {
  return names.every((name) => fieldNamed(frame, name) !== undefined);
}

function numberAt(frame: DataFrame, name: string, row: number): number | null {
  const value = fieldNamed(frame, name)?.values[row];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function stringAt(frame: DataFrame, name: string, row: number): string {
  const value = fieldNamed(frame, name)?.values[row];
  return value === null || value === undefined ? '' : String(value);
}

function rowIndexes(frame: DataFrame): number[] {
  return Array.from({ length: frame.fields[0]?.values.length ?? 0 }, (_, row) => row);
}

function isNumericWide(frame: DataFrame): boolean {
  return frame.meta?.type === DataFrameType.NumericWide;
}

function featureRows(frame: DataFrame): FeatureRow[] {
  return rowIndexes(frame)
    .map((row) => {
      const severity = stringAt(frame, 'severity', row);
      const importance = numberAt(frame, 'importance', row) ?? 0;
      const psi = numberAt(frame, 'psi', row);
      return {
        feature: stringAt(frame, 'feature', row),
        kind: stringAt(frame, 'kind', row),
        importance,
        severity: (SEVERITIES as readonly string[]).includes(severity) ? (severity as Severity) : 'insufficient_data',
        psi,
        psiCritical: numberAt(frame, 'psi_critical', row),
        js: numberAt(frame, 'js', row),
        kl: numberAt(frame, 'kl', row),
        ks: numberAt(frame, 'ks_statistic', row),
        productionRows: numberAt(frame, 'production_rows', row),
        referenceRows: numberAt(frame, 'reference_rows', row),
        impact: importance * (psi ?? 0),
      };
    })
    .sort(byImpact);
}

function histogramBins(frame: DataFrame): HistogramBin[] {
  return rowIndexes(frame).map((row) => ({
    label: stringAt(frame, 'bin', row),
    referenceShare: numberAt(frame, 'reference_share', row) ?? 0,
    productionShare: numberAt(frame, 'production_share', row) ?? 0,
    psiContribution: numberAt(frame, 'psi_contribution', row) ?? 0,
  }));
}

function statisticRows(frame: DataFrame): StatisticRow[] {
  return rowIndexes(frame).map((row) => ({
    statistic: stringAt(frame, 'statistic', row),
    reference: numberAt(frame, 'reference', row),
    production: numberAt(frame, 'production', row),
  }));
}

function numericWideValues(frame: DataFrame): Record<string, number | null> {
  return Object.fromEntries(frame.fields.map((field) => [field.name, numberAt(frame, field.name, 0)]));
}

function summaryView(frame: DataFrame): ModelSummaryView {
  return {
    healthScore: numberAt(frame, 'health_score', 0),
    estimatedAccuracy: numberAt(frame, 'estimated_accuracy', 0),
    realizedAccuracy: numberAt(frame, 'realized_accuracy', 0),
    referenceAccuracy: numberAt(frame, 'reference_accuracy', 0),
  };
}

function recommendationView(frame: DataFrame): RecommendationView {
  return {
    recommendation: stringAt(frame, 'recommendation', 0),
    reasons: stringAt(frame, 'reasons', 0)
      .split('\n')
      .filter((reason) => reason.length > 0),
    revenueAtRiskPerDay: numberAt(frame, 'revenue_at_risk_per_day', 0),
    retrainCost: numberAt(frame, 'retrain_cost', 0),
    recoverableValue: numberAt(frame, 'recoverable_value', 0),
    paybackDays: numberAt(frame, 'payback_days', 0),
    accuracyDrop: numberAt(frame, 'accuracy_drop', 0),
    moneyUnit: fieldNamed(frame, 'retrain_cost')?.config.unit ?? 'none',
  };
}

function jobRows(frame: DataFrame): RetrainJobView[] {
  return rowIndexes(frame).map((row) => jobFromValues((name) => fieldNamed(frame, name)?.values[row] ?? null));
}

/** A PSI trend frame (data source `trends` query, metric psi): time, then psi labelled with its feature. */
function psiTrend(frame: DataFrame): { feature: string; model?: string; points: PsiPoint[] } | undefined {
  const time = frame.fields.find((field) => field.type === FieldType.time);
  const psi = fieldNamed(frame, 'psi');
  const feature = psi?.labels?.feature;
  if (!time || !psi || !feature) {
    return undefined;
  }
  return {
    feature,
    model: psi.labels?.model,
    points: time.values.map((at: number, index: number) => ({
      time: at,
      psi: typeof psi.values[index] === 'number' ? psi.values[index] : null,
    })),
  };
}

/**
 * Recognises the DriftGuard data source's frames by name and shape, so a dashboard may give the
 * panel its queries under any refIds and in any order.
 */
export function readDriftFrames(frames: DataFrame[]): DriftFrames {
  const result: DriftFrames = { psiTrends: new Map() };
  const detail: Partial<FeatureDetailView> = {};
  for (const frame of frames) {
    const trend = psiTrend(frame);
    if (trend) {
      result.psiTrends.set(trend.feature, trend.points);
      result.modelFromLabels = result.modelFromLabels ?? trend.model;
    } else if (hasFields(frame, 'feature', 'importance', 'severity', 'psi')) {
      result.features = featureRows(frame);
    } else if (isNumericWide(frame) && hasFields(frame, 'health_score')) {
      result.summary = summaryView(frame);
    } else if (hasFields(frame, 'recommendation', 'reasons')) {
      result.recommendation = recommendationView(frame);
    } else if (hasFields(frame, 'bin', 'reference_share', 'production_share')) {
      detail.histogram = histogramBins(frame);
    } else if (isNumericWide(frame) && hasFields(frame, 'psi')) {
      detail.metrics = numericWideValues(frame);
    } else if (hasFields(frame, 'statistic', 'reference', 'production')) {
      detail.statistics = statisticRows(frame);
      detail.coverageNote = frame.meta?.notices?.find((notice) => notice.severity === 'warning')?.text;
    } else if (hasFields(frame, 'id', 'status')) {
      result.jobs = jobRows(frame);
    }
  }
  if (detail.histogram || detail.metrics || detail.statistics) {
    result.detail = {
      histogram: detail.histogram ?? [],
      metrics: detail.metrics ?? {},
      statistics: detail.statistics ?? [],
      coverageNote: detail.coverageNote,
    };
  }
  return result;
}
