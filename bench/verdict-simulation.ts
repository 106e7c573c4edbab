/**
 * Simulated models for measuring DriftGuard's verdicts: 20 features (8 numeric shapes, categoricals
 * of 2–50 levels, importance ∝ 1/rank, a few with missing values), a 20 000-row reference, and
 * windows of any size drawn from the same distribution or with one feature changed. Seeded: the
 * same seed gives the same rows. Used by bench/verdicts.bench.ts and, smaller, by the test suite.
 */
import { createRandom, Random, streamSeed } from '../drift-server/src/demo/random';
import { healthScore } from '../drift-server/src/engine/health-score';
import {
  Baseline,
  BinCounts,
  countSortedNumeric,
  cutPointsFromSorted,
  decideWindow,
  DEFAULT_THRESHOLDS,
  driftFromCounts,
  FeatureCounts,
  featureTests,
  FeatureVerdict,
  frozenEdgesFromSorted,
  FrozenEdges,
  numericBinIndex,
  sortSample,
} from '../drift-server/src/stats';

export const REFERENCE_ROWS = 20_000;

/** A value drawer; NaN is a missing value. */
type Draw = (random: Random) => number;

export interface SimulatedFeature {
  readonly name: string;
  readonly kind: 'numeric' | 'categorical';
  readonly importance: number;
  readonly missingShare: number;
  /** Numeric: a value; categorical: a level index. */
  readonly draw: Draw;
  /** Numeric features: the frozen edges; categorical: the number of levels. */
  readonly edges: FrozenEdges | null;
  readonly levels: number;
  readonly reference: BinCounts;
  /** Numeric features: the quantile cut points alone, as reference versions froze them before, and the reference's counts in them. */
  readonly previous: { readonly cuts: number[]; readonly reference: BinCounts } | null;
  /** Standard deviation of the reference values (numeric), the unit of a mean shift. */
  readonly sd: number;
  readonly max: number;
}

const { exp, log, sqrt } = Math;

const gamma = (random: Random, shape: number) => {
  let product = 1;
  for (let k = 0; k < shape; k += 1) product *= 1 - random.uniform();
  return -log(product);
};

/** The eight numeric shapes: symmetric, skewed, bounded, bimodal, heavy-tailed and discrete. */
export const NUMERIC_SHAPES: Record<string, Draw> = {
  normal: (random) => random.normal(),
  lognormal: (random) => exp(0.8 * random.normal()),
  exponential: (random) => -log(1 - random.uniform()),
  uniform: (random) => random.uniform(),
  bimodal: (random) => (random.uniform() < 0.4 ? -2 : 1.5) + 0.6 * random.normal(),
  student_t3: (random) => {
    const z = random.normal();
    const chi = random.normal() ** 2 + random.normal() ** 2 + random.normal() ** 2;
    return z / sqrt(chi / 3);
  },
  poisson3: (random) => random.poisson(3),
  beta_2_5: (random) => {
    const x = gamma(random, 2);
    return x / (x + gamma(random, 5));
  },
};

const CATEGORICAL_LEVELS = [2, 3, 5, 7, 10, 15, 20, 25, 30, 40, 45, 50];

/** Zipf-like level shares: level j has weight 1/(j + 1). */
function levelDraw(levels: number): Draw {
  const cumulative: number[] = [];
  let total = 0;
  for (let level = 0; level < levels; level += 1) cumulative.push((total += 1 / (level + 1)));
  return (random) => {
    const target = random.uniform() * total;
    let low = 0;
    let high = levels - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (cumulative[middle] <= target) low = middle + 1;
      else high = middle;
    }
    return low;
  };
}

function withMissing(draw: Draw, share: number): Draw {
  return share === 0 ? draw : (random) => (random.uniform() < share ? Number.NaN : draw(random));
}

