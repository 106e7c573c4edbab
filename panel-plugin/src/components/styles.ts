import { GrafanaTheme2 } from '@grafana/data';
import { Severity } from '../data/frames';

export const SEVERITY_LABEL: Record<Severity, string> = {
  critical: 'Critical',
  warning: 'Warning',
  ok: 'OK',
  insufficient_data: 'Insufficient data',
};

export function severityColor(theme: GrafanaTheme2, severity: Severity): string {
  switch (severity) {
    case 'critical':
      return theme.colors.error.text;
    case 'warning':
      return theme.colors.warning.text;
    case 'ok':
      return theme.colors.success.text;
    default:
      return theme.colors.text.secondary;
  }
}

/** The severity the panel's own PSI marks give a value (cards and sparklines), beside drift-server's verdict. */
export function psiBand(psi: number | null, warning: number, critical: number): Severity {
  if (psi === null) {
    return 'insufficient_data';
  }
  return psi >= critical ? 'critical' : psi >= warning ? 'warning' : 'ok';
}

/** Reference and production in every chart: two colours of the theme's visualization palette. */
export function sideColors(theme: GrafanaTheme2) {
  return {
    reference: theme.visualization.getColorByName('blue'),
    production: theme.visualization.getColorByName('orange'),
  };
}
