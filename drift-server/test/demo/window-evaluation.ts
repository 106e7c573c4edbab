import {
  accuracySums,
  BinaryOutcome,
  ClassifiedRow,
  windowAccuracyOf,
  WindowAccuracy,
} from '../../src/stats/accuracy-estimate';
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
  return {
    ...scenario.model,
    id: scenario.modelId,
    created_at: '',
    updated_at: '',
    retraining: { policy: 'manual', trainer: null },
  };
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

export function featureDrifts(
  scenario: DemoScenario,
  reference: readonly DemoRow[],
  window: readonly DemoRow[]
): Map<string, FeatureComparison> {
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
    DEFAULT_THRESHOLDS
  );
}

/**
 * A window of whole days, each given with its rows: drift over all of them, accuracy from the sums
 * the store keeps, and the recommendation with the persistence rule over the window's last days.
 */
export function evaluateWindow(
  scenario: DemoScenario,
  reference: ReferenceFacts,
  days: readonly (readonly DemoRow[])[]
): WindowEvaluation {
  const window = days.flat();
  const comparisons = featureDrifts(scenario, reference.rows, window);
  const features = scenario.model.features;
  const featureVerdicts = verdictsOf(
    features.map((feature) => comparisonCounts(comparisons.get(feature.name) as FeatureComparison))
  );
  const drifts: FeatureHealthInput[] = features.map((feature, index) => ({
    feature: feature.name,
    importance: feature.importance,
    psi: (comparisons.get(feature.name) as FeatureComparison).psi,
    ...featureVerdicts[index],
  }));
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
    return {
      definition,
      referenceValues,
      numericBins: { edges, referenceCounts: countSortedNumeric(edges.cuts, sorted, missing) },
    };
  });
}

function countedFeature(
  { definition, referenceValues, numericBins }: FrozenFeature,
  values: readonly (number | string | null)[]
) {
  if (numericBins) {
    const { sorted, missing } = sortSample(values as (number | null)[], 'production');
    const windowCounts = countSortedNumeric(numericBins.edges.cuts, sorted, missing);
    const counts: FeatureCounts = {
      kind: 'numeric',
      binning: numericBins.edges.binning,
      reference: numericBins.referenceCounts,
      production: windowCounts,
    };
    return {
      definition,
      counts,
      drift: driftFromCounts(
        numericBins.referenceCounts,
        windowCounts,
        frozenBinLabels(numericBins.edges),
        'last',
        false
      ),
    };
  }
  const categories = categoryList(referenceValues as (string | null)[], values as (string | null)[]);
  const counts: FeatureCounts = {
    kind: 'categorical',
    binning: null,
    reference: countCategorical(categories, referenceValues as (string | null)[]),
    production: countCategorical(categories, values as (string | null)[]),
  };
  return {
    definition,
    counts,
    drift: driftFromCounts(counts.reference, counts.production, categories, 'first', false),
  };
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
