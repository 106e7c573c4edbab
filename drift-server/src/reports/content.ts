import { createHash } from 'node:crypto';
import {
  AccuracyFigure,
  BaselineChoice,
  BaselineOut,
  CalibrationState,
  CostBenefit,
  DriftEngine,
  FeatureContribution,
  FeatureDetail,
  modelHealth,
  modelTrend,
  TimeWindow,
  WindowOut,
} from '../engine';
import { BinShare, MISSING_LABEL, Severity } from '../stats';
import { AlertRecord, ModelTask, RetrainJob } from '../store';
import { windowActivity } from './activity';
import { HOUR_MS } from '../time';

/** Trend points of a report are days: what an auditor reads, and few enough to chart over 90 days. */
export const REPORT_INTERVAL_MS = 24 * HOUR_MS;
/** The most drifted features (highest PSI) whose histograms and daily PSI the report draws. */
export const CHARTED_FEATURES = 4;

/** A feature's deep dive without its bins and cut points (the histograms carry those for charted features). */
export type ReportFeature = Omit<FeatureDetail['drift'], 'bins' | 'cuts'> &
  Pick<FeatureDetail, 'stats'> & {
    /** Share of baseline rows with a missing value: the missing bin's reference share (0 when neither side has one). */
    readonly reference_missing_share: number | null;
  };

export interface ReportHistogram {
  readonly feature: string;
  readonly kind: 'numeric' | 'categorical';
  readonly psi: number | null;
  readonly severity: Severity;
  readonly bins: BinShare[];
}

export interface ReportTrendDay {
  /** Start of the day (UTC). */
  readonly time: string;
  readonly predictions: number;
  readonly health: number | null;
  readonly drifted_features: number;
  readonly estimated_accuracy: number | null;
  readonly realized_accuracy: number | null;
  readonly labelled_rows: number;
  /** PSI of each feature of `ReportTrend.features`, in that order. */
  readonly psi: (number | null)[];
}

export interface ReportTrend {
  /** The report window widened to whole UTC days. */
  readonly window: WindowOut;
  readonly interval_ms: number;
  /** Every feature, in the order of the report's feature table. */
  readonly features: string[];
  readonly days: ReportTrendDay[];
}

/** Everything a report shows, as plain data: the CSV and PDF render it, the content hash covers it. */
export interface ReportContent {
  readonly model: { readonly id: string; readonly name: string; readonly task: ModelTask; readonly buckets: number };
  readonly window: WindowOut;
  readonly baseline: BaselineOut;
  /** The reference version whose bins (and calibration) the figures use. */
  readonly reference_version: number;
  readonly summary: {
    readonly total_predictions: number;
    readonly predictions_per_day: number;
    readonly hours_with_data: number;
    readonly average_drift_score: number | null;
    readonly health_score: number | null;
    readonly assessed_features: number;
    readonly insufficient_features: string[];
    readonly drifted_features: number;
    readonly severity_counts: Record<Severity, number>;
    readonly top_features: FeatureContribution[];
  };
  readonly accuracy: {
    readonly estimated: AccuracyFigure | null;
    readonly realized: AccuracyFigure | null;
    readonly reference: AccuracyFigure | null;
    readonly estimate_error: number | null;
    readonly calibration: CalibrationState;
  };
  /** The cost-benefit and recommendation; null with the reasons in `recommendation_unavailable`. */
  readonly recommendation: CostBenefit | null;
  readonly recommendation_unavailable: string[];
  /** Highest PSI first, as in the API's summary. */
  readonly features: ReportFeature[];
  /** Histograms of the CHARTED_FEATURES highest-PSI features with data. */
  readonly histograms: ReportHistogram[];
  readonly trend: ReportTrend;
  readonly retrain_jobs: RetrainJob[];
  readonly alerts: AlertRecord[];
}

/**
 * The missing bin, where the engine puts it: after the cut-point bins of a numeric feature, first
 * among a categorical feature's (which a category named "missing" sorting first would resemble).
 */
