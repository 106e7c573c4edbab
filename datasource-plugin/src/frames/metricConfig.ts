import { FieldConfig } from '@grafana/data';

const ACCURACY: FieldConfig = { unit: 'percentunit', decimals: 1, min: 0, max: 1 };

/** How each drift-server figure is labelled and formatted, shared by every frame that carries it. */
export const METRIC_CONFIG: Record<string, FieldConfig> = {
  psi: { displayNameFromDS: 'PSI', unit: 'none', decimals: 3 },
  psi_critical: { displayNameFromDS: 'PSI noise level', unit: 'none', decimals: 3 },
  js: { displayNameFromDS: 'JS distance', unit: 'none', decimals: 3, min: 0, max: 1 },
  kl: { displayNameFromDS: 'KL divergence', unit: 'none', decimals: 3 },
  ks_statistic: { displayNameFromDS: 'KS statistic', unit: 'none', decimals: 3, min: 0, max: 1 },
  ks_pvalue: { displayNameFromDS: 'KS p-value', unit: 'none', decimals: 4, min: 0, max: 1 },
  chi2_statistic: { displayNameFromDS: 'Chi-square', unit: 'none', decimals: 2 },
  chi2_pvalue: { displayNameFromDS: 'Chi-square p-value', unit: 'none', decimals: 4, min: 0, max: 1 },
  chi2_dof: { displayNameFromDS: 'Chi-square dof', unit: 'short', decimals: 0 },
  production_rows: { displayNameFromDS: 'Production rows', unit: 'short', decimals: 0 },
  reference_rows: { displayNameFromDS: 'Reference rows', unit: 'short', decimals: 0 },
  production_missing_share: {
    displayNameFromDS: 'Missing (production)',
    unit: 'percentunit',
    decimals: 1,
    min: 0,
    max: 1,
  },
  importance: { displayNameFromDS: 'Importance', unit: 'none' },
  predictions: { displayNameFromDS: 'Predictions', unit: 'short', decimals: 0 },
  health: { displayNameFromDS: 'Health score', unit: 'none', decimals: 1, min: 0, max: 100 },
  estimated_accuracy: { ...ACCURACY, displayNameFromDS: 'Estimated accuracy' },
  realized_accuracy: { ...ACCURACY, displayNameFromDS: 'Realized accuracy' },
  reference_accuracy: { ...ACCURACY, displayNameFromDS: 'Reference accuracy' },
  accuracy_drop: { displayNameFromDS: 'Accuracy drop', unit: 'percentunit', decimals: 1 },
  // Grafana's 'd' unit turns 7 days and more into weeks (toDays in @grafana/data's
  // valueFormats/dateTimeFormatters.ts); drift-server's reasons speak of days, so the panel does too.
  payback_days: { displayNameFromDS: 'Payback', unit: 'suffix:days', decimals: 1 },
};

/** Display name with a prefix, e.g. "income PSI"; config stays otherwise identical. */
export function metricConfigFor(metric: string, prefix?: string): FieldConfig {
  const config = METRIC_CONFIG[metric] ?? { displayNameFromDS: metric };
  return prefix ? { ...config, displayNameFromDS: `${prefix} ${config.displayNameFromDS}` } : config;
}
