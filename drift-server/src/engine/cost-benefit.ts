import type { BusinessParameters } from '../store';
import type { AccuracyFigure } from '../stats';
import type { AccuracyGap, AccuracyVerdicts, Persistence } from './accuracy-verdicts';
import { EngineInputError } from './errors';
import { count } from '../number-format';

export type Recommendation = 'retrain_now' | 'schedule_retrain' | 'monitor' | 'no_action';

/** The money side of a model, all amounts in its currency. */
export interface RetrainEconomics {
  /** What one prediction turning from right to wrong costs. */
  readonly value_per_error: number;
  readonly retrain_cost: number;
  /** Days from deciding to retrain until the new model serves. */
  readonly retrain_duration_days: number;
  /** Days ahead over which the benefit of retraining is counted. */
  readonly horizon_days: number;
}

export interface CostBenefitInput {
  /** Null when the reference has no accuracy to compare with (see `unavailable`). */
  readonly verdicts: AccuracyVerdicts | null;
  readonly predictions_per_day: number;
  /** Health 0–100 of the same window; null when no feature could be assessed. */
  readonly health: number | null;
  readonly drifted_features: number;
  /** The model's currency, which every amount is in. */
  readonly currency: string;
  /** Null when the model lacks business parameters (see `unavailable`). */
  readonly economics: RetrainEconomics | null;
  /** Why verdicts or economics are missing, as sentences. */
  readonly unavailable: readonly string[];
}

export interface CostBenefit {
  readonly recommendation: Recommendation;
  /** Sentences for the panel, the decisive one first; each names the assumption it rests on. */
  readonly reasons: string[];
  readonly accuracy_source: 'realized' | 'estimated' | null;
  readonly current_accuracy: AccuracyFigure | null;
  /** Accuracy on the reference; null without one. */
  readonly reference_accuracy: number | null;
  /** reference − current (negative when the model does better than on the reference). */
  readonly accuracy_drop: number | null;
  /** The drop is established: at least the material drop and beyond the sampling error of both sides. */
  readonly drop_is_material: boolean;
  /** reference − estimated: the part of a drop the population shift explains. */
  readonly population_shift: AccuracyGap | null;
  /** estimated − realized: the part it does not explain (concept drift). */
  readonly concept_drift: AccuracyGap | null;
  /** min(reference, estimated) − realized: the part retraining can plausibly recover. */
  readonly recoverable_drop: AccuracyGap | null;
  readonly persistence: Persistence | null;
  /** The recoverable drop is established in this window and in enough recent days: only then does it count as money. */
  readonly recoverable_confirmed: boolean;
  readonly predictions_per_day: number;
  readonly currency: string;
  readonly value_per_error: number | null;
  /** Established accuracy drop × predictions per day × value per error, whatever its cause; 0 unless established. */
  readonly revenue_at_risk_per_day: number | null;
  /** Confirmed recoverable drop × predictions per day × value per error; 0 unless confirmed. */
  readonly recoverable_per_day: number | null;
  /** What retraining wins back: recoverable per day over the horizon days after the retrain finishes. */
  readonly recoverable_value: number | null;
  readonly retrain_cost: number | null;
  readonly net_benefit: number | null;
  /** Days until the recovered value has paid the retrain cost; null when nothing is recoverable. */
  readonly payback_days: number | null;
  readonly retrain_duration_days: number | null;
  readonly horizon_days: number | null;
}

/** Retrain now when it pays back within this share of the horizon; waiting would forfeit much of the benefit. */
export const URGENT_PAYBACK_SHARE = 0.5;
/** Below this health some important feature has moved well past noise: worth watching even if accuracy holds. */
export const HEALTH_WATCH_LEVEL = 90;

/**
 * Economics from a model's business parameters, or null when one is missing. A right prediction
 * turned wrong forfeits its value and incurs the cost of an error, so both add up.
 */
