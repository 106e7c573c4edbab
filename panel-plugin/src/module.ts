import { PanelPlugin, SelectableValue } from '@grafana/data';
import { DriftPanel } from './components/DriftPanel';
import { DEFAULT_OPTIONS, DriftMetric, DriftPanelOptions } from './types';

const METRIC_CHOICES: Array<SelectableValue<DriftMetric>> = [
  { value: 'psi', label: 'PSI' },
  { value: 'ks', label: 'KS / chi-square' },
  { value: 'kl', label: 'KL divergence' },
  { value: 'js', label: 'JS distance' },
];

export const plugin = new PanelPlugin<DriftPanelOptions>(DriftPanel).setPanelOptions((builder) =>
  builder
    .addRadio({
      path: 'viewMode',
      name: 'View',
      description: 'Which parts of the panel to show',
      defaultValue: DEFAULT_OPTIONS.viewMode,
      settings: {
        options: [
          { value: 'all', label: 'All' },
          { value: 'diagnostics', label: 'Diagnostics' },
          { value: 'deepDive', label: 'Deep dive' },
          { value: 'advisor', label: 'Retrain advisor' },
        ],
      },
    })
    .addMultiSelect({
      path: 'metrics',
      name: 'Drift measures',
      description: 'Shown in the table and the deep dive; PSI always orders the features',
      defaultValue: DEFAULT_OPTIONS.metrics,
      // Grafana types a multi-select's choices with the option's whole value type (an array).
      settings: { options: METRIC_CHOICES as unknown as Array<SelectableValue<DriftMetric[]>> },
    })
    .addNumberInput({
      path: 'psiWarning',
      name: 'PSI warning mark',
      description: 'Drawn on the sparklines and the PSI card; severity itself comes from drift-server',
      defaultValue: DEFAULT_OPTIONS.psiWarning,
      settings: { min: 0, step: 0.01 },
    })
    .addNumberInput({
      path: 'psiCritical',
      name: 'PSI critical mark',
      defaultValue: DEFAULT_OPTIONS.psiCritical,
      settings: { min: 0, step: 0.01 },
    })
    .addTextInput({
      path: 'featureVariable',
      name: 'Feature variable',
      description: 'Dashboard variable that Analyze sets (name without $); the Feature detail query should use it',
      defaultValue: DEFAULT_OPTIONS.featureVariable,
    })
);