/** The counts of `rows` draws over numeric cut points (each set in `cuts`) or over `levels` categories, one pass. */
function countRows(
  cuts: readonly (readonly number[])[] | null,
  levels: number,
  draw: Draw,
  rows: number,
  random: Random
): BinCounts[] {
  const sides = cuts
    ? cuts.map((set) => new Array<number>(set.length + 1).fill(0))
    : [new Array<number>(levels).fill(0)];
  let missing = 0;
  for (let row = 0; row < rows; row += 1) {
    const value = draw(random);
    if (Number.isNaN(value)) missing += 1;
    else if (cuts) cuts.forEach((set, index) => (sides[index][numericBinIndex(set, value)] += 1));
    else sides[0][value] += 1;
  }
  return sides.map((counts) => ({ counts, missing }));
}

/** A feature with its reference drawn and its bins frozen as a reference version does. */
export function simulatedFeature(
  name: string,
  kind: 'numeric' | 'categorical',
  importance: number,
  draw: Draw,
  missingShare: number,
  random: Random,
  levels = 0
): SimulatedFeature {
  const drawn = withMissing(draw, missingShare);
  if (kind === 'categorical') {
    const [reference] = countRows(null, levels, drawn, REFERENCE_ROWS, random);
    return {
      name,
      kind,
      importance,
      missingShare,
      draw: drawn,
      edges: null,
      levels,
      reference,
      previous: null,
      sd: Number.NaN,
      max: Number.NaN,
    };
  }
  const values = Array.from({ length: REFERENCE_ROWS }, () => drawn(random));
  const { sorted, missing } = sortSample(values, 'reference');
  const edges = frozenEdgesFromSorted(sorted);
  const quantileCuts = cutPointsFromSorted(sorted);
  const [reference, previousReference] = [edges.cuts, quantileCuts].map((cuts) =>
    countSortedNumeric(cuts, sorted, missing)
  );
  let sum = 0;
  let squares = 0;
  for (const value of sorted) {
    sum += value;
    squares += value * value;
  }
  const mean = sum / sorted.length;
  return {
    name,
    kind,
    importance,
    missingShare,
    draw: drawn,
    edges,
    levels,
    reference,
    previous: { cuts: quantileCuts, reference: previousReference },
    sd: sqrt(squares / sorted.length - mean * mean),
    max: sorted[sorted.length - 1],
  };
}

/** The 20-feature model: numeric shapes and categoricals alternate down the importance ranking, the normal first. */
export function simulatedModel(seed: number): SimulatedFeature[] {
  const random = createRandom(streamSeed(seed, -1));
  const shapes = Object.entries(NUMERIC_SHAPES);
  const order: ({ kind: 'numeric'; shape: string; draw: Draw } | { kind: 'categorical'; levels: number })[] = [];
  for (let index = 0; index < Math.max(shapes.length, CATEGORICAL_LEVELS.length); index += 1) {
    if (index < shapes.length) order.push({ kind: 'numeric', shape: shapes[index][0], draw: shapes[index][1] });
    if (index < CATEGORICAL_LEVELS.length) order.push({ kind: 'categorical', levels: CATEGORICAL_LEVELS[index] });
  }
  return order.map((spec, rank) => {
    // Every fourth feature misses 2 % of its values, in the reference and in production alike.
    const missingShare = rank % 4 === 1 ? 0.02 : 0;
    return spec.kind === 'numeric'
      ? simulatedFeature(spec.shape, 'numeric', 1 / (rank + 1), spec.draw, missingShare, random)
      : simulatedFeature(
          `categorical_${spec.levels}`,
          'categorical',
          1 / (rank + 1),
          levelDraw(spec.levels),
          missingShare,
          random,
          spec.levels
        );
  });
}

/** What a scenario does to a model: replaces feature `index`'s definition and/or how its production values are drawn. */
export interface Scenario {
  readonly name: string;
  readonly index: number;
  /** A different feature in that place (reference included), e.g. a constant one. */
  readonly feature?: (random: Random) => SimulatedFeature;
  /** How production values of that feature are drawn, given the feature; default: as in the reference. */
  readonly production?: (feature: SimulatedFeature) => Draw;
}

