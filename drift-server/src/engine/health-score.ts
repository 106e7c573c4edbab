import { DEFAULT_THRESHOLDS } from '../stats';
import type { Severity } from '../stats';
import type { Finding } from '../stats';
import { EngineInputError } from './errors';

/** What the health score needs of one feature's verdict in a window; the engine's FeatureDrift fits as it is. */
export interface FeatureHealthInput {
  readonly feature: string;
  /** The model's importance of the feature, ≥ 0; only the ratios between features matter. */
  readonly importance: number;
  /** PSI over the frozen bins, shown beside the cost; null without rows. */
  readonly psi: number | null;
  readonly severity: Severity;
  /** The decided findings: only these cost health. */
  readonly findings: readonly Pick<Finding, 'name' | 'severity' | 'effect'>[];
}

export interface FeatureContribution {
  readonly feature: string;
  readonly importance: number;
  /** Importance as a share of all features' total. */
  readonly weight: number;
  readonly psi: number;
  readonly severity: Severity;
  /** The finding that costs the most. */
  readonly finding: Finding['name'];
  /** Damage 0–1: the share of the feature's weight its findings cost. */
  readonly damage: number;
  /** Health points this feature takes off 100. */
  readonly points_lost: number;
  /** This feature's share of all points lost. */
  readonly share_of_penalty: number;
}

export interface HealthScore {
  /** 0–100; null when no feature could be assessed. */
  readonly health: number | null;
  readonly assessed_features: number;
  /** Features with too few rows to judge: they cost nothing, and their weight is not spread over the others. */
  readonly insufficient_features: string[];
  /** Features with severity warning or critical. */
  readonly drifted_features: number;
  /** Features that cost at least MIN_POINTS_LISTED points, most first. */
  readonly top_features: FeatureContribution[];
}

/**
 * Bias-corrected PSI that costs half of a feature's weight; each further step of it halves what
 * is left. Set to the conventional "significant shift" PSI of 0.2, so a shift at the warning
 * threshold (0.1) costs 29 % of the weight, one at the critical threshold half, and PSI 1 about 97 %.
 */
export const PSI_HALF_DAMAGE = 0.2;

export const DEFAULT_TOP_FEATURES = 5;
/** Features costing less than this are not listed as causes: they would show as "0.0 points". */
export const MIN_POINTS_LISTED = 0.05;

/** The share of a feature's weight a shift of this bias-corrected PSI costs: 1 − 2^(−PSI/0.2). */
export function shiftDamage(psiCorrected: number): number {
  return 1 - 2 ** (-psiCorrected / PSI_HALF_DAMAGE);
}

/**
 * The damage band of each severity: a warning costs from 29 % to half of the feature's weight, a
 * critical finding from half to all of it — the damage of a shift at the default PSI thresholds.
 * Every finding's damage is held inside its severity's band, so health can only fall as a
 * feature's severity rises, whichever finding raised it.
 */
export const DAMAGE_BANDS: Readonly<Record<Finding['severity'], readonly [number, number]>> = {
  warning: [shiftDamage(DEFAULT_THRESHOLDS.psiWarning), shiftDamage(DEFAULT_THRESHOLDS.psiCritical)],
  critical: [shiftDamage(DEFAULT_THRESHOLDS.psiCritical), 1],
};

/**
 * A finding's damage: for a shift, shiftDamage of its bias-corrected PSI; for missing values or
 * values outside the baseline, the share of values affected (all_missing: 1) — each held in its
 * severity's band.
 */
export function findingDamage(finding: Pick<Finding, 'name' | 'severity' | 'effect'>): number {
  const shift = finding.name === 'distribution_shift' || finding.name === 'discrete_shift';
  const raw = shift ? shiftDamage(finding.effect) : finding.effect;
  const [low, high] = DAMAGE_BANDS[finding.severity];
  return Math.min(high, Math.max(low, raw));
}

function checkFeature(feature: FeatureHealthInput): void {
  if (!(Number.isFinite(feature.importance) && feature.importance >= 0)) {
    throw new EngineInputError(
      `importance of feature ${JSON.stringify(feature.feature)} must be a finite number ≥ 0, got ${feature.importance}`
    );
  }
  for (const finding of feature.findings) {
    if (!(Number.isFinite(finding.effect) && finding.effect >= 0)) {
      throw new EngineInputError(
        `effect of finding ${finding.name} of feature ${JSON.stringify(feature.feature)} must be a finite number ≥ 0, got ${finding.effect}`
      );
    }
  }
}

/**
 * Health = 100 · (1 − Σ wᵢ · damageᵢ) over every feature of the model, wᵢ = importanceᵢ / Σ
 * importance (equal weights when every importance is 0), damageᵢ = the largest damage of feature
 * i's decided findings, 0 without any. Only decided verdicts move it: PSI within noise or below the
 * thresholds costs nothing, so a window's length changes the score only through the verdicts.
 * A feature that cannot be judged costs nothing but keeps its weight, so its share never moves
 * onto the others; one whose values went missing is a finding (all_missing) and costs all of it.
 */
export function healthScore(features: readonly FeatureHealthInput[], top = DEFAULT_TOP_FEATURES): HealthScore {
  features.forEach(checkFeature);
  const insufficient = features
    .filter((feature) => feature.severity === 'insufficient_data')
    .map((feature) => feature.feature);
  const assessed = features.length - insufficient.length;
  const drifted = features.filter(
    (feature) => feature.severity === 'warning' || feature.severity === 'critical'
  ).length;
  if (assessed === 0)
    return {
      health: null,
      assessed_features: 0,
      insufficient_features: insufficient,
      drifted_features: 0,
      top_features: [],
    };
  const totalImportance = features.reduce((sum, feature) => sum + feature.importance, 0);
  const scored = features.map((feature) => {
    const weight = totalImportance > 0 ? feature.importance / totalImportance : 1 / features.length;
    let damage = 0;
    let worst: Finding['name'] | null = null;
    for (const finding of feature.findings) {
      const findingCost = findingDamage(finding);
      if (findingCost > damage) {
        damage = findingCost;
        worst = finding.name;
      }
    }
    return { feature, weight, damage, worst, pointsLost: 100 * weight * damage };
  });
  const pointsLost = scored.reduce((sum, feature) => sum + feature.pointsLost, 0);
  const contributions: FeatureContribution[] = scored
    .filter((feature) => feature.worst !== null && feature.pointsLost >= MIN_POINTS_LISTED)
    .sort((left, right) => right.pointsLost - left.pointsLost)
    .slice(0, top)
    .map(({ feature, weight, damage, worst, pointsLost: lost }) => ({
      feature: feature.feature,
      importance: feature.importance,
      weight,
      // A finding needs rows on both sides, so its feature has a PSI.
      psi: feature.psi as number,
      severity: feature.severity,
      finding: worst as Finding['name'],
      damage,
      points_lost: lost,
      share_of_penalty: lost / pointsLost,
    }));
  return {
    health: Math.min(100, Math.max(0, 100 - pointsLost)),
    assessed_features: assessed,
    insufficient_features: insufficient,
    drifted_features: drifted,
    top_features: contributions,
  };
}
