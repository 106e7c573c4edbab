import { StatsInputError } from './types';

export type Severity = 'insufficient_data' | 'ok' | 'warning' | 'critical';

/** The severities of a decided finding. */
export type FindingSeverity = 'warning' | 'critical';

/**
 * What a verdict needs to be practically large and beyond noise. The PSI thresholds are the
 * industry's conventions; the others say when a data-quality finding matters.
 */
export interface SeverityThresholds {
  /** Bias-corrected PSI at or above which a decided shift is a warning (industry convention: 0.1). */
  readonly psiWarning: number;
  /** Bias-corrected PSI at or above which a decided shift is critical (industry convention: 0.2). */
  readonly psiCritical: number;
  /** Fewer rows than this in the window, or non-missing rows in the baseline, give "insufficient_data"; fewer non-missing window rows, no shift test. */
  readonly minRows: number;
  /** Benjamini–Hochberg false-discovery rate over all tests of a model's features in one window. */
  readonly falseDiscoveryRate: number;
  /** Rise of the missing share (production − baseline) that is a warning, and that is critical. */
  readonly missingShareWarning: number;
  readonly missingShareCritical: number;
  /** A production missing share at or above this (after a decided rise) is "mostly_missing", critical. */
  readonly mostlyMissingShare: number;
  /** Share of non-missing values outside the baseline's range (or in unseen categories) that is a warning, and that is critical. */
  readonly outsideShareWarning: number;
  readonly outsideShareCritical: number;
}

export const DEFAULT_THRESHOLDS: SeverityThresholds = {
  psiWarning: 0.1,
  psiCritical: 0.2,
  minRows: 30,
  falseDiscoveryRate: 0.01,
  missingShareWarning: 0.05,
  missingShareCritical: 0.2,
  mostlyMissingShare: 0.5,
  outsideShareWarning: 0.01,
  outsideShareCritical: 0.05,
};

function requireOrdered(name: string, warning: number, critical: number, upper: number): void {
  if (!(warning > 0 && critical >= warning && critical <= upper)) {
    throw new StatsInputError(
      `${name} thresholds must satisfy 0 < warning ≤ critical ≤ ${upper}, got ${warning} and ${critical}`
    );
  }
}

export function checkThresholds(thresholds: SeverityThresholds): SeverityThresholds {
  const { psiWarning, psiCritical, minRows, falseDiscoveryRate, mostlyMissingShare } = thresholds;
  requireOrdered('PSI', psiWarning, psiCritical, Number.MAX_VALUE);
  requireOrdered('missing-share', thresholds.missingShareWarning, thresholds.missingShareCritical, 1);
  requireOrdered('outside-share', thresholds.outsideShareWarning, thresholds.outsideShareCritical, 1);
  if (!Number.isInteger(minRows) || minRows < 1)
    throw new StatsInputError(`minimum rows must be a whole number ≥ 1, got ${minRows}`);
  if (!(falseDiscoveryRate > 0 && falseDiscoveryRate < 1))
    throw new StatsInputError(`the false-discovery rate must lie in (0, 1), got ${falseDiscoveryRate}`);
  if (!(mostlyMissingShare > 0 && mostlyMissingShare <= 1))
    throw new StatsInputError(`the mostly-missing share must lie in (0, 1], got ${mostlyMissingShare}`);
  return thresholds;
}