export function economicsFrom(business: BusinessParameters): RetrainEconomics | null {
  const { cost_per_error, value_per_correct_prediction, retrain_cost, retrain_duration_days, horizon_days } = business;
  if (cost_per_error === null && value_per_correct_prediction === null) return null;
  if (retrain_cost === null || retrain_duration_days === null || horizon_days === null) return null;
  return {
    value_per_error: (cost_per_error ?? 0) + (value_per_correct_prediction ?? 0),
    retrain_cost,
    retrain_duration_days,
    horizon_days,
  };
}

function checkInput(input: CostBenefitInput): void {
  const numbers: Record<string, number> = { predictions_per_day: input.predictions_per_day };
  if (input.economics) {
    Object.assign(numbers, {
      value_per_error: input.economics.value_per_error,
      retrain_cost: input.economics.retrain_cost,
      retrain_duration_days: input.economics.retrain_duration_days,
      horizon_days: input.economics.horizon_days,
    });
    if (input.economics.horizon_days === 0) throw new EngineInputError('horizon_days must be > 0');
  }
  for (const [name, value] of Object.entries(numbers)) {
    if (!(Number.isFinite(value) && value >= 0))
      throw new EngineInputError(`${name} must be a finite number ≥ 0, got ${value}`);
  }
}

const percent = (share: number) => `${(100 * share).toFixed(1)}%`;
const points = (share: number) => `${(100 * share).toFixed(1)} points`;
const band = (figure: AccuracyFigure) => `95% band ${percent(figure.lower)}–${percent(figure.upper)}`;
const level = (alpha: number) => `one-sided ${Number((100 * alpha).toFixed(2))}% level`;
const days = (count: number) => {
  const rounded = Number(count.toFixed(1));
  return `${rounded} day${rounded === 1 ? '' : 's'}`;
};

function moneyFormatter(currency: string): (amount: number) => string {
  try {
    const format = new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 0 });
    return (amount) => format.format(amount);
  } catch {
    // Not an ISO 4217 code (a free-text unit such as "credits"): name it after the number.
    return (amount) => `${Math.round(amount).toLocaleString('en-US')} ${currency}`;
  }
}

type Money = Pick<
  CostBenefit,
  | 'value_per_error'
  | 'revenue_at_risk_per_day'
  | 'recoverable_per_day'
  | 'recoverable_value'
  | 'retrain_cost'
  | 'net_benefit'
  | 'payback_days'
  | 'retrain_duration_days'
  | 'horizon_days'
>;

const NO_MONEY: Money = {
  value_per_error: null,
  revenue_at_risk_per_day: null,
  recoverable_per_day: null,
  recoverable_value: null,
  retrain_cost: null,
  net_benefit: null,
  payback_days: null,
  retrain_duration_days: null,
  horizon_days: null,
};

function moneyOf(verdicts: AccuracyVerdicts | null, volume: number, economics: RetrainEconomics | null): Money {
  if (economics === null) return NO_MONEY;
  const perPoint = volume * economics.value_per_error;
  const atRisk = verdicts?.drop?.established ? verdicts.drop.value * perPoint : 0;
  const recoverablePerDay =
    verdicts?.recoverable_confirmed && verdicts.recoverable ? verdicts.recoverable.value * perPoint : 0;
  const recoverable = recoverablePerDay * Math.max(0, economics.horizon_days - economics.retrain_duration_days);
  return {
    value_per_error: economics.value_per_error,
    revenue_at_risk_per_day: atRisk,
    recoverable_per_day: recoverablePerDay,
    recoverable_value: recoverable,
    retrain_cost: economics.retrain_cost,
    net_benefit: recoverable - economics.retrain_cost,
    // Losses go on while the new model is trained, then each day wins back what is recoverable.
    payback_days:
      recoverablePerDay > 0 ? economics.retrain_duration_days + economics.retrain_cost / recoverablePerDay : null,
    retrain_duration_days: economics.retrain_duration_days,
    horizon_days: economics.horizon_days,
  };
}

