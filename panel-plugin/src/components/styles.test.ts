import { createTheme, ValueMapping } from '@grafana/data';
import { SEVERITIES, SEVERITY_PALETTE, Severity } from 'driftguard-api-contract';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PDF_SEVERITY_COLOURS } from '../../../drift-server/src/reports/severity-colours';
import { severityColor } from './styles';

/** The Severity column's value mapping as the data source builds it (its feature-table golden frame). */
function dataSourceSeverityMapping(): Extract<ValueMapping, { options: Record<string, unknown> }> {
  const file = path.resolve(__dirname, '../../../datasource-plugin/goldens/feature-table.json');
  const [frame] = JSON.parse(readFileSync(file, 'utf8'));
  return frame.fields.find((field: { name: string }) => field.name === 'severity').config.mappings[0];
}

describe('severity colours', () => {
  it.each(['dark', 'light'] as const)(
    "are, in the %s theme, the colours Grafana gives the data source's Severity cells",
    (mode) => {
      const theme = createTheme({ colors: { mode } });
      const { options } = dataSourceSeverityMapping();
      for (const severity of SEVERITIES) {
        const cell = (options[severity] as { color: string }).color;
        expect([severity, severityColor(theme, severity)]).toEqual([
          severity,
          theme.visualization.getColorByName(cell),
        ]);
      }
    }
  );

  it('give every severity its own colour, insufficient data a grey that is no verdict hue', () => {
    const theme = createTheme();
    const colors = SEVERITIES.map((severity: Severity) => severityColor(theme, severity));
    expect(new Set(colors).size).toBe(SEVERITIES.length);
    expect(severityColor(theme, 'insufficient_data')).toBe('#9e9e9e');
  });

  it("are, on drift-server's PDF report, the fills Grafana's light theme gives the palette", () => {
    const theme = createTheme({ colors: { mode: 'light' } });
    for (const severity of SEVERITIES)
      expect([severity, PDF_SEVERITY_COLOURS[severity].fill]).toEqual([
        severity,
        theme.visualization.getColorByName(SEVERITY_PALETTE[severity].color).toLowerCase(),
      ]);
  });
});
