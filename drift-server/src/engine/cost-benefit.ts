import type { BusinessParameters } from '../store/models';
import { EngineInputError } from './errors';
import type { AccuracyFigure, WindowAccuracy } from '../stats/accuracy-estimate';

export type Recommendation = 'retrain_now' | 'schedule_retrain' | 'monitor' | 'no_action';

/** The money side of a model, all amounts in `currency`. */
export interface RetrainEconomics {
  readonly currency: string;
  /** What one prediction turning from right to wrong costs. */
  readonly value_per_error: number;
  readonly retrain_cost: number;
  /** Days from deciding to retrain until the new model serves. */
  readonly retrain_duration_days: number;
  /** Days ahead over which the benefit of retraining is counted. */
  readonly horizon_days: number;
}

export interface CostBenefitInput {
  readonly reference_accuracy: number;
  readonly accuracy: WindowAccuracy;
  readonly predictions_per_day: number;
  /** Health 0–100 of the same window; null when no feature could be assessed. */
  readonly health: number | null;
  readonly drifted_features: number;
  readonly economics: RetrainEconomics;
}

export interface CostBenefit {
  readonly recommendation: Recommendation;
  /** Sentences for the panel, the decisive one first. */
  readonly reasons: string[];
  readonly accuracy_source: 'realized' | 'estimated' | null;
  readonly current_accuracy: AccuracyFigure | null;
  readonly reference_accuracy: number;
  /** reference − current (negative when the model does better than on the reference). */
  readonly accuracy_drop: number | null;
  /** The drop is at least MIN_MATERIAL_DROP and the reference lies above the current accuracy's band. */
  readonly drop_is_material: boolean;
  readonly predictions_per_day: number;
  readonly currency: string;
  readonly value_per_error: number;
  /** accuracy drop × predictions per day × value per error; 0 unless the drop is material. */
  readonly revenue_at_risk_per_day: number;
  /** What retraining wins back: revenue at risk per day over the horizon days after the retrain finishes. */
  readonly recoverable_value: number;
  readonly retrain_cost: number;
  readonly net_benefit: number;
  /** Days until the recovered value has paid the retrain cost; null when nothing is at risk. */
  readonly payback_days: number | null;
  readonly retrain_duration_days: number;
  readonly horizon_days: number;
}

/** Labelled rows from which the realized accuracy is preferred to the estimate (its band is then about ±4 points or less). */
export const MIN_LABELLED_ROWS = 500;
/** A drop under one accuracy point is not worth a retrain whatever the volume: it is within everyday variation of a model. */
export const MIN_MATERIAL_DROP = 0.01;
/** Retrain now when it pays back within this share of the horizon; waiting would forfeit much of the benefit. */
export const URGENT_PAYBACK_SHARE = 0.5;
/** Below this health some important feature has moved well past noise: worth watching even if accuracy holds. */
export const HEALTH_WATCH_LEVEL = 90;
/** A gap this large between estimate and labels means the label-free estimate cannot be trusted now. */
export const ESTIMATE_GAP_WARNING = 0.03;

/**
 * Economics from a model's business parameters, or null when one is missing. A right prediction
 * turned wrong forfeits its value and incurs the cost of an error, so both add up.
 */
export function economicsFrom(business: BusinessParameters): RetrainEconomics | null {
  const { cost_per_error, value_per_correct_prediction, retrain_cost, retrain_duration_days, horizon_days } = business;
  if (cost_per_error === null && value_per_correct_prediction === null) return null;
  if (retrain_cost === null || retrain_duration_days === null || horizon_days === null) return null;
  return {
    currency: business.currency,
    value_per_error: (cost_per_error ?? 0) + (value_per_correct_prediction ?? 0),
    retrain_cost,
    retrain_duration_days,
    horizon_days,
  };
}