function inputsDrifting(input: CostBenefitInput): boolean {
  return (input.health !== null && input.health < HEALTH_WATCH_LEVEL) || input.drifted_features > 0;
}

/** Some accuracy verdict short of a confirmed recoverable loss: worth watching. */
function accuracyConcern(verdicts: AccuracyVerdicts | null): boolean {
  if (verdicts === null) return false;
  return [verdicts.drop, verdicts.concept_drift, verdicts.recoverable, verdicts.yardstick?.fall].some(
    (gap) => gap?.established === true
  );
}

/**
 * Decision rules, first match wins (payback < horizon is the same as net benefit > 0):
 * 1. confirmed recoverable loss and payback ≤ half the horizon → retrain_now;
 * 2. confirmed recoverable loss and payback < horizon → schedule_retrain; also without business
 *    parameters, which leave the payback unknown;
 * 3. confirmed recoverable loss that retraining does not pay back, any other established accuracy
 *    verdict (a drop, concept drift, a recoverable loss not yet persistent, a lower yardstick),
 *    health < 90 or a drifted feature → monitor;
 * 4. otherwise → no_action.
 */
function decide(input: CostBenefitInput, money: Money): Recommendation {
  const { verdicts } = input;
  if (verdicts?.recoverable_confirmed) {
    if (money.net_benefit === null || money.payback_days === null || money.horizon_days === null)
      return input.economics === null ? 'schedule_retrain' : 'monitor';
    if (money.net_benefit > 0)
      return money.payback_days <= URGENT_PAYBACK_SHARE * money.horizon_days ? 'retrain_now' : 'schedule_retrain';
    return 'monitor';
  }
  return accuracyConcern(verdicts) || inputsDrifting(input) ? 'monitor' : 'no_action';
}

interface ReasonContext {
  readonly input: CostBenefitInput;
  readonly verdicts: AccuracyVerdicts;
  readonly money: Money;
  readonly format: (amount: number) => string;
}

function perDay(context: ReasonContext, amount: number | null): string {
  return amount === null
    ? ''
    : `, about ${context.format(amount)} a day at ${count(context.input.predictions_per_day)} predictions a day and ${context.format(context.money.value_per_error as number)} per error`;
}

/** The current accuracy against the reference, and whether the gap is beyond noise. */
function accuracyReason(context: ReasonContext): string {
  const { current, drop, reference, settings } = context.verdicts;
  const referenceText = `${percent(reference.value)} (${band(reference)}, ${count(reference.rows)} labelled rows) on reference version ${context.verdicts.reference_version}`;
  if (current === null || drop === null)
    return `No accuracy figure: the window has no scored or labelled predictions to compare with the ${referenceText}; nothing is at risk.`;
  const what =
    current.source === 'realized'
      ? `${count(current.figure.rows)} labels`
      : `${count(current.figure.rows)} scored rows, the band holding the calibration's own error`;
  const figure = `${current.source === 'realized' ? 'Realized' : 'Estimated'} accuracy ${percent(current.figure.value)} (${band(current.figure)}, ${what}) against ${referenceText}`;
  if (drop.established) {
    return `${figure}: ${points(drop.value)} lower, beyond the sampling error of both (at least ${points(drop.lower_bound)} at the ${level(settings.alpha)})${perDay(context, context.money.revenue_at_risk_per_day)}.`;
  }
  if (drop.value <= 0) return `${figure}: at or above the reference, nothing is lost.`;
  return `${figure}: ${points(drop.value)} lower, which is within the sampling error of both sides or under the ${points(settings.minMaterialDrop)} that count, so no loss is established.`;
}

/** Why the labels are or are not acted on. */
function labelsReason({ verdicts }: ReasonContext): string | null {
  const { realized, realized_actionable: actionable, min_labelled_rows: minimum } = verdicts;
  if (realized === null) {
    return 'No labels in the window yet: realized accuracy and concept drift cannot be measured, so no part of a drop can be shown to be recoverable by retraining.';
  }
  if (actionable) return null;
  return `Only ${count(realized.rows)} labels in the window, fewer than the ${count(minimum)} needed to act on them (the model's min_labelled_rows): realized accuracy ${percent(realized.value)} (${band(realized)}) is shown, not acted on.`;
}

