import { accuracySums, BinaryOutcome, ClassifiedRow, windowAccuracyOf, WindowAccuracy } from '../../src/stats/accuracy-estimate';
import { accuracyVerdicts } from '../../src/engine/accuracy-verdicts';
import { costBenefit, CostBenefit, economicsFrom } from '../../src/engine/cost-benefit';
import { FeatureHealthInput, healthScore, HealthScore } from '../../src/engine/health-score';
import { decisionSettingsOf } from '../../src/engine/model-health';
import { DemoRow, DemoScenario } from '../../src/demo/scenarios';
import { fitOf, fitReferenceCalibration, ReferenceCalibration } from '../../src/store/calibration';
import type { FeatureDefinition, Model } from '../../src/store/models';
import {
  BinCounts,
  categoryList,
  classifySeverity,
  compareFeature,
  countCategorical,
  countNumeric,
  driftFromCounts,
  FeatureComparison,
  numericBinLabels,
  numericCutPoints,
} from '../../src/stats';

/**
 * What the API serves for a window [from, to) of production rows against the reference, computed
 * here from raw rows with the stats API (the store computes the same from stored counts).
 */
export interface WindowEvaluation {
  readonly comparisons: Map<string, FeatureComparison>;
  readonly health: HealthScore;
  readonly accuracy: WindowAccuracy;
  readonly recommendation: CostBenefit;
}

export interface ReferenceFacts {
  readonly rows: DemoRow[];
  readonly calibration: Extract<ReferenceCalibration, { status: 'fitted' }>;
  readonly accuracy: number;
}

const columnOf = (rows: readonly DemoRow[], feature: string) => rows.map((row) => row[feature]);

function classified(row: DemoRow): ClassifiedRow {
  return {
    probability: row.probability as number | null,
    prediction: row.prediction as BinaryOutcome | null,
    label: row.label as BinaryOutcome | null,
  };
}

function modelOf(scenario: DemoScenario): Model {
  return { ...scenario.model, id: scenario.modelId, created_at: '', updated_at: '', retraining: { policy: 'manual', trainer: null } };
}

/** The reference as the store calibrates it on upload. */
export function referenceFacts(scenario: DemoScenario): ReferenceFacts {
  const rows = scenario.reference();
  const text = (value: unknown) => (value === null || value === undefined ? null : String(value));
  const calibration = fitReferenceCalibration(modelOf(scenario), {
    prediction: rows.map((row) => text(row.prediction)),
    probability: rows.map((row) => row.probability as number | null),
    label: rows.map((row) => text(row.label)),
  });
  if (calibration.status !== 'fitted') throw new Error(`the demo reference calibrates: ${calibration.reason}`);
  return { rows, calibration, accuracy: calibration.reference.right / calibration.reference.labelled };
}

export function featureDrifts(scenario: DemoScenario, reference: readonly DemoRow[], window: readonly DemoRow[]): Map<string, FeatureComparison> {
  const comparisons = new Map<string, FeatureComparison>();
  for (const feature of scenario.model.features) {
    const values = (rows: readonly DemoRow[]) => columnOf(rows, feature.name) as (number | null)[] | (string | null)[];
    comparisons.set(feature.name, compareFeature(feature.kind, values(reference), values(window)));
  }
  return comparisons;
}

/**
 * A window of whole days, each given with its rows: drift over all of them, accuracy from the sums
 * the store keeps, and the recommendation with the persistence rule over the window's last days.
 */
