import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { Severity, SEVERITY_PALETTE } from 'driftguard-api-contract';

/** The panel's compact tables (features, retrain jobs): Grafana's small type, weak row rules. */
export function compactTable(theme: GrafanaTheme2): string {
  return css({
    width: '100%',
    borderCollapse: 'collapse',
    fontSize: theme.typography.bodySmall.fontSize,
    'th, td': {
      padding: theme.spacing(0.5, 1),
      borderBottom: `1px solid ${theme.colors.border.weak}`,
      textAlign: 'left',
      verticalAlign: 'middle',
    },
    'thead th': { color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightMedium },
  });
}

/** Text for screen readers only (column headers of action columns). */
export const visuallyHidden = css({ position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)' });

/**
 * The contract's severity palette resolved for this theme, the way Grafana resolves the data
 * source's Severity value mappings (getColorByName in @grafana/data's
 * themes/createVisualizationColors.ts), so a table cell and the panel's badge show one colour.
 */
export function severityColor(theme: GrafanaTheme2, severity: Severity): string {
  return theme.visualization.getColorByName(SEVERITY_PALETTE[severity].color);
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
