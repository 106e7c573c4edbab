/**
 * The PDF report's severity badges: the contract's one severity palette (api-contract/src/severity.ts)
 * as Grafana's light theme resolves its named colours (red, orange, green; packages/grafana-data/src/
 * themes/createVisualizationColors.ts), since the report is printed on white. The text colour is the
 * one of black-ish or white that reads on the fill. panel-plugin's styles test resolves the palette
 * with Grafana's own createTheme and holds these to it.
 */
export const PDF_SEVERITY_COLOURS = {
  ok: { fill: '#56a64b', text: '#111111' },
  warning: { fill: '#ff780a', text: '#111111' },
  critical: { fill: '#e02f44', text: '#ffffff' },
  insufficient_data: { fill: '#9e9e9e', text: '#111111' },
} as const;
