import type { RawValues } from '../store';
import type { FeatureDrift } from './feature-drift';

/** Figures a deep dive computes from the hourly aggregates: every row of the window counts. */
const AGGREGATE_FIGURES = [
  'psi',
  'kl',
  'js',
  'psi_critical',
  'severity',
  'bins',
  'chi2_statistic',
  'chi2_pvalue',
] as const;
/** Figures that need the raw values: only the rows still stored (retention) and read (deep-dive limit) count. */
const RAW_FIGURES = ['ks_statistic', 'ks_pvalue', 'stats'] as const;

export type CoveredFigure = (typeof AGGREGATE_FIGURES)[number] | (typeof RAW_FIGURES)[number];

export interface FigureRows {
  readonly reference_rows: number;
  readonly production_rows: number;
}

export interface RawRowCoverage {
  /** True when the raw rows read are every row of the window, on both sides. */
  readonly complete: boolean;
  /** The rows each figure rests on. */
  readonly figures: Readonly<Record<CoveredFigure, FigureRows>>;
  /** Says which figures rest on fewer rows than the window holds, and why; null when complete. */
  readonly note: string | null;
}

const count = (n: number) => n.toLocaleString('en-US');

/**
 * How far a deep dive's raw rows reach into its window, figure by figure. Raw production rows are
 * purged after the raw-row retention and capped at the deep-dive limit, while the aggregates keep
 * every row, so over a long window KS and the statistics can rest on a part of what PSI rests on.
 */
export function rawRowCoverage(
  drift: FeatureDrift,
  reference: RawValues<unknown>,
  production: RawValues<unknown>
): RawRowCoverage {
  const window: FigureRows = { reference_rows: drift.reference_rows, production_rows: drift.production_rows };
  const raw: FigureRows = { reference_rows: reference.values.length, production_rows: production.values.length };
  const figures = Object.fromEntries([
    ...AGGREGATE_FIGURES.map((figure) => [figure, window]),
    ...RAW_FIGURES.map((figure) => [figure, raw]),
  ]) as Record<CoveredFigure, FigureRows>;
  const complete = raw.reference_rows >= window.reference_rows && raw.production_rows >= window.production_rows;
  const note = complete
    ? null
    : `KS and the descriptive statistics rest on ${count(raw.production_rows)} of the window's ${count(window.production_rows)} production rows ` +
      `and ${count(raw.reference_rows)} of ${count(window.reference_rows)} baseline rows; PSI, KL, JS and the histogram on all of them. ` +
      'Raw rows older than the raw-row retention (DRIFTGUARD_RAW_RETENTION_DAYS) are purged, and at most DRIFTGUARD_MAX_DEEP_DIVE_ROWS are read per side.';
  return { complete, figures, note };
}
