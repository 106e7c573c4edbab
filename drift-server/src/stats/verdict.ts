import type { BinCounts, NumericBinning } from './binning';
import { chiSquareHomogeneity } from './chisquare';
import { benjaminiHochberg } from './fdr';
import { poolBins, pooledCounts, smoothedPsi, smoothedPsiNoise } from './noise';
import { checkThresholds, FindingSeverity, Severity, SeverityThresholds } from './severity';
import { hypergeometricUpperTail } from './special';
import type { FeatureKind } from './types';

/**
 * What a verdict can find wrong with a feature in a window:
 * - `distribution_shift` / `discrete_shift`: the values the baseline also had are distributed
 *   differently (discrete_shift for a numeric feature binned per value);
 * - `missing_share_change`, `mostly_missing`, `all_missing`: more rows miss the value than in the
 *   baseline — all_missing when too few values are left to compare the distribution at all;
 * - `out_of_range`, `unseen_categories`, `constant_changed`: values beyond the baseline's range,
 *   categories it never had, or any other value of a feature that was constant.
 */
export type FindingName =
  | 'distribution_shift'
  | 'discrete_shift'
  | 'missing_share_change'
  | 'mostly_missing'
  | 'all_missing'
  | 'out_of_range'
  | 'unseen_categories'
  | 'constant_changed';

export interface Finding {
  readonly name: FindingName;
  readonly severity: FindingSeverity;
  /**
   * The size the finding is judged by: the bias-corrected PSI for a shift; for missing values the
   * share of the values the baseline would have had that are missing, (m − m₀)/(1 − m₀), 1 when
   * all are; for values outside the baseline, their share of the window's non-missing values.
   */
  readonly effect: number;
  readonly p_value: number;
  /** Benjamini–Hochberg adjusted over every test of the model's features in the window. */
  readonly q_value: number;
}

/** A feature's counts on both sides over its frozen bins, missing apart. */
export interface FeatureCounts {
  readonly kind: FeatureKind;
  /** How a numeric feature's bins were frozen; null for categorical features. */
  readonly binning: NumericBinning | null;
  readonly reference: BinCounts;
  readonly production: BinCounts;
}

/** The chi-square test of homogeneity over pooled bins, with the bias-corrected PSI beside it. */
export interface ShiftTest {
  /** Pooled bins compared (each expecting ≥ 5 rows on the smaller side). */
  readonly bins: number;
  readonly statistic: number;
  readonly dof: number;
  readonly p_value: number;
  /** PSI of the pooled bins on Jeffreys-smoothed shares. */
  readonly psi: number;
  /** What sampling noise alone adds to that PSI on average at these row counts. */
  readonly psi_noise: number;
  /** max(0, psi − psi_noise): the shift's size, comparable across window sizes. */
  readonly psi_corrected: number;
}

/** One-sided test that the window has more rows of a kind than the baseline (Fisher's exact test). */
interface ShareTest {
  readonly p_value: number;
  readonly reference_share: number;
  readonly production_share: number;
}

/** The tests of one feature in one window, before the window's false-discovery adjustment. */
export interface FeatureTests {
  readonly counts: FeatureCounts;
  /** The baseline held a single value (per-value bins). */
  readonly constant: boolean;
  /** Rows in the window (missing included) and non-missing rows in the baseline both reach minRows. */
  readonly assessable: boolean;
  /** Non-missing rows of the window. */
  readonly present_rows: number;
  /** Null when fewer than minRows window values lie inside the baseline's bins, or they pool into one bin. */
  readonly shift: ShiftTest | null;
  /** Shares over all rows of each side. */
  readonly missing: ShareTest;
  /** Shares of the non-missing values in bins the baseline never had (tails, unseen categories). */
  readonly outside: ShareTest;
}

function total(counts: readonly number[]): number {
  let sum = 0;
  for (let bin = 0; bin < counts.length; bin += 1) sum += counts[bin];
  return sum;
}

/** Fisher's exact one-sided test that the window holds a larger share of such rows than the baseline. */
function shareTest(
  referenceHits: number,
  referenceRows: number,
  productionHits: number,
  productionRows: number
): ShareTest {
  const p_value =
    productionRows === 0
      ? 1
      : hypergeometricUpperTail(
          productionHits,
          referenceRows + productionRows,
          referenceHits + productionHits,
          productionRows
        );
  return {
    p_value,
    reference_share: referenceRows === 0 ? 0 : referenceHits / referenceRows,
    production_share: productionRows === 0 ? 0 : productionHits / productionRows,
  };
}

/** The baseline side of the shift test at one pooling: what every window of that size reuses. */
interface PooledBaseline {
  readonly groups: number[][];
  readonly counts: number[];
  readonly shares: number[];
  /** psi_noise by the window's rows inside the baseline's bins. */
  readonly noise: Map<number, number>;
}