export const NO_DRIFT: Scenario = { name: 'no drift', index: 0 };

export function meanShift(sds: number): Scenario {
  return {
    name: `${sds} SD mean shift`,
    index: 0,
    production: (feature) => (random) => feature.draw(random) + sds * feature.sd,
  };
}

/** The four data-quality cases, each on the top feature. */
export const DATA_QUALITY_CASES: Scenario[] = [
  { name: 'top feature all missing', index: 0, production: () => () => Number.NaN },
  {
    name: 'constant value change (5 → 6)',
    index: 0,
    feature: (random) => simulatedFeature('constant', 'numeric', 1, () => 5, 0, random),
    production: () => () => 6,
  },
  {
    name: 'Poisson(0.5) positive values +2',
    index: 0,
    feature: (random) => simulatedFeature('poisson_0_5', 'numeric', 1, (r) => r.poisson(0.5), 0, random),
    production: (feature) => (random) => {
      const value = feature.draw(random);
      return value > 0 ? value + 2 : value;
    },
  },
  {
    name: '5 % of values beyond the reference max',
    index: 0,
    production: (feature) => (random) =>
      random.uniform() < 0.05 ? feature.max + feature.sd * random.uniform() : feature.draw(random),
  },
];

/** One window judged by the verdicts and, for comparison, by the rule before them (PSI > psi_critical and the thresholds). */
export interface WindowCounts {
  readonly counts: FeatureCounts[];
  /** The same rows over the bins of the rule before this release. */
  readonly previousCounts: FeatureCounts[];
}

export interface JudgedWindow {
  readonly verdicts: FeatureVerdict[];
  readonly health: number | null;
  readonly previousRuleDrifted: boolean[];
  readonly previousRuleHealth: number | null;
}

/**
 * The rule before this release, on the bins reference versions froze then (quantile cut points
 * only): drifted when PSI > psi_critical and PSI ≥ 0.1; health damage 1 − 2^(−max(0, PSI − psi_critical)/0.2)
 * over the features with 30 or more values on both sides, their weights spread over those.
 */
function previousRule(
  model: readonly SimulatedFeature[],
  counts: readonly FeatureCounts[]
): { drifted: boolean[]; health: number | null } {
  let weight = 0;
  let lost = 0;
  const drifted = counts.map((featureCounts, index) => {
    const labels = featureCounts.reference.counts.map(String);
    const present = (side: BinCounts) => side.counts.reduce((sum, count) => sum + count, 0);
    if (Math.min(present(featureCounts.reference), present(featureCounts.production)) < DEFAULT_THRESHOLDS.minRows)
      return false;
    const figures = driftFromCounts(featureCounts.reference, featureCounts.production, labels, 'last', false);
    weight += model[index].importance;
    lost += model[index].importance * (1 - 2 ** (-Math.max(0, figures.psi - figures.psi_critical) / 0.2));
    return figures.psi > figures.psi_critical && figures.psi >= DEFAULT_THRESHOLDS.psiWarning;
  });
  return { drifted, health: weight === 0 ? null : 100 * (1 - lost / weight) };
}

export function judgeWindow(
  model: readonly SimulatedFeature[],
  { counts, previousCounts }: WindowCounts
): JudgedWindow {
  const verdicts = decideWindow(
    counts.map((featureCounts) => featureTests(featureCounts, DEFAULT_THRESHOLDS)),
    DEFAULT_THRESHOLDS
  );
  const health = healthScore(
    model.map((feature, index) => ({
      feature: feature.name,
      importance: feature.importance,
      psi: null,
      ...verdicts[index],
    }))
  ).health;
  const previous = previousRule(model, previousCounts);
  return { verdicts, health, previousRuleDrifted: previous.drifted, previousRuleHealth: previous.health };
}

