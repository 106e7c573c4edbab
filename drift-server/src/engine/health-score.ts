import type { Severity } from '../stats/severity';
import { EngineInputError } from './errors';

/**
 * What the health score needs of one feature's drift in a window; the engine's per-feature drift
 * fits as it is. PSI is null when a side has no rows.
 */
export interface FeatureHealthInput {
  readonly feature: string;
  /** The model's importance of the feature, ≥ 0; only the ratios between features matter. */
  readonly importance: number;
  readonly psi: number | null;
  /** PSI that sampling noise alone stays under 19 times out of 20 at these row counts. */
  readonly psi_critical: number | null;
  readonly severity: Severity;
}

/** A feature the score can judge: enough rows, so PSI and its noise level exist. */
interface AssessedFeature extends FeatureHealthInput {
  readonly psi: number;
  readonly psi_critical: number;
}

export interface FeatureContribution {
  readonly feature: string;
  readonly importance: number;
  /** Importance as a share of the assessed features' total. */
  readonly weight: number;
  readonly psi: number;
  readonly severity: Severity;
  /** Damage 0–1: the share of the feature's weight that its drift costs. */
  readonly damage: number;
  /** Health points this feature takes off 100. */
  readonly points_lost: number;
  /** This feature's share of all points lost. */
  readonly share_of_penalty: number;
}

export interface HealthScore {
  /** 0–100; null when no feature has enough rows to be assessed. */
  readonly health: number | null;
  readonly assessed_features: number;
  /** Features with too few rows (or none): left out of the score rather than counted as drift. */
  readonly insufficient_features: string[];
  /** Features with severity warning or critical. */
  readonly drifted_features: number;
  /** Features that cost at least MIN_POINTS_LISTED points, most first. */
  readonly top_features: FeatureContribution[];
}

/**
 * PSI above noise that costs half of a feature's weight; each further step of it halves what is
 * left. Set to the conventional "significant shift" PSI of 0.2, so a significant shift costs half
 * the feature's weight, a moderate one (0.1) 29 %, and a major one (PSI 1) about 97 %.
 */
export const PSI_HALF_DAMAGE = 0.2;

export const DEFAULT_TOP_FEATURES = 5;
/** Features costing less than this are not listed as causes: they would show as "0.0 points". */
export const MIN_POINTS_LISTED = 0.05;

/**
 * Share of a feature's weight lost to drift: 1 − 2^(−max(0, PSI − psi_critical) / 0.2). Zero while
 * PSI is within sampling noise, continuous (no jump at the noise line), increasing, and saturating
 * at 1 so one exploding feature cannot take more than its own weight.
 */
export function driftDamage(psi: number, psiCritical: number): number {
  const excess = Math.max(0, psi - psiCritical);
  return 1 - 2 ** (-excess / PSI_HALF_DAMAGE);
}

function checkFeature(drift: FeatureHealthInput): void {
  const numbers = { importance: drift.importance, psi: drift.psi ?? 0, psi_critical: drift.psi_critical ?? 0 };
  for (const [name, value] of Object.entries(numbers)) {
    if (!(Number.isFinite(value) && value >= 0)) {
      throw new EngineInputError(`${name} of feature ${JSON.stringify(drift.feature)} must be a finite number ≥ 0, got ${value}`);
    }
  }
}

/**
 * Health = 100 · (1 − Σ wᵢ · damageᵢ) over the features with enough rows, wᵢ = importanceᵢ / Σ
 * importance (equal weights when every importance is 0). Each feature can take at most its weight
 * off, so the score stays in [0, 100] and 100 means no feature drifted beyond noise.
 */
export function healthScore(features: readonly FeatureHealthInput[], top = DEFAULT_TOP_FEATURES): HealthScore {
  features.forEach(checkFeature);
  const isAssessed = (drift: FeatureHealthInput): drift is AssessedFeature =>
    drift.severity !== 'insufficient_data' && drift.psi !== null && drift.psi_critical !== null;
  const assessed = features.filter(isAssessed);
  const insufficient = features.filter((drift) => !isAssessed(drift)).map((drift) => drift.feature);
  const drifted = assessed.filter((drift) => drift.severity === 'warning' || drift.severity === 'critical').length;
  if (assessed.length === 0) {
    return { health: null, assessed_features: 0, insufficient_features: insufficient, drifted_features: 0, top_features: [] };
  }
  const totalImportance = assessed.reduce((sum, drift) => sum + drift.importance, 0);
  const weightOf = (drift: AssessedFeature) => (totalImportance > 0 ? drift.importance / totalImportance : 1 / assessed.length);
  const scored = assessed.map((drift) => {
    const weight = weightOf(drift);
    const damage = driftDamage(drift.psi, drift.psi_critical);
    return { drift, weight, damage, pointsLost: 100 * weight * damage };
  });
  const pointsLost = scored.reduce((sum, feature) => sum + feature.pointsLost, 0);
  const contributions: FeatureContribution[] = scored
    .filter((feature) => feature.pointsLost >= MIN_POINTS_LISTED)
    .sort((left, right) => right.pointsLost - left.pointsLost)
    .slice(0, top)
    .map(({ drift, weight, damage, pointsLost: lost }) => ({
      feature: drift.feature,
      importance: drift.importance,
      weight,
      psi: drift.psi,
      severity: drift.severity,
      damage,
      points_lost: lost,
      share_of_penalty: lost / pointsLost,
    }));
  return {
    health: Math.min(100, Math.max(0, 100 - pointsLost)),
    assessed_features: assessed.length,
    insufficient_features: insufficient,
    drifted_features: drifted,
    top_features: contributions,
  };
}
