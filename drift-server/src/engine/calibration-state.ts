import { AccuracyFigure, EstimatedAccuracy, estimatedAccuracyOf, realizedAccuracyOf } from '../stats';
import type { ReferenceCalibration } from '../store';
import type { BaselineOut } from './results';

export interface CalibrationState {
  readonly status: ReferenceCalibration['status'];
  /** Why there is no calibration (and so no estimated or reference accuracy); null when fitted. */
  readonly reason: string | null;
  /** The reference version the calibration belongs to. */
  readonly reference_version: number;
  /** Reference rows with a probability and a label it was fitted on; null without a calibration. */
  readonly rows: number | null;
  /** True when cross-fitted (its error is in the estimate's band); false for versions calibrated before cross-fitting; null without a calibration. */
  readonly cross_fitted: boolean | null;
  /** CBPE on the calibration's rows, each scored by the fit that did not see it, beside their realized accuracy: the estimate checked on the reference. */
  readonly held_out: { readonly estimated: EstimatedAccuracy; readonly realized: AccuracyFigure } | null;
}

/** The reference version whose calibration applies: the compared one, or the binning's for a rolling baseline. */
export function calibrationVersion(baseline: BaselineOut): number {
  return baseline.kind === 'reference' ? baseline.version : baseline.binning_version;
}

export function calibrationState(calibration: ReferenceCalibration, version: number): CalibrationState {
  if (calibration.status === 'unavailable')
    return {
      status: 'unavailable',
      reason: calibration.reason,
      reference_version: version,
      rows: null,
      cross_fitted: null,
      held_out: null,
    };
  const heldOut = calibration.held_out;
  return {
    status: 'fitted',
    reason: null,
    reference_version: version,
    rows: calibration.calibration_rows,
    cross_fitted: calibration.cross_fitted,
    held_out: heldOut && {
      estimated: estimatedAccuracyOf(heldOut) as EstimatedAccuracy,
      realized: realizedAccuracyOf(heldOut) as AccuracyFigure,
    },
  };
}