/** Counts of every feature of one window of `rows` rows under a scenario; window `w` of stream `stream` always draws the same rows. */
export function windowCounts(
  model: readonly SimulatedFeature[],
  scenario: Scenario,
  changed: SimulatedFeature,
  rows: number,
  seed: number,
  stream: number
): WindowCounts {
  const counted = model.map((feature, index) => {
    const random = createRandom(streamSeed(seed, stream * 1000 + index));
    const target = index === scenario.index ? changed : feature;
    const draw = index === scenario.index && scenario.production ? scenario.production(changed) : target.draw;
    const cuts = target.edges && target.previous ? [target.edges.cuts, target.previous.cuts] : null;
    const [production, previousProduction] = countRows(cuts, target.levels, draw, rows, random);
    const binning = target.edges?.binning ?? null;
    return {
      counts: { kind: target.kind, binning, reference: target.reference, production },
      previous: {
        kind: target.kind,
        binning,
        reference: target.previous?.reference ?? target.reference,
        production: previousProduction ?? production,
      },
    };
  });
  return {
    counts: counted.map((feature) => feature.counts),
    previousCounts: counted.map((feature) => feature.previous),
  };
}

export interface ScenarioResult {
  readonly scenario: string;
  readonly rows: number;
  readonly windows: number;
  /** Windows in which at least one feature was drifted. */
  readonly windowsFlagged: number;
  /** Windows in which the scenario's feature was drifted. */
  readonly targetFlagged: number;
  readonly featureWindowsFlagged: number;
  readonly minHealth: number | null;
  readonly meanHealth: number | null;
  readonly previousRule: {
    readonly windowsFlagged: number;
    readonly targetFlagged: number;
    readonly featureWindowsFlagged: number;
    readonly minHealth: number | null;
  };
  /** The findings named for the scenario's feature, with how many windows named each. */
  readonly targetFindings: Record<string, number>;
  /** Mean and standard deviation of the scenario feature's psi_corrected over the windows that have a shift test. */
  readonly targetPsiCorrected: { readonly mean: number; readonly sd: number } | null;
}

/** `windows` windows of `rows` rows of a model under a scenario, judged. */
export function runScenario(seed: number, scenario: Scenario, rows: number, windows: number): ScenarioResult {
  const model = simulatedModel(seed);
  const changed = scenario.feature
    ? { ...scenario.feature(createRandom(streamSeed(seed, -2))), importance: model[scenario.index].importance }
    : model[scenario.index];
  const judgedModel = model.map((feature, index) => (index === scenario.index ? changed : feature));
  let windowsFlagged = 0;
  let targetFlagged = 0;
  let featureWindowsFlagged = 0;
  const healths: number[] = [];
  const previous = { windowsFlagged: 0, targetFlagged: 0, featureWindowsFlagged: 0, healths: [] as number[] };
  const targetFindings: Record<string, number> = {};
  const targetPsi: number[] = [];
  for (let window = 0; window < windows; window += 1) {
    const judged = judgeWindow(judgedModel, windowCounts(model, scenario, changed, rows, seed, rows * 10_000 + window));
    const drifted = judged.verdicts.map((verdict) => verdict.drifted);
    if (drifted.some(Boolean)) windowsFlagged += 1;
    if (drifted[scenario.index]) targetFlagged += 1;
    featureWindowsFlagged += drifted.filter(Boolean).length;
    for (const finding of judged.verdicts[scenario.index].findings)
      targetFindings[finding.name] = (targetFindings[finding.name] ?? 0) + 1;
    const psiCorrected = judged.verdicts[scenario.index].psi_corrected;
    if (psiCorrected !== null) targetPsi.push(psiCorrected);
    if (judged.health !== null) healths.push(judged.health);
    if (judged.previousRuleDrifted.some(Boolean)) previous.windowsFlagged += 1;
    if (judged.previousRuleDrifted[scenario.index]) previous.targetFlagged += 1;
    previous.featureWindowsFlagged += judged.previousRuleDrifted.filter(Boolean).length;
    if (judged.previousRuleHealth !== null) previous.healths.push(judged.previousRuleHealth);
  }
  const min = (values: number[]) => (values.length === 0 ? null : Math.min(...values));
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  const psiMean = targetPsi.length === 0 ? Number.NaN : mean(targetPsi);
  return {
    scenario: scenario.name,
    rows,
    windows,
    windowsFlagged,
    targetFlagged,
    featureWindowsFlagged,
    minHealth: min(healths),
    meanHealth: healths.length === 0 ? null : mean(healths),
    previousRule: {
      windowsFlagged: previous.windowsFlagged,
      targetFlagged: previous.targetFlagged,
      featureWindowsFlagged: previous.featureWindowsFlagged,
      minHealth: min(previous.healths),
    },
    targetFindings,
    targetPsiCorrected:
      targetPsi.length < 2
        ? null
        : {
            mean: psiMean,
            sd: Math.sqrt(targetPsi.reduce((sum, value) => sum + (value - psiMean) ** 2, 0) / (targetPsi.length - 1)),
          },
  };
}

