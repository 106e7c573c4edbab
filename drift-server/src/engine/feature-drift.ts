import {
  BinCounts,
  BinShare,
  CountDrift,
  categoryList,
  classifySeverity,
  driftFromCounts,
  numericBinLabels,
  Severity,
  SeverityThresholds,
} from '../stats';
import { FeatureBins, FeatureDefinition, MISSING_BIN, MISSING_CATEGORY } from '../store';

/** Counts of one side of a comparison: numeric bin → count (−1 missing) or category → count ('' missing). */
export type SideCounts = ReadonlyMap<number, number> | ReadonlyMap<string, number>;

export interface FeatureDrift {
  readonly feature: string;
  readonly kind: FeatureDefinition['kind'];
  readonly importance: number;
  readonly psi: number | null;
  readonly kl: number | null;
  readonly js: number | null;
  readonly psi_critical: number | null;
  readonly severity: Severity;
  readonly reference_rows: number;
  readonly production_rows: number;
  readonly production_missing_share: number | null;
  readonly bins: BinShare[];
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
  feature: FeatureDefinition,
  referenceRows: number,
  productionRows: number,
  missingShare: number | null,
  drift: CountDrift | null,
  severity: Severity,
): FeatureDrift {
  return {
    feature: feature.name,
    kind: feature.kind,
    importance: feature.importance,
    reference_rows: referenceRows,
    production_rows: productionRows,
    production_missing_share: missingShare,
    psi: drift?.psi ?? null,
    kl: drift?.kl ?? null,
    js: drift?.js ?? null,
    psi_critical: drift?.psi_critical ?? null,
    severity,
    bins: drift?.bins ?? [],
  };
}

/**
 * Drift of one feature from summed bin counts, through the statistics layer's driftFromCounts, so
 * figures from aggregates are the figures the stats engine gives on the raw rows. Numeric bins put
 * the missing bin last and categorical first, as compareFeature does. Built once per query: the
 * frozen reference side and numeric bin labels serve every bucket of a trend.
 */
export class FeatureComparer {
  readonly frozenReference: SideCounts;
  private readonly numericLabels: string[];
  /** What every bucket compared with the frozen reference would otherwise derive from it again. */
  private readonly frozenNumericCounts: BinCounts | null;
  private readonly frozenCategories: string[];

  constructor(
    readonly feature: FeatureDefinition,
    private readonly bins: FeatureBins,
    private readonly thresholds: SeverityThresholds,
  ) {
    this.frozenReference = referenceSide(bins);
    this.numericLabels = bins.kind === 'numeric' ? numericBinLabels(bins.cuts) : [];
    this.frozenNumericCounts = bins.kind === 'numeric' ? numericCounts(bins.cuts.length + 1, this.frozenReference as ReadonlyMap<number, number>) : null;
    this.frozenCategories = bins.kind === 'categorical' ? presentCategories(this.frozenReference as ReadonlyMap<string, number>) : [];
  }

  /** Drift of production against reference counts; `withBins` adds the per-bin breakdown the deep dive shows. */
  compare(reference: SideCounts | undefined, production: SideCounts | undefined, withBins: boolean): FeatureDrift {
    const { feature, bins } = this;
    const empty = new Map();
    let referenceCounts: BinCounts;
    let productionCounts: BinCounts;
    let labels: string[];
    const frozen = reference === this.frozenReference;
    if (bins.kind === 'numeric') {
      referenceCounts = frozen ? (this.frozenNumericCounts as BinCounts) : numericCounts(bins.cuts.length + 1, (reference ?? empty) as ReadonlyMap<number, number>);
      productionCounts = numericCounts(bins.cuts.length + 1, (production ?? empty) as ReadonlyMap<number, number>);
      labels = this.numericLabels;
    } else {
      const referenceSide = (reference ?? empty) as ReadonlyMap<string, number>;
      const productionSide = (production ?? empty) as ReadonlyMap<string, number>;
      labels = categoryList(frozen ? this.frozenCategories : presentCategories(referenceSide), presentCategories(productionSide));
      referenceCounts = categoricalCounts(labels, referenceSide);
      productionCounts = categoricalCounts(labels, productionSide);
    }
    const referenceRows = rows(referenceCounts);
    const productionRows = rows(productionCounts);
    const missingShare = productionRows === 0 ? null : productionCounts.missing / productionRows;
    if (referenceRows === 0 || productionRows === 0) {
      return featureDrift(feature, referenceRows, productionRows, missingShare, null, 'insufficient_data');
    }
    const drift = driftFromCounts(referenceCounts, productionCounts, labels, bins.kind === 'numeric' ? 'last' : 'first', withBins);
    const severity = classifySeverity(
      {
        psi: drift.psi,
        psi_critical: drift.psi_critical,
        reference_rows: referenceRows - referenceCounts.missing,
        production_rows: productionRows - productionCounts.missing,
      },
      this.thresholds,
    );
    return featureDrift(feature, referenceRows, productionRows, missingShare, drift, severity);
  }
}

/**
 * The model's drift score: PSI averaged over features with data, weighted by importance (equal
 * weights when every importance is 0). Null when no feature has data.
 */
export function averageDriftScore(features: readonly FeatureDrift[]): number | null {
  const scored = features.filter((feature) => feature.psi !== null);
  if (scored.length === 0) return null;
  const totalImportance = scored.reduce((sum, feature) => sum + feature.importance, 0);
  const weight = (feature: FeatureDrift) => (totalImportance > 0 ? feature.importance / totalImportance : 1 / scored.length);
  return scored.reduce((sum, feature) => sum + weight(feature) * (feature.psi as number), 0);
}