/**
 * A baseline (the frozen reference, or a previous period) with what the tests derive from it
 * alone: the bins its values span, their shares, the pooling order, and per window size the pooled
 * bins and the noise level. A trend compares thousands of windows with one baseline, of a few
 * hundred distinct sizes, so each is worked out once.
 */
export class Baseline {
  private readonly present: number;
  /**
   * The bins the baseline's values span: for numeric features every bin from the first to the last
   * holding baseline rows (the tails outside are what "outside" counts; an empty bin inside is
   * pooled with its neighbours), for categorical ones the categories with baseline rows.
   */
  private readonly support: number[];
  /** The support in pooling order: bin order, or for categories the most common first, so rare ones pool with rare ones. */
  private readonly order: number[];
  private readonly shares: number[];
  /** The baseline had one value only (per-value bins): any other is a changed constant. */
  readonly constant: boolean;
  private readonly pooled = new Map<number, PooledBaseline | null>();

  constructor(
    readonly kind: FeatureKind,
    readonly binning: NumericBinning | null,
    readonly reference: BinCounts
  ) {
    const counts = reference.counts;
    this.present = total(counts);
    this.shares = counts.map((count) => (this.present === 0 ? 0 : count / this.present));
    if (kind === 'categorical') {
      this.support = counts.flatMap((count, bin) => (count > 0 ? [bin] : []));
      this.order = [...this.support].sort((left, right) => this.shares[right] - this.shares[left] || left - right);
    } else {
      const first = counts.findIndex((count) => count > 0);
      let last = counts.length - 1;
      while (last >= 0 && counts[last] === 0) last -= 1;
      this.support = first === -1 ? [] : Array.from({ length: last - first + 1 }, (_, offset) => first + offset);
      this.order = this.support;
    }
    this.constant = binning === 'values' && counts.filter((count) => count > 0).length === 1;
  }

  private pooling(rows: number): PooledBaseline | null {
    let pooled = this.pooled.get(rows);
    if (pooled === undefined) {
      const groups = poolBins(this.shares, this.order, rows);
      const counts = pooledCounts(this.reference.counts, groups);
      pooled =
        groups.length < 2
          ? null
          : { groups, counts, shares: counts.map((count) => count / this.present), noise: new Map() };
      this.pooled.set(rows, pooled);
    }
    return pooled;
  }

  private shiftTest(production: readonly number[], insideRows: number): ShiftTest | null {
    const pooled = this.pooling(Math.min(this.present, insideRows));
    if (pooled === null) return null;
    const productionPooled = pooledCounts(production, pooled.groups);
    const test = chiSquareHomogeneity(pooled.counts, productionPooled);
    const psi = smoothedPsi(pooled.counts, productionPooled);
    let noise = pooled.noise.get(insideRows);
    if (noise === undefined) {
      noise = smoothedPsiNoise(pooled.shares, this.present, insideRows);
      pooled.noise.set(insideRows, noise);
    }
    return {
      bins: pooled.groups.length,
      statistic: test.statistic,
      dof: test.dof,
      p_value: test.pvalue,
      psi,
      psi_noise: noise,
      psi_corrected: Math.max(0, psi - noise),
    };
  }

  /**
   * The three tests of a window against this baseline, from counts alone (so aggregates summed
   * over any window feed them): the distribution of the values inside the baseline's bins
   * (chi-square over pooled bins), the missing share, and the share of values outside them.
   */
  tests(production: BinCounts, thresholds: SeverityThresholds): FeatureTests {
    const present = total(production.counts);
    let inside = 0;
    for (const bin of this.support) inside += production.counts[bin];
    return {
      counts: { kind: this.kind, binning: this.binning, reference: this.reference, production },
      constant: this.constant,
      assessable: present + production.missing >= thresholds.minRows && this.present >= thresholds.minRows,
      present_rows: present,
      shift: inside >= thresholds.minRows && this.present > 0 ? this.shiftTest(production.counts, inside) : null,
      missing: shareTest(
        this.reference.missing,
        this.present + this.reference.missing,
        production.missing,
        present + production.missing
      ),
      outside: shareTest(0, this.present, present - inside, present),
    };
  }
}

/** The tests of one feature's counts in one window (a baseline used once). */
export function featureTests(counts: FeatureCounts, thresholds: SeverityThresholds): FeatureTests {
  return new Baseline(counts.kind, counts.binning, counts.reference).tests(counts.production, thresholds);
}