function checkInput(input: CostBenefitInput): void {
  const numbers = {
    reference_accuracy: input.reference_accuracy,
    predictions_per_day: input.predictions_per_day,
    value_per_error: input.economics.value_per_error,
    retrain_cost: input.economics.retrain_cost,
    retrain_duration_days: input.economics.retrain_duration_days,
    horizon_days: input.economics.horizon_days,
  };
  for (const [name, value] of Object.entries(numbers)) {
    if (!(Number.isFinite(value) && value >= 0)) throw new EngineInputError(`${name} must be a finite number ≥ 0, got ${value}`);
  }
  if (input.reference_accuracy > 1) throw new EngineInputError(`reference_accuracy is a share in [0, 1], got ${input.reference_accuracy}`);
  if (input.economics.horizon_days === 0) throw new EngineInputError('horizon_days must be > 0');
}

/** Realized accuracy once enough labels arrived, else the label-free estimate. */
export function currentAccuracy(accuracy: WindowAccuracy): { source: 'realized' | 'estimated'; figure: AccuracyFigure } | null {
  if (accuracy.realized && accuracy.realized.rows >= MIN_LABELLED_ROWS) return { source: 'realized', figure: accuracy.realized };
  if (accuracy.estimated) return { source: 'estimated', figure: accuracy.estimated };
  if (accuracy.realized) return { source: 'realized', figure: accuracy.realized };
  return null;
}

const percent = (share: number) => `${(100 * share).toFixed(1)}%`;
const points = (share: number) => `${(100 * share).toFixed(1)} points`;
const days = (count: number) => `${Number(count.toFixed(1))} day${count === 1 ? '' : 's'}`;
const sourceName = (source: 'realized' | 'estimated') => (source === 'realized' ? 'Realized' : 'Estimated');

function moneyFormatter(currency: string): (amount: number) => string {
  try {
    const format = new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 0 });
    return (amount) => format.format(amount);
  } catch {
    // Not an ISO 4217 code (a free-text unit such as "credits"): name it after the number.
    return (amount) => `${Math.round(amount).toLocaleString('en-US')} ${currency}`;
  }
}

type Figures = Omit<CostBenefit, 'recommendation' | 'reasons'>;

function figuresOf(input: CostBenefitInput): Figures {
  const { economics, reference_accuracy: reference, predictions_per_day: volume } = input;
  const current = currentAccuracy(input.accuracy);
  const drop = current ? reference - current.figure.value : null;
  const material = current !== null && drop !== null && drop >= MIN_MATERIAL_DROP && current.figure.upper < reference;
  const atRisk = material && drop !== null ? drop * volume * economics.value_per_error : 0;
  const recoverable = atRisk * Math.max(0, economics.horizon_days - economics.retrain_duration_days);
  return {
    accuracy_source: current?.source ?? null,
    current_accuracy: current?.figure ?? null,
    reference_accuracy: reference,
    accuracy_drop: drop,
    drop_is_material: material,
    predictions_per_day: volume,
    currency: economics.currency,
    value_per_error: economics.value_per_error,
    revenue_at_risk_per_day: atRisk,
    recoverable_value: recoverable,
    retrain_cost: economics.retrain_cost,
    net_benefit: recoverable - economics.retrain_cost,
    // Losses go on while the new model is trained, then each day wins back the revenue at risk.
    payback_days: atRisk > 0 ? economics.retrain_duration_days + economics.retrain_cost / atRisk : null,
    retrain_duration_days: economics.retrain_duration_days,
    horizon_days: economics.horizon_days,
  };
}

function inputsDrifting(input: CostBenefitInput): boolean {
  return (input.health !== null && input.health < HEALTH_WATCH_LEVEL) || input.drifted_features > 0;
}

/**
 * Decision rules, first match wins (payback < horizon is the same as net benefit > 0):
 * 1. material drop and payback ≤ half the horizon → retrain_now;
 * 2. material drop and payback < horizon → schedule_retrain;
 * 3. material drop that retraining does not pay back, or health < 90, or any drifted feature → monitor;
 * 4. otherwise → no_action.
 */
function decide(figures: Figures, drifting: boolean): Recommendation {
  if (figures.drop_is_material && figures.payback_days !== null && figures.net_benefit > 0) {
    return figures.payback_days <= URGENT_PAYBACK_SHARE * figures.horizon_days ? 'retrain_now' : 'schedule_retrain';
  }
  return figures.drop_is_material || drifting ? 'monitor' : 'no_action';
}

