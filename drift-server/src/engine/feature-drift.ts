import {
  Baseline,
  BinCounts,
  BinShare,
  CountDrift,
  categoryList,
  decideWindow,
  driftFromCounts,
  FeatureTests,
  FeatureVerdict,
  frozenBinLabels,
  NumericBinning,
  SeverityThresholds,
} from '../stats';
import { FeatureBins, FeatureDefinition, MISSING_BIN, MISSING_CATEGORY } from '../store';

/** Counts of one side of a comparison: numeric bin → count (−1 missing) or category → count ('' missing). */
export type SideCounts = ReadonlyMap<number, number> | ReadonlyMap<string, number>;

/**
 * One feature in one window: the figures (PSI, KL, JS, psi_critical over the frozen bins, as the
 * statistics contract defines them) and the decided verdict beside them.
 */
export interface FeatureDrift extends FeatureVerdict {
  readonly feature: string;
  readonly kind: FeatureDefinition['kind'];
  readonly importance: number;
  readonly psi: number | null;
  readonly kl: number | null;
  readonly js: number | null;
  readonly psi_critical: number | null;
  readonly reference_rows: number;
  readonly production_rows: number;
  readonly production_missing_share: number | null;
  readonly bins: BinShare[];
}

/** A feature compared in a window, before the window's verdicts are decided together. */
export interface ComparedFeature {
  readonly feature: FeatureDefinition;
  readonly referenceRows: number;
  readonly productionRows: number;
  readonly figures: CountDrift | null;
  readonly tests: FeatureTests;
}

/** How a feature's numeric bins were frozen (versions from before per-value bins: quantiles); null for categorical features. */
export function binningOf(bins: FeatureBins): NumericBinning | null {
  return bins.kind === 'numeric' ? (bins.binning ?? 'quantiles') : null;
}

/** The frozen reference counts of a feature, in the same shape as counts read from aggregates. */
function referenceSide(bins: FeatureBins): SideCounts {
  if (bins.kind === 'numeric') {
    const side = new Map<number, number>(bins.counts.map((count, bin) => [bin, count]));
    side.set(MISSING_BIN, bins.missing);
    return side;
  }
  const side = new Map<string, number>(bins.categories.map((category, index) => [category, bins.counts[index]]));
  side.set(MISSING_CATEGORY, bins.missing);
  return side;
}

// Plain loops in these helpers: a trend calls them for every interval, and callbacks were not inlined.

function numericCounts(binCount: number, side: ReadonlyMap<number, number>): BinCounts {
  const counts = new Array<number>(binCount);
  for (let bin = 0; bin < binCount; bin += 1) counts[bin] = side.get(bin) ?? 0;
  return { counts, missing: side.get(MISSING_BIN) ?? 0 };
}

function categoricalCounts(categories: readonly string[], side: ReadonlyMap<string, number>): BinCounts {
  const counts = new Array<number>(categories.length);
  for (let index = 0; index < categories.length; index += 1) counts[index] = side.get(categories[index]) ?? 0;
  return { counts, missing: side.get(MISSING_CATEGORY) ?? 0 };
}

function presentCategories(side: ReadonlyMap<string, number>): string[] {
  const present: string[] = [];
  for (const [category, count] of side) if (category !== MISSING_CATEGORY && count > 0) present.push(category);
  return present;
}

function rows(counts: BinCounts): number {
  let total = counts.missing;
  for (let bin = 0; bin < counts.counts.length; bin += 1) total += counts.counts[bin];
  return total;
}

/**
 * One literal with every field, in one order: a trend builds thousands, and V8 builds them far
 * faster than objects spread together from parts.
 */
function featureDrift(
  { feature, referenceRows, productionRows, figures, tests }: ComparedFeature,
  verdict: FeatureVerdict
): FeatureDrift {
  const missing = tests.counts.production.missing;
  return {
    feature: feature.name,
    kind: feature.kind,
    importance: feature.importance,
    reference_rows: referenceRows,
    production_rows: productionRows,
    production_missing_share: productionRows === 0 ? null : missing / productionRows,
    psi: figures?.psi ?? null,
    kl: figures?.kl ?? null,
    js: figures?.js ?? null,
    psi_critical: figures?.psi_critical ?? null,
    severity: verdict.severity,
    drifted: verdict.drifted,
    findings: verdict.findings,
    psi_corrected: verdict.psi_corrected,
    psi_noise: verdict.psi_noise,
    shift_p_value: verdict.shift_p_value,
    shift_q_value: verdict.shift_q_value,
    compared_bins: verdict.compared_bins,
    reference_missing_share: verdict.reference_missing_share,
    outside_share: verdict.outside_share,
    bins: figures?.bins ?? [],
  };
}

/**
 * Drift of one feature from summed bin counts, through the statistics layer's driftFromCounts and
 * featureTests, so figures and tests from aggregates are those the stats engine gives on the raw
 * rows. Numeric bins put the missing bin last and categorical first, as compareFeature does. Built
 * once per query: the frozen reference side and numeric bin labels serve every bucket of a trend.
 */