function missingBin({ kind, bins, cuts }: FeatureDetail['drift']): BinShare | undefined {
  const candidate =
    kind === 'numeric' ? (bins.length === (cuts?.length ?? 0) + 2 ? bins[bins.length - 1] : undefined) : bins[0];
  return candidate?.label === MISSING_LABEL ? candidate : undefined;
}

function reportFeature({ drift, stats }: FeatureDetail): ReportFeature {
  const { bins, cuts, ...figures } = drift;
  return {
    ...figures,
    reference_missing_share: drift.reference_rows === 0 ? null : (missingBin(drift)?.reference_share ?? 0),
    stats,
  };
}

/**
 * The report of a model over a window against a baseline, assembled from the drift engine's
 * summary, model health, feature deep dives and daily trends (the figures the API serves), plus the
 * retrain jobs and alerts of the window.
 */
export async function buildReport(
  engine: DriftEngine,
  modelId: string,
  window: TimeWindow,
  choice: BaselineChoice
): Promise<ReportContent> {
  const [summary, health, trends, modelTrendSeries, model] = await Promise.all([
    engine.summary(modelId, window, choice),
    modelHealth(engine, modelId, window, choice),
    engine.trends(modelId, window, REPORT_INTERVAL_MS, choice),
    modelTrend(engine, modelId, window, REPORT_INTERVAL_MS, choice),
    engine.store.models.get(modelId),
  ]);
  const detailByFeature = new Map(
    (await engine.featureDetails(modelId, window, choice)).map((detail) => [detail.drift.feature, detail])
  );
  const details = summary.features.map((feature) => detailByFeature.get(feature.feature) as FeatureDetail);
  const activity = await windowActivity(engine.store, modelId, window);
  const seriesByFeature = new Map(trends.series.map((series) => [series.feature, series.points]));
  const featureOrder = summary.features.map((feature) => feature.feature);
  return {
    model: { id: model.id, name: model.name, task: model.task, buckets: model.buckets },
    window: summary.window,
    baseline: summary.baseline,
    reference_version: health.accuracy.calibration.reference_version,
    summary: {
      total_predictions: summary.total_predictions,
      predictions_per_day: health.predictions_per_day.value,
      hours_with_data: summary.data_volume.hours_with_data,
      average_drift_score: summary.average_drift_score,
      health_score: health.health.health,
      assessed_features: health.health.assessed_features,
      insufficient_features: health.health.insufficient_features,
      drifted_features: summary.drifted_features,
      severity_counts: summary.severity_counts,
      top_features: health.health.top_features,
    },
    accuracy: {
      estimated: health.accuracy.estimated,
      realized: health.accuracy.realized,
      reference: health.accuracy.reference,
      estimate_error: health.accuracy.estimate_error,
      calibration: health.accuracy.calibration,
    },
    recommendation: health.cost_benefit,
    recommendation_unavailable: health.cost_benefit_unavailable,
    features: details.map(reportFeature),
    histograms: details
      .filter((detail) => detail.drift.psi !== null)
      .slice(0, CHARTED_FEATURES)
      .map(({ drift }) => ({
        feature: drift.feature,
        kind: drift.kind,
        psi: drift.psi,
        severity: drift.severity,
        bins: drift.bins,
      })),
    trend: {
      window: trends.window,
      interval_ms: trends.interval_ms,
      features: featureOrder,
      days: modelTrendSeries.points.map((point, day) => ({
        time: point.time,
        predictions: trends.volume[day].predictions,
        health: point.health,
        drifted_features: point.drifted_features,
        estimated_accuracy: point.estimated_accuracy,
        realized_accuracy: point.realized_accuracy,
        labelled_rows: point.labelled_rows,
        psi: featureOrder.map((feature) => seriesByFeature.get(feature)?.[day].psi ?? null),
      })),
    },
    retrain_jobs: activity.retrain_jobs,
    alerts: activity.alerts,
  };
}

/** JSON with every object's keys sorted, so equal data always serialises to the same bytes. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined);
    entries.sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** SHA-256 (hex) of the report's data as canonical JSON (UTF-8, keys sorted); the generation time is not part of it. */
export function reportHash(content: ReportContent): string {
  return createHash('sha256').update(canonicalJson(content), 'utf8').digest('hex');
}
