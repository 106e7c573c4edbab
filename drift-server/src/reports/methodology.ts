import { DEFAULT_TOP_FEATURES, MIN_POINTS_LISTED, PSI_HALF_DAMAGE } from '../engine';
import { DEFAULT_DECISION_SETTINGS } from '../engine';
import { HEALTH_WATCH_LEVEL, URGENT_PAYBACK_SHARE } from '../engine';
import {
  chiSquarePpf,
  CROSS_FIT_FOLDS,
  DEFAULT_DECISION_THRESHOLD,
  DEFAULT_THRESHOLDS,
  EMPTY_SHARE,
  SeverityThresholds,
} from '../stats';
import { MIN_CALIBRATION_ROWS } from '../store';
import { CHARTED_FEATURES, REPORT_INTERVAL_MS } from './content';
import { SMALLEST_SHOWN } from '../number-format';

export interface MethodologySection {
  readonly title: string;
  readonly paragraphs: string[];
}

const points = (share: number) => `${Number((100 * share).toFixed(2))} point${share === 0.01 ? '' : 's'}`;
/** The two-sided 95 % normal quantile, from the chi-square quantile with one degree of freedom. */
const Z_95 = Math.sqrt(chiSquarePpf(0.95, 1)).toFixed(2);

/**
 * The methodology appendix: every formula and threshold behind the report's figures, worded after
 * docs/STATISTICS.md with the numbers taken from the code that applies them, in words a reader can
 * type into a search (sum, sqrt, chi²).
 */