/** A feature's decided verdict in a window. */
export interface FeatureVerdict {
  /** The worst finding's severity; ok when there is none; insufficient_data when nothing could be judged. */
  readonly severity: Severity;
  /** Severity warning or critical. */
  readonly drifted: boolean;
  readonly findings: Finding[];
  readonly psi_corrected: number | null;
  /** The noise level the shift was judged against: PSI that sampling noise alone gives on average at this window's size. */
  readonly psi_noise: number | null;
  readonly shift_p_value: number | null;
  readonly shift_q_value: number | null;
  /** Pooled bins the shift test compared. */
  readonly compared_bins: number | null;
  readonly reference_missing_share: number | null;
  /** Share of the window's non-missing values outside the baseline's bins. */
  readonly outside_share: number | null;
}

function shiftFinding(tests: FeatureTests, q: number, thresholds: SeverityThresholds): Finding | null {
  const shift = tests.shift;
  if (shift === null || q > thresholds.falseDiscoveryRate || shift.psi_corrected < thresholds.psiWarning) return null;
  return {
    name: tests.counts.binning === 'values' ? 'discrete_shift' : 'distribution_shift',
    severity: shift.psi_corrected >= thresholds.psiCritical ? 'critical' : 'warning',
    effect: shift.psi_corrected,
    p_value: shift.p_value,
    q_value: q,
  };
}

function missingFinding(tests: FeatureTests, q: number, thresholds: SeverityThresholds): Finding | null {
  const { reference_share: before, production_share: now, p_value } = tests.missing;
  const rise = now - before;
  if (q > thresholds.falseDiscoveryRate || rise < thresholds.missingShareWarning) return null;
  const lost = rise / (1 - before);
  if (tests.present_rows < thresholds.minRows)
    return { name: 'all_missing', severity: 'critical', effect: 1, p_value, q_value: q };
  if (now >= thresholds.mostlyMissingShare)
    return { name: 'mostly_missing', severity: 'critical', effect: lost, p_value, q_value: q };
  return {
    name: 'missing_share_change',
    severity: rise >= thresholds.missingShareCritical ? 'critical' : 'warning',
    effect: lost,
    p_value,
    q_value: q,
  };
}

function outsideName(tests: FeatureTests): FindingName {
  if (tests.counts.kind === 'categorical') return 'unseen_categories';
  return tests.constant ? 'constant_changed' : 'out_of_range';
}

function outsideFinding(tests: FeatureTests, q: number, thresholds: SeverityThresholds): Finding | null {
  const { production_share: share, p_value } = tests.outside;
  if (q > thresholds.falseDiscoveryRate || share < thresholds.outsideShareWarning) return null;
  return {
    name: outsideName(tests),
    severity: share >= thresholds.outsideShareCritical ? 'critical' : 'warning',
    effect: share,
    p_value,
    q_value: q,
  };
}

const TESTS_PER_FEATURE = 3;

/**
 * The verdicts of a model's features in one window. Every feature contributes three tests to one
 * family, always (a test that cannot run counts with p = 1, so the family never shrinks), and
 * Benjamini–Hochberg adjusts them together; a finding needs q ≤ the false-discovery rate AND a
 * practically large effect (thresholds). So noise is held to the FDR at every window size, and a
 * trivial shift on millions of rows, however significant, stays ok.
 */
export function decideWindow(features: readonly FeatureTests[], thresholds: SeverityThresholds): FeatureVerdict[] {
  checkThresholds(thresholds);
  const pValues = features.flatMap((tests) =>
    tests.assessable ? [tests.shift?.p_value ?? 1, tests.missing.p_value, tests.outside.p_value] : [1, 1, 1]
  );
  const qValues = benjaminiHochberg(pValues);
  return features.map((tests, index) => {
    const [shiftQ, missingQ, outsideQ] = qValues.slice(TESTS_PER_FEATURE * index, TESTS_PER_FEATURE * (index + 1));
    const findings = tests.assessable
      ? [
          shiftFinding(tests, shiftQ, thresholds),
          missingFinding(tests, missingQ, thresholds),
          outsideFinding(tests, outsideQ, thresholds),
        ].filter((finding): finding is Finding => finding !== null)
      : [];
    const judged = tests.assessable && (tests.shift !== null || tests.present_rows >= thresholds.minRows);
    const severity: Severity = findings.some((finding) => finding.severity === 'critical')
      ? 'critical'
      : findings.length > 0
        ? 'warning'
        : judged
          ? 'ok'
          : 'insufficient_data';
    const assessedShift = tests.assessable ? tests.shift : null;
    return {
      severity,
      drifted: findings.length > 0,
      findings,
      psi_corrected: assessedShift?.psi_corrected ?? null,
      psi_noise: assessedShift?.psi_noise ?? null,
      shift_p_value: assessedShift?.p_value ?? null,
      shift_q_value: assessedShift ? shiftQ : null,
      compared_bins: assessedShift?.bins ?? null,
      reference_missing_share: tests.missing.reference_share,
      outside_share: tests.present_rows > 0 ? tests.outside.production_share : null,
    };
  });
}
