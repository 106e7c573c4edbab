import type { DescriptiveStats, Finding, NumericBinning, Severity } from '../stats';
import type { FeatureDefinition, ModelOutputColumn } from '../store';
import type { FeatureDrift } from './feature-drift';
import type { Persistence } from './persistence';
import type { RawRowCoverage } from './raw-coverage';

export interface WindowOut {
  readonly from: string;
  readonly to: string;
}

export type BaselineOut =
  | { readonly kind: 'reference'; readonly version: number; readonly rows: number }
  | { readonly kind: 'previous_period'; readonly from: string; readonly to: string; readonly binning_version: number };

export interface ModelSummary {
  readonly model_id: string;
  readonly window: WindowOut;
  readonly baseline: BaselineOut;
  readonly total_predictions: number;
  readonly data_volume: {
    readonly predictions: number;
    readonly hours_with_data: number;
    readonly predictions_per_day: number;
  };
  readonly average_drift_score: number | null;
  readonly drifted_features: number;
  readonly severity_counts: Record<Severity, number>;
  readonly features: Omit<FeatureDrift, 'bins'>[];
  /** The model output's drift (prediction-drift.ts); null when the baseline has no output bins. */
  readonly prediction_drift: PredictionDrift | null;
}

/** The model's output compared like a feature, with the same figures and verdict rule. */
export interface PredictionDrift extends Omit<FeatureDrift, 'feature' | 'importance' | 'bins'> {
  readonly column: ModelOutputColumn;
  /** The window's predictions without output counts: hours counted before the output was monitored. */
  readonly uncounted_predictions: number;
}

export interface FeatureDetail {
  readonly model_id: string;
  readonly window: WindowOut;
  readonly baseline: BaselineOut;
  readonly drift: FeatureDrift & {
    readonly cuts: number[] | null;
    /** How the numeric bins were frozen: quantile cut points or one bin per value; null for categorical features. */
    readonly binning: NumericBinning | null;
    readonly ks_statistic: number | null;
    readonly ks_pvalue: number | null;
    readonly ks_method: 'exact' | 'asymptotic' | null;
    readonly chi2_statistic: number | null;
    readonly chi2_pvalue: number | null;
    readonly chi2_dof: number | null;
  };
  readonly stats: { readonly reference: DescriptiveStats | null; readonly production: DescriptiveStats | null };
  readonly raw_rows: { readonly reference: number; readonly production: number; readonly truncated: boolean };
  readonly coverage: RawRowCoverage;
}

export interface TrendPoint {
  readonly time: string;
  readonly psi: number | null;
  readonly js: number | null;
  readonly kl: number | null;
  readonly psi_critical: number | null;
  readonly severity: Severity;
  readonly production_rows: number;
  /** The interval's decided verdict (severity warning or critical). */
  readonly drifted: boolean;
  /** Drifted here and in enough of the intervals just before (DEFAULT_PERSISTENCE): what breaches and alerts act on. */
  readonly persistent: boolean;
  readonly psi_corrected: number | null;
  readonly psi_noise: number | null;
  readonly shift_q_value: number | null;
  readonly findings: Finding[];
}

export interface TrendFrame {
  readonly model_id: string;
  readonly window: WindowOut;
  readonly interval_ms: number;
  readonly baseline: BaselineOut;
  readonly volume: { readonly time: string; readonly predictions: number }[];
  /** The rule behind each trend point's `persistent`. */
  readonly persistence: Persistence;
}

export interface TrendSeries {
  readonly feature: string;
  readonly kind: FeatureDefinition['kind'];
  readonly points: TrendPoint[];
}

export interface Trends extends TrendFrame {
  readonly series: TrendSeries[];
  /** The model output's series; null when the baseline has no output bins. */
  readonly prediction_drift: { readonly column: ModelOutputColumn; readonly points: TrendPoint[] } | null;
}