/** How much of the gap the population shift explains and how much it does not. */
function splitReason({ verdicts }: ReasonContext): string | null {
  const { estimated, realized, population_shift: shift, concept_drift: concept, settings } = verdicts;
  if (!estimated || !realized || !shift || !concept) return null;
  const total = verdicts.reference.value - realized.value;
  if (total <= 0 && !concept.established) return null;
  const explained =
    shift.value >= 0
      ? `the population shift explains ${points(shift.value)}: the estimate, ${percent(estimated.value)}, is what these inputs give if the probabilities mean what they meant on the reference`
      : `the population shift explains none of it: on these inputs the estimate expects ${percent(estimated.value)}, ${points(-shift.value)} above the reference, if the probabilities mean what they meant on the reference`;
  const unexplained = concept.established
    ? `fall ${points(concept.value)} below the estimate, beyond both bands (at least ${points(concept.lower_bound)} at the ${level(settings.alpha)}): concept drift, the link between inputs and outcomes changed`
    : `lie ${points(Math.abs(concept.value))} ${concept.value >= 0 ? 'below' : 'above'} the estimate, within the sampling error of both or under the ${points(settings.minMaterialDrop)} that count, so no concept drift is established`;
  const caveat = verdicts.realized_actionable ? '' : ' (from too few labels to act on)';
  if (total <= 0) return `The labels${caveat} are at or above the reference, yet ${unexplained}.`;
  return `Of the ${points(total)} between the reference and the labels${caveat}, ${explained}; the labels ${unexplained}.`;
}

/** What counts as recoverable and why. */
function recoverReason(context: ReasonContext): string | null {
  const { verdicts, money } = context;
  const { recoverable, persistence, drop } = verdicts;
  const held = `on ${persistence.established_days} of the last ${persistence.days} days`;
  if (verdicts.recoverable_confirmed && recoverable) {
    const capped =
      verdicts.concept_drift && verdicts.concept_drift.value > recoverable.value + 1e-12
        ? ` (of the ${points(verdicts.concept_drift.value)} unexplained)`
        : '';
    return (
      `Retraining on recent labelled data is assumed to win back the part the population shift does not explain, up to the reference accuracy (a new model is not assumed to beat the old one's reference): ` +
      `${points(recoverable.value)}${capped} recoverable${perDay(context, money.recoverable_per_day)}, established ${held}.`
    );
  }
  if (recoverable?.established) {
    return `A recoverable loss of ${points(recoverable.value)} shows in this window but ${held}; it counts once it holds on ${persistence.required}, so that one unlucky day never triggers a retrain.`;
  }
  if (!drop?.established) return null;
  if (verdicts.current?.source === 'estimated') {
    return 'None of the estimated drop counts as recoverable: it is what the population shift explains, and whether retraining would do better on these inputs needs labels to show.';
  }
  return 'None of the drop counts as recoverable: the estimate explains it by the population shift, and a model whose probabilities still hold on these inputs is assumed to do what they allow, so retraining on the same kind of data is not expected to win it back.';
}

