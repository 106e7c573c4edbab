import { BinaryOutcome, calibrate, ClassifiedRow, realizedAccuracy, windowAccuracy, WindowAccuracy } from '../../src/stats/accuracy-estimate';
import { costBenefit, CostBenefit, economicsFrom } from '../../src/engine/cost-benefit';
import { FeatureHealthInput, healthScore, HealthScore } from '../../src/engine/health-score';
import type { IsotonicFit } from '../../src/stats/isotonic';
import { DemoRow, DemoScenario } from '../../src/demo/scenarios';
import type { FeatureDefinition } from '../../src/store/models';
import {
  BinCounts,
  categoryList,
  compareFeature,
  comparisonCounts,
  countCategorical,
  countSortedNumeric,
  decideWindow,
  DEFAULT_THRESHOLDS,
  driftFromCounts,
  FeatureComparison,
  FeatureCounts,
  featureTests,
  FeatureVerdict,
  frozenBinLabels,
  frozenEdgesFromSorted,
  FrozenEdges,
  sortSample,
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
  readonly calibration: IsotonicFit;
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

export function referenceFacts(scenario: DemoScenario): ReferenceFacts {
  const rows = scenario.reference();
  const labelled = rows.map(classified);
  const accuracy = realizedAccuracy(labelled);
  if (!accuracy) throw new Error('the demo reference has labels');
  return { rows, calibration: calibrate(labelled), accuracy: accuracy.value };
}

export function featureDrifts(scenario: DemoScenario, reference: readonly DemoRow[], window: readonly DemoRow[]): Map<string, FeatureComparison> {
  const comparisons = new Map<string, FeatureComparison>();
  for (const feature of scenario.model.features) {
    const values = (rows: readonly DemoRow[]) => columnOf(rows, feature.name) as (number | null)[] | (string | null)[];
    comparisons.set(feature.name, compareFeature(feature.kind, values(reference), values(window)));
  }
  return comparisons;
}

/** One window's verdicts, decided together over the model's features as the engine does. */
function verdictsOf(counts: readonly FeatureCounts[]): FeatureVerdict[] {
  return decideWindow(
    counts.map((featureCounts) => featureTests(featureCounts, DEFAULT_THRESHOLDS)),
    DEFAULT_THRESHOLDS,
  );
}

export function evaluateWindow(scenario: DemoScenario, reference: ReferenceFacts, window: readonly DemoRow[], windowDays: number): WindowEvaluation {
  const comparisons = featureDrifts(scenario, reference.rows, window);
  const features = scenario.model.features;
  const verdicts = verdictsOf(features.map((feature) => comparisonCounts(comparisons.get(feature.name) as FeatureComparison)));
  const drifts: FeatureHealthInput[] = features.map((feature, index) => ({
    feature: feature.name,
    importance: feature.importance,
    psi: (comparisons.get(feature.name) as FeatureComparison).psi,
    ...verdicts[index],
  }));
  const health = healthScore(drifts);
  const accuracy = windowAccuracy(reference.calibration, window.map(classified));
  const economics = economicsFrom(scenario.model.business);
  if (!economics) throw new Error('the demo model has business parameters');
  const recommendation = costBenefit({
    reference_accuracy: reference.accuracy,
    accuracy,
    predictions_per_day: window.length / windowDays,
    health: health.health,
    drifted_features: health.drifted_features,
    economics,
  });
  return { comparisons, health, accuracy, recommendation };
}

/** The rows of days [first, last] (0-based, inclusive). */
export function daysOfTraffic(scenario: DemoScenario, first: number, last: number): DemoRow[] {
  const rows: DemoRow[] = [];
  for (let day = first; day <= last; day += 1) rows.push(...scenario.productionDay(day).rows);
  return rows;
}

/**
 * The store's way for long trends: numeric edges frozen from the reference once, each window only
 * counted into them. Same figures and verdicts as compareFeature (a test checks it), without
 * re-sorting the reference and running KS for each of 90 daily windows.
 */
export interface FrozenFeature {
  readonly definition: FeatureDefinition;
  readonly referenceValues: readonly (number | string | null)[];
  /** Numeric features only: the frozen edges and the reference's counts in them. */
  readonly numericBins: { readonly edges: FrozenEdges; readonly referenceCounts: BinCounts } | null;
}

export function freezeBins(scenario: DemoScenario, reference: readonly DemoRow[]): FrozenFeature[] {
  return scenario.model.features.map((definition) => {
    const referenceValues = columnOf(reference, definition.name);
    if (definition.kind !== 'numeric') return { definition, referenceValues, numericBins: null };
    const { sorted, missing } = sortSample(referenceValues as (number | null)[], 'reference');
    const edges = frozenEdgesFromSorted(sorted);
    return { definition, referenceValues, numericBins: { edges, referenceCounts: countSortedNumeric(edges.cuts, sorted, missing) } };
  });
}

function countedFeature({ definition, referenceValues, numericBins }: FrozenFeature, values: readonly (number | string | null)[]) {
  if (numericBins) {
    const { sorted, missing } = sortSample(values as (number | null)[], 'production');
    const windowCounts = countSortedNumeric(numericBins.edges.cuts, sorted, missing);
    const counts: FeatureCounts = { kind: 'numeric', binning: numericBins.edges.binning, reference: numericBins.referenceCounts, production: windowCounts };
    return { definition, counts, drift: driftFromCounts(numericBins.referenceCounts, windowCounts, frozenBinLabels(numericBins.edges), 'last', false) };
  }
  const categories = categoryList(referenceValues as (string | null)[], values as (string | null)[]);
  const counts: FeatureCounts = {
    kind: 'categorical',
    binning: null,
    reference: countCategorical(categories, referenceValues as (string | null)[]),
    production: countCategorical(categories, values as (string | null)[]),
  };
  return { definition, counts, drift: driftFromCounts(counts.reference, counts.production, categories, 'first', false) };
}

export interface CountedDrift extends FeatureVerdict {
  readonly feature: string;
  readonly importance: number;
  readonly psi: number;
  readonly psi_critical: number;
}

export function countedDrifts(frozen: readonly FrozenFeature[], window: readonly DemoRow[]): CountedDrift[] {
  const counted = frozen.map((feature) => countedFeature(feature, columnOf(window, feature.definition.name)));
  const verdicts = verdictsOf(counted.map(({ counts }) => counts));
  return counted.map(({ definition, drift }, index) => ({
    feature: definition.name,
    importance: definition.importance,
    psi: drift.psi,
    psi_critical: drift.psi_critical,
    ...verdicts[index],
  }));
}