export class FeatureComparer {
  readonly frozenReference: SideCounts;
  private readonly numericLabels: string[];
  /** What every bucket compared with the frozen reference would otherwise derive from it again. */
  private readonly frozenNumericCounts: BinCounts | null;
  private readonly frozenCategories: string[];
  /**
   * The frozen reference as the verdict's baseline. Categorical windows are tested over the frozen
   * categories plus one bin for every category the reference lacks, so the baseline stays one
   * vector across windows (the figures keep one bin per category seen on either side).
   */
  private readonly frozenBaseline: Baseline;

  constructor(
    readonly feature: FeatureDefinition,
    private readonly bins: FeatureBins,
    private readonly thresholds: SeverityThresholds
  ) {
    this.frozenReference = referenceSide(bins);
    this.numericLabels = bins.kind === 'numeric' ? frozenBinLabels(bins) : [];
    this.frozenNumericCounts =
      bins.kind === 'numeric'
        ? numericCounts(bins.cuts.length + 1, this.frozenReference as ReadonlyMap<number, number>)
        : null;
    this.frozenCategories =
      bins.kind === 'categorical' ? presentCategories(this.frozenReference as ReadonlyMap<string, number>).sort() : [];
    this.frozenBaseline =
      bins.kind === 'numeric'
        ? new Baseline('numeric', binningOf(bins), this.frozenNumericCounts as BinCounts)
        : new Baseline(
            'categorical',
            null,
            this.frozenCategoryCounts(this.frozenReference as ReadonlyMap<string, number>)
          );
  }

  /** A side's counts over the frozen categories, then all other categories in one bin. */
  private frozenCategoryCounts(side: ReadonlyMap<string, number>): BinCounts {
    const counts = new Array<number>(this.frozenCategories.length + 1);
    let listed = 0;
    for (let index = 0; index < this.frozenCategories.length; index += 1)
      listed += counts[index] = side.get(this.frozenCategories[index]) ?? 0;
    let present = 0;
    for (const [category, count] of side) if (category !== MISSING_CATEGORY) present += count;
    counts[this.frozenCategories.length] = present - listed;
    return { counts, missing: side.get(MISSING_CATEGORY) ?? 0 };
  }

  /** Figures and tests of production against reference counts; `withBins` adds the per-bin breakdown the deep dive shows. */
  compare(reference: SideCounts | undefined, production: SideCounts | undefined, withBins: boolean): ComparedFeature {
    const { feature, bins } = this;
    const empty = new Map();
    let referenceCounts: BinCounts;
    let productionCounts: BinCounts;
    let labels: string[];
    const frozen = reference === this.frozenReference;
    if (bins.kind === 'numeric') {
      referenceCounts = frozen
        ? (this.frozenNumericCounts as BinCounts)
        : numericCounts(bins.cuts.length + 1, (reference ?? empty) as ReadonlyMap<number, number>);
      productionCounts = numericCounts(bins.cuts.length + 1, (production ?? empty) as ReadonlyMap<number, number>);
      labels = this.numericLabels;
    } else {
      const referenceSide = (reference ?? empty) as ReadonlyMap<string, number>;
      const productionSide = (production ?? empty) as ReadonlyMap<string, number>;
      labels = categoryList(
        frozen ? this.frozenCategories : presentCategories(referenceSide),
        presentCategories(productionSide)
      );
      referenceCounts = categoricalCounts(labels, referenceSide);
      productionCounts = categoricalCounts(labels, productionSide);
    }
    const referenceRows = rows(referenceCounts);
    const productionRows = rows(productionCounts);
    const figures =
      referenceRows === 0 || productionRows === 0
        ? null
        : driftFromCounts(
            referenceCounts,
            productionCounts,
            labels,
            bins.kind === 'numeric' ? 'last' : 'first',
            withBins
          );
    const tests = frozen
      ? this.frozenBaseline.tests(
          bins.kind === 'numeric'
            ? productionCounts
            : this.frozenCategoryCounts((production ?? empty) as ReadonlyMap<string, number>),
          this.thresholds
        )
      : new Baseline(bins.kind, binningOf(bins), referenceCounts).tests(productionCounts, this.thresholds);
    return { feature, referenceRows, productionRows, figures, tests };
  }
}

/**
 * The verdicts of one window: every feature of the model compared, then decided together, since
 * the false-discovery adjustment spans all of a model's features in the window.
 */
export function decideFeatures(compared: readonly ComparedFeature[], thresholds: SeverityThresholds): FeatureDrift[] {
  const verdicts = decideWindow(
    compared.map((feature) => feature.tests),
    thresholds
  );
  return compared.map((feature, index) => featureDrift(feature, verdicts[index]));
}

/**
 * The model's drift score: PSI averaged over features with data, weighted by importance (equal
 * weights when every importance is 0). Null when no feature has data.
 */
export function averageDriftScore(features: readonly FeatureDrift[]): number | null {
  const scored = features.filter((feature) => feature.psi !== null);
  if (scored.length === 0) return null;
  const totalImportance = scored.reduce((sum, feature) => sum + feature.importance, 0);
  const weight = (feature: FeatureDrift) =>
    totalImportance > 0 ? feature.importance / totalImportance : 1 / scored.length;
  return scored.reduce((sum, feature) => sum + weight(feature) * (feature.psi as number), 0);
}
