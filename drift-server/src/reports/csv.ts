import type { DescriptiveStats } from '../stats';
import type { ReportContent, ReportFeature, ReportTrendDay } from './content';

type Cell = string | number | boolean | null;

interface Column<Row> {
  readonly header: string;
  readonly value: (row: Row) => Cell;
}

export const CSV_TABLES = ['features', 'trends'] as const;
export type CsvTable = (typeof CSV_TABLES)[number];

/**
 * Text a spreadsheet would run as a formula starts with = + - @ (or a tab or CR that some strip
 * first). Such text, and text already starting with a single quote, gets one leading single quote:
 * the cell then shows as text, and dropping one leading quote from any text cell gives the original.
 */
const NEEDS_QUOTE_PREFIX = /^[=+\-@\t\r']/;

/** A text value made safe for spreadsheets (see NEEDS_QUOTE_PREFIX); numbers are never changed. */
export function neutraliseText(text: string): string {
  return NEEDS_QUOTE_PREFIX.test(text) ? `'${text}` : text;
}

/** The original text of a text cell written by neutraliseText. */
export function originalText(cell: string): string {
  return cell.startsWith("'") ? cell.slice(1) : cell;
}

/** One RFC 4180 field: empty for null, numbers in full precision, text neutralised then quoted when needed. */
function field(value: Cell): string {
  if (value === null) return '';
  const text = typeof value === 'string' ? neutraliseText(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function table<Row>(columns: readonly Column<Row>[], rows: readonly Row[]): string {
  const lines = [
    columns.map((column) => field(column.header)),
    ...rows.map((row) => columns.map((column) => field(column.value(row)))),
  ];
  return lines.map((cells) => `${cells.join(',')}\r\n`).join('');
}

const STAT_NAMES: readonly (keyof DescriptiveStats)[] = [
  'count',
  'missing',
  'mean',
  'std',
  'min',
  'q05',
  'q25',
  'q50',
  'q75',
  'q95',
  'max',
];

const statColumns = (side: 'reference' | 'production'): Column<ReportFeature>[] =>
  STAT_NAMES.map((stat) => ({ header: `${side}_${stat}`, value: (feature) => feature.stats[side]?.[stat] ?? null }));

const FEATURE_FIELDS = [
  'feature',
  'kind',
  'importance',
  'severity',
  'psi',
  'kl',
  'js',
  'psi_critical',
  'reference_rows',
  'production_rows',
  'reference_missing_share',
  'production_missing_share',
  'ks_statistic',
  'ks_pvalue',
  'ks_method',
  'chi2_statistic',
  'chi2_pvalue',
  'chi2_dof',
] as const satisfies readonly (keyof ReportFeature)[];

const FEATURE_COLUMNS: readonly Column<ReportFeature>[] = [
  ...FEATURE_FIELDS.map((name) => ({ header: name, value: (feature: ReportFeature) => feature[name] })),
  ...statColumns('reference'),
  ...statColumns('production'),
];

const DAY_FIELDS = [
  'time',
  'predictions',
  'health',
  'drifted_features',
  'estimated_accuracy',
  'realized_accuracy',
  'labelled_rows',
] as const satisfies readonly (keyof ReportTrendDay)[];

/** One row per feature (highest PSI first): drift metrics, severity, tests and descriptive statistics of both sides. */
export function featuresCsv(content: ReportContent): string {
  return table(FEATURE_COLUMNS, content.features);
}

/** One row per UTC day: volume, health, accuracy, drifted features, then each feature's PSI in a `psi:<feature>` column. */
export function trendsCsv(content: ReportContent): string {
  const columns: Column<ReportTrendDay>[] = [
    ...DAY_FIELDS.map((name) => ({ header: name, value: (day: ReportTrendDay) => day[name] })),
    ...content.trend.features.map((feature, index) => ({
      header: `psi:${feature}`,
      value: (day: ReportTrendDay) => day.psi[index],
    })),
  ];
  return table(columns, content.trend.days);
}

export function reportCsv(content: ReportContent, which: CsvTable): string {
  return which === 'features' ? featuresCsv(content) : trendsCsv(content);
}