/** The economics of retraining, once a recoverable loss is confirmed. */
function economicsReason(recommendation: Recommendation, { money, format }: ReasonContext): string {
  if (money.retrain_cost === null || money.horizon_days === null || money.retrain_duration_days === null) {
    return 'Without business parameters whether retraining pays is unknown, so the recommendation stops at schedule_retrain: set cost_per_error (or value_per_correct_prediction), retrain_cost, retrain_duration_days and horizon_days to price it.';
  }
  const horizon = `the ${Number(money.horizon_days.toFixed(1))}-day horizon`;
  const payback = money.payback_days === null ? 'never' : days(money.payback_days);
  const cost =
    money.retrain_cost === 0
      ? 'Retraining costs nothing (retrain_cost 0), so it'
      : `Retraining (${format(money.retrain_cost)}, ${days(money.retrain_duration_days)})`;
  if (recommendation === 'retrain_now') {
    return `${cost} pays for itself in ${payback} and wins back ${format(money.net_benefit as number)} net over ${horizon}; every day of waiting loses ${format(money.recoverable_per_day as number)}.`;
  }
  if (recommendation === 'schedule_retrain') {
    return `${cost} pays back in ${payback}, within ${horizon} (net ${format(money.net_benefit as number)}) but not urgently: schedule it in the next regular slot.`;
  }
  const traffic =
    money.recoverable_per_day === 0 ? ' (no predictions in the window, so the loss costs nothing a day)' : '';
  return `Retraining would not pay back within ${horizon}: it recovers ${format(money.recoverable_value as number)}${traffic} against a cost of ${format(money.retrain_cost)}.`;
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

/** A reference less accurate than the one before it lowers the bar every comparison uses; say so. */
function yardstickReason({ verdicts }: ReasonContext): string | null {
  const { yardstick, reference, current } = verdicts;
  if (!yardstick?.fall.established) return null;
  const against = current
    ? `; against version ${yardstick.previous_version} the window's accuracy is ${points(yardstick.previous_accuracy.value - current.figure.value)} lower`
    : '';
  return (
    `Reference version ${verdicts.reference_version} has accuracy ${percent(reference.value)}, ${points(yardstick.fall.value)} below version ${yardstick.previous_version} (${percent(yardstick.previous_accuracy.value)}): ` +
    `the yardstick moved down, so a loss the model had before this reference is no longer counted${against}.`
  );
}

function calibrationReason({ verdicts }: ReasonContext): string | null {
  if (verdicts.estimated === null || verdicts.estimate_actionable) return null;
  return `The estimate's band leaves out the calibration's own error: reference version ${verdicts.reference_version} was calibrated before calibrations were cross-fitted, so no comparison acts on the estimate; upload the reference again to calibrate it cross-fitted.`;
}

/** Revenue at risk, what retraining can plausibly win back, payback and the recommendation, with the reasons in words. */
export function costBenefit(input: CostBenefitInput): CostBenefit {
  checkInput(input);
  const { verdicts } = input;
  const money = moneyOf(verdicts, input.predictions_per_day, input.economics);
  const recommendation = decide(input, money);
  const unavailable = input.unavailable.map((reason) => `${reason.charAt(0).toUpperCase()}${reason.slice(1)}.`);
  let reasons: string[];
  if (verdicts === null) {
    reasons = [...unavailable, driftReason(input)];
  } else {
    const context: ReasonContext = { input, verdicts, money, format: moneyFormatter(input.currency) };
    reasons = [
      accuracyReason(context),
      yardstickReason(context),
      labelsReason(context),
      splitReason(context),
      recoverReason(context),
      verdicts.recoverable_confirmed ? economicsReason(recommendation, context) : driftReason(input),
      calibrationReason(context),
      ...(verdicts.recoverable_confirmed && input.economics === null ? [] : unavailable),
    ].filter((reason): reason is string => reason !== null);
  }
  return {
    recommendation,
    reasons,
    accuracy_source: verdicts?.current?.source ?? null,
    current_accuracy: verdicts?.current?.figure ?? null,
    reference_accuracy: verdicts?.reference.value ?? null,
    accuracy_drop: verdicts?.drop?.value ?? null,
    drop_is_material: verdicts?.drop?.established ?? false,
    population_shift: verdicts?.population_shift ?? null,
    concept_drift: verdicts?.concept_drift ?? null,
    recoverable_drop: verdicts?.recoverable ?? null,
    persistence: verdicts?.persistence ?? null,
    recoverable_confirmed: verdicts?.recoverable_confirmed ?? false,
    predictions_per_day: input.predictions_per_day,
    currency: input.currency,
    ...money,
  };
}