export function evaluateWindow(scenario: DemoScenario, reference: ReferenceFacts, days: readonly (readonly DemoRow[])[]): WindowEvaluation {
  const window = days.flat();
  const comparisons = featureDrifts(scenario, reference.rows, window);
  const drifts: FeatureHealthInput[] = scenario.model.features.map((feature) => {
    const comparison = comparisons.get(feature.name) as FeatureComparison;
    return { feature: feature.name, importance: feature.importance, psi: comparison.psi, psi_critical: comparison.psi_critical, severity: comparison.severity };
  });
  const health = healthScore(drifts);
  const fit = fitOf(reference.calibration);
  const windowSums = accuracySums(window.map(classified), fit);
  const settings = decisionSettingsOf(modelOf(scenario));
  const verdicts = accuracyVerdicts({
    reference: { version: 1, counts: reference.calibration.reference },
    previous_reference: null,
    window: windowSums,
    days: days.slice(-settings.persistence.days).map((rows) => accuracySums(rows.map(classified), fit)),
    settings,
  });
  const economics = economicsFrom(scenario.model.business);
  if (!economics) throw new Error('the demo model has business parameters');
  const recommendation = costBenefit({
    verdicts,
    predictions_per_day: window.length / days.length,
    health: health.health,
    drifted_features: health.drifted_features,
    currency: scenario.model.business.currency,
    economics,
    unavailable: [],
  });
  return { comparisons, health, accuracy: windowAccuracyOf(windowSums), recommendation };
}

/** The rows of each of days [first, last] (0-based, inclusive). */
export function daysOfTraffic(scenario: DemoScenario, first: number, last: number): DemoRow[][] {
  return Array.from({ length: last - first + 1 }, (_, index) => scenario.productionDay(first + index).rows);
}

/**
 * The store's way for long trends: numeric bins frozen from the reference once, each window only
 * counted into them. Same PSI, psi_critical and severity as compareFeature (a test checks it),
 * without re-sorting the reference and running KS for each of 90 daily windows.
 */
export interface FrozenFeature {
  readonly definition: FeatureDefinition;
  readonly referenceValues: readonly (number | string | null)[];
  /** Numeric features only: the frozen cut points and the reference's counts in them. */
  readonly numericBins: { readonly cuts: number[]; readonly referenceCounts: BinCounts } | null;
}

export function freezeBins(scenario: DemoScenario, reference: readonly DemoRow[]): FrozenFeature[] {
  return scenario.model.features.map((definition) => {
    const referenceValues = columnOf(reference, definition.name);
    if (definition.kind !== 'numeric') return { definition, referenceValues, numericBins: null };
    const cuts = numericCutPoints(referenceValues as (number | null)[]);
    return { definition, referenceValues, numericBins: { cuts, referenceCounts: countNumeric(cuts, referenceValues as (number | null)[]) } };
  });
}

const observed = (counts: BinCounts) => counts.counts.reduce((sum, count) => sum + count, 0);

function countedDrift({ referenceValues, numericBins }: FrozenFeature, values: readonly (number | string | null)[]) {
  if (numericBins) {
    const windowCounts = countNumeric(numericBins.cuts, values as (number | null)[]);
    const drift = driftFromCounts(numericBins.referenceCounts, windowCounts, numericBinLabels(numericBins.cuts), 'last');
    return { drift, referenceRows: observed(numericBins.referenceCounts), windowRows: observed(windowCounts) };
  }
  const categories = categoryList(referenceValues as (string | null)[], values as (string | null)[]);
  const referenceCounts = countCategorical(categories, referenceValues as (string | null)[]);
  const windowCounts = countCategorical(categories, values as (string | null)[]);
  const drift = driftFromCounts(referenceCounts, windowCounts, categories, 'first');
  return { drift, referenceRows: observed(referenceCounts), windowRows: observed(windowCounts) };
}

export function countedDrifts(frozen: readonly FrozenFeature[], window: readonly DemoRow[]): FeatureHealthInput[] {
  return frozen.map((feature) => {
    const { drift, referenceRows, windowRows } = countedDrift(feature, columnOf(window, feature.definition.name));
    const { psi, psi_critical } = drift;
    const severity = classifySeverity({ psi, psi_critical, reference_rows: referenceRows, production_rows: windowRows });
    return { feature: feature.definition.name, importance: feature.definition.importance, psi, psi_critical, severity };
  });
}
