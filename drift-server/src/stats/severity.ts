import { StatsInputError } from './types';

export type Severity = 'insufficient_data' | 'ok' | 'warning' | 'critical';

export interface SeverityThresholds {
  /** PSI at or above which a feature is a warning (industry convention: 0.1). */
  readonly psiWarning: number;
  /** PSI at or above which a feature has drifted (industry convention: 0.2). */
  readonly psiCritical: number;
  /** Fewer non-missing rows than this on either side give "insufficient_data", never an alarm. */
  readonly minRows: number;
}

export const DEFAULT_THRESHOLDS: SeverityThresholds = { psiWarning: 0.1, psiCritical: 0.2, minRows: 30 };

export interface SeverityInput {
  readonly psi: number;
  readonly psi_critical: number;
  readonly reference_rows: number;
  readonly production_rows: number;
}

export function checkThresholds(thresholds: SeverityThresholds): SeverityThresholds {
  const { psiWarning, psiCritical, minRows } = thresholds;
  if (!(psiWarning > 0 && psiCritical >= psiWarning && Number.isFinite(psiCritical))) {
    throw new StatsInputError(`PSI thresholds must satisfy 0 < warning ≤ critical, got ${psiWarning} and ${psiCritical}`);
  }
  if (!Number.isInteger(minRows) || minRows < 1) throw new StatsInputError(`minimum rows must be a whole number ≥ 1, got ${minRows}`);
  return thresholds;
}

/**
 * Severity from the effect size (PSI), counted only when PSI also exceeds the sample-size-aware
 * psi_critical: small windows are noisy, and a p-value alone would flag trivial shifts at large N.
 */
export function classifySeverity(input: SeverityInput, thresholds: SeverityThresholds = DEFAULT_THRESHOLDS): Severity {
  checkThresholds(thresholds);
  if (Math.min(input.reference_rows, input.production_rows) < thresholds.minRows) return 'insufficient_data';
  if (input.psi <= input.psi_critical) return 'ok';
  if (input.psi >= thresholds.psiCritical) return 'critical';
  if (input.psi >= thresholds.psiWarning) return 'warning';
  return 'ok';
}