export function methodology(
  buckets: number,
  thresholds: SeverityThresholds = DEFAULT_THRESHOLDS
): MethodologySection[] {
  const { psiWarning, psiCritical, minRows } = thresholds;
  return [
    {
      title: 'Bins',
      paragraphs: [
        `Numeric features: cut points are the reference quantiles at k/B, k = 1..B-1 (B = ${buckets} for this model), linear interpolation, duplicate cut points removed. A value v falls in bin i = number of cut points <= v (bins closed on the left, outer bins open to -infinity and +infinity). Cut points are frozen when the reference version is uploaded.`,
        'Categorical features: one bin per category seen on either side. Missing values (empty, null, NaN) form a missing bin on both sides when either side has any; shares are over all rows, missing included.',
      ],
    },
    {
      title: 'Drift metrics',
      paragraphs: [
        `e_i, a_i = share of reference and production rows in bin i; N, M = reference and production rows.`,
        `PSI = sum over bins of (a_i - e_i) · ln(a_i / e_i). KL = sum over bins of a_i · ln(a_i / e_i). In PSI and KL a share of exactly 0 is replaced by ${EMPTY_SHARE} (no renormalisation).`,
        'JS = Jensen-Shannon distance, base 2, on the raw shares (0 · log 0 = 0): sqrt(½ sum e_i log2(e_i/m_i) + ½ sum a_i log2(a_i/m_i)), m_i = (e_i + a_i)/2; range 0 to 1.',
        'psi_critical = chi²_0.95(K - 1) · (1/N + 1/M), K = bins holding rows on either side: the PSI that sampling noise alone stays under 19 times out of 20.',
        'KS (numeric): D = largest gap between the two empirical distribution functions over the non-missing values; two-sided p-value as scipy ks_2samp(method="auto") (exact for small samples, asymptotic for large; the method is listed per feature). Chi-square (categorical): test of homogeneity of the 2 x K table of counts, categories empty on both sides dropped, no continuity correction, K - 1 degrees of freedom. p-values are reported, never used for severity.',
      ],
    },
    {
      title: 'Severity',
      paragraphs: [
        `insufficient_data: fewer than ${minRows} non-missing rows on either side (never an alarm). ok: PSI <= psi_critical, or PSI < ${psiWarning}. warning: PSI > psi_critical and ${psiWarning} <= PSI < ${psiCritical}. critical: PSI > psi_critical and PSI >= ${psiCritical}.`,
      ],
    },
    {
      title: 'Health score (0-100)',
      paragraphs: [
        `For each feature i with severity other than insufficient_data: damage_i = 1 - 2^(-max(0, PSI_i - psi_critical_i) / ${PSI_HALF_DAMAGE}); w_i = importance_i / sum of importances (equal weights when all are 0); health = 100 · (1 - sum w_i · damage_i). No assessable feature: health unknown.`,
        `Top features: up to ${DEFAULT_TOP_FEATURES} features losing at least ${MIN_POINTS_LISTED} points, points lost = 100 · w_i · damage_i. Drifted features: severity warning or critical.`,
      ],
    },
    {
      title: 'Accuracy',
      paragraphs: [
        `Estimated accuracy (CBPE, no labels): the reference's rows with a probability and a label (at least ${MIN_CALIBRATION_ROWS}) are dealt into ${CROSS_FIT_FOLDS} random folds and an isotonic calibration of P(label = 1 | probability) is fitted without each; c = the mean of the fits; predicted class = the prediction column, else probability >= ${DEFAULT_DECISION_THRESHOLD}; a row predicted 1 is right with chance q = c, predicted 0 with q = 1 - c; estimate = mean q over the window's scored rows. 95 % band: ± sqrt(${Z_95}² · sum q(1 - q) / n² + t² · calibration variance), the calibration variance being the jackknife over the folds with ${CROSS_FIT_FOLDS - 1} degrees of freedom.`,
        'Realized accuracy: right predictions / labelled rows of the window, 95 % Wilson score band. Reference accuracy: the same on the reference rows. Estimate error = estimated - realized.',
      ],
    },
    {
      title: 'Cost-benefit and recommendation',
      paragraphs: [
        `Every comparison (drop = reference - current; population shift = reference - estimated; concept drift = estimated - realized; recoverable = min(reference, estimated) - realized) is established when it is at least ${points(DEFAULT_DECISION_SETTINGS.minMaterialDrop)} and its lower confidence bound, from both sides' own intervals at the one-sided ${100 * DEFAULT_DECISION_SETTINGS.alpha} % level, lies above 0. Realized accuracy is acted on from ${DEFAULT_DECISION_SETTINGS.minLabelledRows} labels (the model's min_labelled_rows); a recoverable drop needs both the drop and the concept drift established, and is confirmed once established on ${DEFAULT_DECISION_SETTINGS.persistence.required} of the last ${DEFAULT_DECISION_SETTINGS.persistence.days} days.`,
        "Predictions per day = window predictions / window days (the model's predictions_per_day parameter for windows under a day). Value per error = cost_per_error + value_per_correct_prediction.",
        'Revenue at risk per day = established drop · predictions per day · value per error. Recoverable per day = confirmed recoverable drop · predictions per day · value per error. Recoverable value = recoverable per day · max(0, horizon - retrain duration). Net benefit = recoverable value - retrain cost. Payback days = retrain duration + retrain cost / recoverable per day.',
        `First match wins: retrain_now when the recoverable drop is confirmed and payback <= ${URGENT_PAYBACK_SHARE} · horizon; schedule_retrain when confirmed and payback < horizon (or without business parameters); monitor when confirmed but not paying back, or any accuracy gap is established, or health < ${HEALTH_WATCH_LEVEL}, or any feature drifted; otherwise no_action.`,
      ],
    },
    {
      title: 'This report',
      paragraphs: [
        `Window [from, to) in UTC, floored and ceiled to whole hours. Trends are per ${REPORT_INTERVAL_MS / 3_600_000}-hour UTC day over the window widened to whole days; histograms and PSI trends show the ${CHARTED_FEATURES} features with the highest PSI.`,
        'Content hash: SHA-256 (hex) of the report data as canonical JSON (UTF-8, object keys sorted): model, window, baseline, every figure, reason, feature row, histogram bin, daily point, retrain job and alert in this report. It excludes the generation time, so the same data always gives the same hash, and any change in the data changes it.',
        `Numbers: figures to three significant digits, whole numbers from 1,000 up, anything below ${SMALLEST_SHOWN} written "< ${SMALLEST_SHOWN}" (p-values included); shares as percentages with one decimal. The CSV export carries every figure in full precision.`,
        'Text is set in DejaVu Sans, embedded in this file: Latin, Greek, Cyrillic, Armenian, Georgian, Hebrew and Arabic letters print as written (right-to-left scripts in stored order); a character the font lacks, such as a CJK ideograph, is shown as [U+XXXX] with its code point. The CSV export carries names exactly.',
      ],
    },
  ];
}
