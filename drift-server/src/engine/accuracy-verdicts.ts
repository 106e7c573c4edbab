import {
  AccuracyFigure,
  AccuracySums,
  EstimatedAccuracy,
  estimatedAccuracyOf,
  realizedAccuracyOf,
  shareFigure,
} from '../stats';
import { Bounded, differenceInterval } from '../stats';
import type { ReferenceCounts } from '../store';
import { EngineInputError } from './errors';

/** How accuracy verdicts are reached; every comparison and its error rate rests on these. */
export interface DecisionSettings {
  /** Labelled rows a window needs before its realized accuracy is acted on; below it the figure is shown, not acted on. */
  readonly minLabelledRows: number;
  /** One-sided false-alarm rate of each comparison on one window. */
  readonly alpha: number;
  /** A recoverable loss is confirmed once established in at least `required` of the last `days` daily windows. */
  readonly persistence: { readonly required: number; readonly days: number };
  /** The smallest gap worth acting on, whatever the volume: everyday variation of a model. */
  readonly minMaterialDrop: number;
}

export const DEFAULT_DECISION_SETTINGS: DecisionSettings = {
  minLabelledRows: 200,
  alpha: 0.01,
  persistence: { required: 2, days: 3 },
  minMaterialDrop: 0.01,
};

/** One accuracy minus another, with its lower confidence bound at the decision level. */
export interface AccuracyGap {
  readonly value: number;
  /** Lower bound: true gaps below it are ruled out at the one-sided level α. */
  readonly lower_bound: number;
  /** The gap is at least the material drop and its lower bound above 0: established beyond the sampling error of both sides. */
  readonly established: boolean;
}

/** A reference version's accuracy sample. */
export interface ReferenceSample {
  readonly version: number;
  readonly counts: ReferenceCounts;
}

export interface AccuracyVerdictInput {
  readonly reference: ReferenceSample;
  /** The version before the reference, when it has an accuracy: whether the yardstick moved down. */
  readonly previous_reference: ReferenceSample | null;
  readonly window: AccuracySums;
  /** Sums of the last `persistence.days` whole days ending where the window ends. */
  readonly days: readonly AccuracySums[];
  readonly settings: DecisionSettings;
}

export interface Persistence {
  /** Daily windows among the last `days` in which a recoverable loss is established. */
  readonly established_days: number;
  readonly days: number;
  readonly required: number;
}

export interface AccuracyVerdicts {
  /** The settings the verdicts were reached with. */
  readonly settings: DecisionSettings;
  readonly reference_version: number;
  /** Accuracy on the reference's labelled rows, Wilson 95 % band. */
  readonly reference: AccuracyFigure;
  readonly estimated: EstimatedAccuracy | null;
  /** The estimate's band holds the calibration's own error (a cross-fitted calibration), so comparisons may act on it. */
  readonly estimate_actionable: boolean;
  readonly realized: AccuracyFigure | null;
  /** The window has at least min_labelled_rows labels, so comparisons may act on its realized accuracy. */
  readonly realized_actionable: boolean;
  readonly min_labelled_rows: number;
  /** The realized accuracy when actionable, else the estimate, else the realized accuracy from too few labels. */
  readonly current: { readonly source: 'realized' | 'estimated'; readonly figure: AccuracyFigure } | null;
  /** reference − current. */
  readonly drop: AccuracyGap | null;
  /** reference − estimated: the part of a drop the population shift explains. */
  readonly population_shift: AccuracyGap | null;
  /** estimated − realized: the part the population shift does not explain (concept drift). */
  readonly concept_drift: AccuracyGap | null;
  /** min(reference, estimated) − realized: what retraining on recent labels can plausibly win back; needs actionable labels and estimate. */
  readonly recoverable: AccuracyGap | null;
  readonly persistence: Persistence;
  /** The recoverable loss is established in the window and persists: what retrain_now and recoverable value rest on. */
  readonly recoverable_confirmed: boolean;
  /** The previous reference version's accuracy and how far the current one lies below it. */
  readonly yardstick: {
    readonly previous_version: number;
    readonly previous_accuracy: AccuracyFigure;
    readonly fall: AccuracyGap;
  } | null;
}

export function checkDecisionSettings(settings: DecisionSettings): DecisionSettings {
  const { minLabelledRows, alpha, persistence, minMaterialDrop } = settings;
  if (!(Number.isInteger(minLabelledRows) && minLabelledRows >= 1))
    throw new EngineInputError(
      `the minimum number of labelled rows must be a whole number ≥ 1, got ${minLabelledRows}`
    );
  if (!(alpha > 0 && alpha < 0.5)) throw new EngineInputError(`alpha must lie in (0, 0.5), got ${alpha}`);
  if (!(
    Number.isInteger(persistence.days) &&
    Number.isInteger(persistence.required) &&
    persistence.required >= 1 &&
    persistence.required <= persistence.days
  )) {
    throw new EngineInputError(
      `persistence must be k of m days with 1 ≤ k ≤ m, got ${persistence.required} of ${persistence.days}`
    );
  }
  if (!(minMaterialDrop >= 0 && minMaterialDrop < 1))
    throw new EngineInputError(`the material drop must lie in [0, 1), got ${minMaterialDrop}`);
  return settings;
}

/** Whether a window has labels enough for verdicts to act on its realized accuracy. */
export function labelsActionable(sums: AccuracySums, settings: DecisionSettings): boolean {
  return sums.labelled >= settings.minLabelledRows;
}