function accuracyReason(figures: Figures, money: (amount: number) => string): string {
  const { current_accuracy: current, accuracy_source: source, accuracy_drop: drop, reference_accuracy: reference } = figures;
  if (current === null || source === null || drop === null) {
    return 'No accuracy figure: the window has no scored or labelled predictions, so no revenue at risk can be computed.';
  }
  if (figures.drop_is_material) {
    return (
      `${sourceName(source)} accuracy is ${percent(current.value)} against ${percent(reference)} on the reference: ${points(drop)} lost, ` +
      `about ${money(figures.revenue_at_risk_per_day)} a day at ${Math.round(figures.predictions_per_day).toLocaleString('en-US')} predictions a day and ${money(figures.value_per_error)} per error.`
    );
  }
  const comparison = drop > 0 ? 'is within noise of' : 'is at or above';
  return `${sourceName(source)} accuracy ${percent(current.value)} (95% band ${percent(current.lower)}–${percent(current.upper)}) ${comparison} the reference ${percent(reference)}: no revenue is at risk.`;
}

function retrainReason(recommendation: Recommendation, figures: Figures, money: (amount: number) => string): string {
  const horizon = `the ${Number(figures.horizon_days.toFixed(1))}-day horizon`;
  const payback = figures.payback_days === null ? 'never' : days(figures.payback_days);
  if (recommendation === 'retrain_now') {
    return (
      `Retraining (${money(figures.retrain_cost)}, ${days(figures.retrain_duration_days)}) pays for itself in ${payback} and wins back ` +
      `${money(figures.net_benefit)} net over ${horizon}; every day of waiting loses ${money(figures.revenue_at_risk_per_day)}.`
    );
  }
  if (recommendation === 'schedule_retrain') {
    return `Retraining pays back in ${payback}, within ${horizon} (net ${money(figures.net_benefit)}) but not urgently: schedule it in the next regular slot.`;
  }
  return `Retraining would not pay back within ${horizon}: it recovers ${money(figures.recoverable_value)} against a cost of ${money(figures.retrain_cost)}.`;
}

function driftReason(input: CostBenefitInput): string {
  const health = input.health === null ? 'unknown' : input.health.toFixed(0);
  if (!inputsDrifting(input)) return `Inputs look like the reference (health ${health}, no feature drifted).`;
  const flagged =
    input.drifted_features === 0
      ? 'no feature past its PSI threshold yet'
      : `${input.drifted_features} feature${input.drifted_features === 1 ? '' : 's'} past the PSI threshold`;
  return `Inputs are drifting (health ${health}, ${flagged}): watch whether accuracy follows.`;
}

function estimateGapReason(input: CostBenefitInput, figures: Figures): string | null {
  const estimate = input.accuracy.estimated;
  if (figures.accuracy_source !== 'realized' || !estimate || !figures.current_accuracy) return null;
  const gap = Math.abs(estimate.value - figures.current_accuracy.value);
  if (gap < ESTIMATE_GAP_WARNING) return null;
  return (
    `The label-free estimate (${percent(estimate.value)}) misses the realized accuracy by ${points(gap)}: the link between inputs and outcomes ` +
    'has changed (concept drift), so do not rely on the estimate for this model until it is retrained.'
  );
}

/** Revenue at risk, what retraining wins back, payback and the recommendation, with the reasons in words. */
export function costBenefit(input: CostBenefitInput): CostBenefit {
  checkInput(input);
  const money = moneyFormatter(input.economics.currency);
  const figures = figuresOf(input);
  const recommendation = decide(figures, inputsDrifting(input));
  const reasons = [
    accuracyReason(figures, money),
    figures.drop_is_material ? retrainReason(recommendation, figures, money) : driftReason(input),
    estimateGapReason(input, figures),
  ].filter((reason): reason is string => reason !== null);
  return { recommendation, reasons, ...figures };
}
