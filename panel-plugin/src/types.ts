export const VIEW_MODES = ['all', 'diagnostics', 'deepDive', 'advisor'] as const;
export type ViewMode = (typeof VIEW_MODES)[number];

/** Drift measures the table and the deep dive can show; PSI always drives the order. */
export const DRIFT_METRICS = ['psi', 'ks', 'kl', 'js'] as const;
export type DriftMetric = (typeof DRIFT_METRICS)[number];

export interface DriftPanelOptions {
  viewMode: ViewMode;
  /** PSI marks drawn on the sparklines and the PSI card; severity itself comes from drift-server. */
  psiWarning: number;
  psiCritical: number;
  metrics: DriftMetric[];
  /** The dashboard variable "Analyze" sets (without the `$`). */
  featureVariable: string;
}

export const DEFAULT_OPTIONS: DriftPanelOptions = {
  viewMode: 'all',
  psiWarning: 0.1,
  psiCritical: 0.2,
  metrics: ['psi', 'ks', 'kl', 'js'],
  featureVariable: 'feature',
};