/** The intervals one window's comparisons use: two-sided at 1 − 2α, so each one-sided bound is at α. */
function atDecisionLevel(sums: AccuracySums, reference: ReferenceCounts, settings: DecisionSettings) {
  const confidence = 1 - 2 * settings.alpha;
  return {
    reference: shareFigure(reference.right, reference.labelled, confidence),
    estimated: estimatedAccuracyOf(sums, confidence),
    realized: realizedAccuracyOf(sums, confidence),
  };
}

function gap(larger: Bounded, smaller: Bounded, settings: DecisionSettings, actionable: boolean): AccuracyGap {
  const value = larger.value - smaller.value;
  const lowerBound = differenceInterval(larger, smaller).lower;
  return {
    value,
    lower_bound: lowerBound,
    established: actionable && value >= settings.minMaterialDrop && lowerBound > 0,
  };
}

interface WindowGaps {
  readonly drop: AccuracyGap | null;
  readonly population_shift: AccuracyGap | null;
  readonly concept_drift: AccuracyGap | null;
  readonly recoverable: AccuracyGap | null;
  readonly current: AccuracyVerdicts['current'];
  readonly realized_actionable: boolean;
  readonly estimate_actionable: boolean;
}

/**
 * The comparisons of one window. recoverable = min(reference, estimated) − realized is established by
 * an intersection–union test: both the drop below the reference and the concept drift below the
 * estimate must be established, each at level α, which keeps the combined test at level α.
 */
function windowGaps(sums: AccuracySums, reference: ReferenceCounts, settings: DecisionSettings): WindowGaps {
  const level = atDecisionLevel(sums, reference, settings);
  const realizedActionable = labelsActionable(sums, settings);
  const estimateActionable = level.estimated !== null && level.estimated.calibration_sd !== null;
  const display = { estimated: estimatedAccuracyOf(sums), realized: realizedAccuracyOf(sums) };
  let current: WindowGaps['current'] = null;
  let drop: AccuracyGap | null = null;
  if (level.realized && display.realized && (realizedActionable || !level.estimated)) {
    current = { source: 'realized', figure: display.realized };
    drop = gap(level.reference, level.realized, settings, realizedActionable);
  } else if (level.estimated && display.estimated) {
    current = { source: 'estimated', figure: display.estimated };
    drop = gap(level.reference, level.estimated, settings, estimateActionable);
  }
  const populationShift = level.estimated ? gap(level.reference, level.estimated, settings, estimateActionable) : null;
  const conceptDrift =
    level.estimated && level.realized ? gap(level.estimated, level.realized, settings, estimateActionable) : null;
  let recoverable: AccuracyGap | null = null;
  if (level.estimated && level.realized && conceptDrift) {
    const belowReference = gap(level.reference, level.realized, settings, realizedActionable);
    const value = Math.min(level.reference.value, level.estimated.value) - level.realized.value;
    recoverable = {
      value,
      lower_bound: Math.min(belowReference.lower_bound, conceptDrift.lower_bound),
      established:
        realizedActionable &&
        belowReference.established &&
        conceptDrift.established &&
        value >= settings.minMaterialDrop,
    };
  }
  return {
    drop,
    population_shift: populationShift,
    concept_drift: conceptDrift,
    recoverable,
    current,
    realized_actionable: realizedActionable,
    estimate_actionable: estimateActionable,
  };
}

/**
 * Accuracy verdicts of a window against its reference: every comparison takes the sampling error of
 * both sides (Wilson intervals for shares of labels, the estimate's band with its calibration error)
 * at one-sided level α, counts only gaps of at least the material drop, and acts on realized
 * accuracy only from min_labelled_rows labels. A recoverable loss is confirmed when established in
 * the window and in at least k of the last m daily windows.
 */
export function accuracyVerdicts(input: AccuracyVerdictInput): AccuracyVerdicts {
  const settings = checkDecisionSettings(input.settings);
  const { reference, previous_reference: previous } = input;
  for (const sample of [reference, previous]) {
    if (sample !== null && sample.counts.labelled === 0)
      throw new EngineInputError(`reference version ${sample.version} has no labelled rows to measure its accuracy on`);
  }
  const gaps = windowGaps(input.window, reference.counts, settings);
  const recentDays = input.days.slice(-settings.persistence.days);
  const establishedDays = recentDays.filter(
    (day) => windowGaps(day, reference.counts, settings).recoverable?.established === true
  ).length;
  const persistence = {
    established_days: establishedDays,
    days: settings.persistence.days,
    required: settings.persistence.required,
  };
  const yardstick =
    previous !== null
      ? {
          previous_version: previous.version,
          previous_accuracy: shareFigure(previous.counts.right, previous.counts.labelled),
          fall: gap(
            shareFigure(previous.counts.right, previous.counts.labelled, 1 - 2 * settings.alpha),
            shareFigure(reference.counts.right, reference.counts.labelled, 1 - 2 * settings.alpha),
            settings,
            true
          ),
        }
      : null;
  return {
    settings,
    reference_version: reference.version,
    reference: shareFigure(reference.counts.right, reference.counts.labelled),
    estimated: estimatedAccuracyOf(input.window),
    estimate_actionable: gaps.estimate_actionable,
    realized: realizedAccuracyOf(input.window),
    realized_actionable: gaps.realized_actionable,
    min_labelled_rows: settings.minLabelledRows,
    current: gaps.current,
    drop: gaps.drop,
    population_shift: gaps.population_shift,
    concept_drift: gaps.concept_drift,
    recoverable: gaps.recoverable,
    persistence,
    recoverable_confirmed: gaps.recoverable?.established === true && establishedDays >= settings.persistence.required,
    yardstick,
  };
}
