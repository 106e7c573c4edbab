import type { Severity } from './types';

export interface SeverityStyle {
  label: string;
  /**
   * A Grafana colour: a named one of the theme's visualization palette (red, orange, green) resolves
   * per theme, in a field's value mapping and in `theme.visualization.getColorByName` alike; a hex is
   * used as it is.
   */
  color: string;
  /** Most severe first. */
  rank: number;
}

/**
 * One palette for every place a severity is shown: the data source's Severity column, the panel's
 * badges, sparkline marks and cards, and the provisioned dashboards' PSI thresholds (warning and
 * critical). Insufficient data is a neutral grey on both themes, never a hue that reads as a verdict;
 * it is the grey of drift-server's PDF report, whose badges take the light theme's resolution of
 * this palette (drift-server/src/reports/severity-colours.ts).
 */
export const SEVERITY_PALETTE: Readonly<Record<Severity, SeverityStyle>> = {
  critical: { label: 'Critical', color: 'red', rank: 0 },
  warning: { label: 'Warning', color: 'orange', rank: 1 },
  ok: { label: 'OK', color: 'green', rank: 2 },
  insufficient_data: { label: 'Insufficient data', color: '#9e9e9e', rank: 3 },
};

export const SEVERITIES = Object.keys(SEVERITY_PALETTE) as readonly Severity[];

/** Warning and critical: drift-server found the shift both large and beyond the window's sampling noise. */
export function isDriftSeverity(severity: Severity): boolean {
  return severity === 'warning' || severity === 'critical';
}