/** A feature whose windows are drawn from its own reference, for the shift test's level under no drift. */
export interface NullCase {
  readonly name: string;
  readonly rows: number;
  readonly feature: (random: Random) => SimulatedFeature;
}

export const NULL_CASES: NullCase[] = [
  {
    name: 'normal, ten quantile bins',
    rows: 50,
    feature: (random) => simulatedFeature('normal', 'numeric', 1, NUMERIC_SHAPES.normal, 0, random),
  },
  {
    name: 'Poisson(0.5), per value',
    rows: 50,
    feature: (random) => simulatedFeature('poisson_0_5', 'numeric', 1, (r) => r.poisson(0.5), 0, random),
  },
  {
    name: 'Poisson(4), per value',
    rows: 125,
    feature: (random) => simulatedFeature('poisson_4', 'numeric', 1, (r) => r.poisson(4), 0, random),
  },
  ...[60, 200, 1000].map((rows) => ({
    name: '50 Zipf levels',
    rows,
    feature: (random: Random) => simulatedFeature('categorical_50', 'categorical', 1, levelDraw(50), 0, random, 50),
  })),
];

export interface NullLevels {
  readonly case: string;
  readonly rows: number;
  readonly windows: number;
  /** Per nominal level: the share of windows whose shift test p-value is at or below it. */
  readonly rejected: { readonly level: number; readonly share: number }[];
  /** Share of windows with p ≤ `loneLevel` and psi_corrected ≥ the warning threshold: a lone false shift finding. */
  readonly loneFinding: number;
}

/**
 * The shift test's rejection rates when nothing changed: `windows` windows of a case drawn from
 * the distribution of its frozen 20 000-row reference. `loneLevel` is where Benjamini–Hochberg
 * puts a model's only finding (the false-discovery rate over the family's size).
 */
export function nullLevels(
  seed: number,
  nullCase: NullCase,
  windows: number,
  levels: readonly number[],
  loneLevel: number
): NullLevels {
  const feature = nullCase.feature(createRandom(streamSeed(seed, -4)));
  const baseline = new Baseline(feature.kind, feature.edges?.binning ?? null, feature.reference);
  const random = createRandom(streamSeed(seed, nullCase.rows));
  const hits = levels.map(() => 0);
  let loneFindings = 0;
  for (let window = 0; window < windows; window += 1) {
    const [production] = countRows(
      feature.edges ? [feature.edges.cuts] : null,
      feature.levels,
      feature.draw,
      nullCase.rows,
      random
    );
    const shift = baseline.tests(production, DEFAULT_THRESHOLDS).shift;
    const p = shift?.p_value ?? 1;
    levels.forEach((level, index) => {
      if (p <= level) hits[index] += 1;
    });
    if (p <= loneLevel && (shift?.psi_corrected ?? 0) >= DEFAULT_THRESHOLDS.psiWarning) loneFindings += 1;
  }
  return {
    case: nullCase.name,
    rows: nullCase.rows,
    windows,
    rejected: levels.map((level, index) => ({ level, share: hits[index] / windows })),
    loneFinding: loneFindings / windows,
  };
}
