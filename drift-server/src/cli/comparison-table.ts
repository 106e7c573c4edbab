import type { Severity } from '../stats';
import type { ComparedColumn, CsvComparison } from './comparison';

interface SideRows {
  present: number;
  missing: number;
}

function rowsOf(feature: ComparedColumn, side: 'reference' | 'production'): SideRows {
  if (feature.kind === 'numeric') {
    const stats = side === 'reference' ? feature.reference_stats : feature.production_stats;
    return { present: stats.count, missing: stats.missing };
  }
  const counts = side === 'reference' ? feature.reference_counts : feature.production_counts;
  const all = counts.reduce((sum, count) => sum + count, 0);
  const missing = feature.categories[0] === null ? counts[0] : 0;
  return { present: all - missing, missing };
}

function fixed(value: number | null): string {
  return value === null ? '–' : value.toFixed(4);
}

function pValue(value: number | null): string {
  if (value === null) return '–';
  return value !== 0 && value < 1e-3 ? value.toExponential(1) : value.toFixed(3);
}

function missingShare({ present, missing }: SideRows): string {
  const rows = present + missing;
  return rows === 0 ? '–' : `${((100 * missing) / rows).toFixed(1)}%`;
}

const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, warning: 1, ok: 2, insufficient_data: 3 };

const HEADER = [
  'feature',
  'kind',
  'severity',
  'findings',
  'PSI',
  'PSI corr',
  'noise',
  'q',
  'KS D',
  'KS/χ² p',
  'ref rows',
  'prod rows',
  'missing ref→prod',
];

/**
 * An aligned plain-text table, most severe verdict first (then highest PSI), followed by a line
 * for every column only one file has.
 */
export function formatComparisonTable(comparison: CsvComparison): string {
  const rows = Object.entries(comparison.features)
    .sort(([, a], [, b]) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || b.psi - a.psi)
    .map(([name, feature]) => {
      const reference = rowsOf(feature, 'reference');
      const production = rowsOf(feature, 'production');
      const numeric = feature.kind === 'numeric';
      return [
        name,
        feature.kind,
        feature.severity,
        feature.findings.map((finding) => finding.name).join(',') || '–',
        fixed(feature.psi),
        fixed(feature.psi_corrected),
        fixed(feature.psi_noise),
        pValue(feature.shift_q_value),
        numeric ? fixed(feature.ks_statistic) : '–',
        pValue(numeric ? feature.ks_pvalue : feature.chi2_pvalue),
        String(reference.present),
        String(production.present),
        `${missingShare(reference)} → ${missingShare(production)}`,
      ];
    });
  const table = [HEADER, ...rows];
  const widths = HEADER.map((_, column) => Math.max(...table.map((row) => [...row[column]].length)));
  const leftAligned = new Set([0, 1, 2, 3]);
  const line = (row: string[]) =>
    row
      .map((cell, column) => (leftAligned.has(column) ? cell.padEnd(widths[column]) : cell.padStart(widths[column])))
      .join('  ')
      .trimEnd();
  const columnFindings = comparison.findings.map(
    (finding) =>
      `${finding.severity}: column "${finding.column}" is only in the ${finding.name === 'column_only_in_reference' ? 'reference' : 'production'} file`
  );
  return `${[line(HEADER), widths.map((width) => '─'.repeat(width)).join('  '), ...rows.map(line), ...columnFindings].join('\n')}\n`;
}
