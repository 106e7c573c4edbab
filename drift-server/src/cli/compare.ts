import { Command, Option } from 'commander';
import {
  comparisonCounts,
  compareFeature,
  decideWindow,
  DEFAULT_BUCKETS,
  DEFAULT_THRESHOLDS,
  FeatureKind,
  featureTests,
  NumericSample,
  CategoricalSample,
  Severity,
  SeverityThresholds,
  StatsInputError,
} from '../stats';
import { inferColumn } from '../value-types';
import type { ColumnFinding, ComparedColumn, CsvComparison } from './comparison';
import { formatComparisonTable } from './comparison-table';
import { readCsvTable } from './csv-columns';
import type { CsvColumn, CsvTable } from './csv-table';
import { CliError } from './errors';
import { CliIo } from './io';
import { wholeNumber } from './options';

/** Columns a model writes beside its features (the server's default column names): never compared unless listed in --columns. */
export const DEFAULT_MODEL_COLUMNS = ['prediction_id', 'timestamp', 'prediction', 'probability', 'label'];

interface CompareFlags {
  reference: string;
  production: string;
  buckets: number;
  categorical: string[];
  columns?: string[];
  exclude: string[];
  modelColumns: string[];
  format: 'json' | 'table';
  minRows: number;
  failOn?: Exclude<Severity, 'ok' | 'insufficient_data'>;
  allowMissingColumns: boolean;
}

function columnList(value: string): string[] {
  return value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

interface TypedColumn {
  kind: FeatureKind;
  reference: NumericSample | CategoricalSample;
  production: NumericSample | CategoricalSample;
}

/** The ingestion's type rules (value-types.ts): numeric when every present cell on both sides is a number, unless named categorical. */
function typedColumn(name: string, reference: CsvTable, production: CsvTable, categorical: boolean): TypedColumn {
  const sides = [reference.columns.get(name) as CsvColumn, production.columns.get(name) as CsvColumn];
  const inferred = categorical ? ({ kind: 'categorical' } as const) : inferColumn(sides);
  if (inferred.kind === 'categorical')
    return { kind: 'categorical', reference: sides[0].texts(), production: sides[1].texts() };
  if (inferred.kind === 'bad') {
    const table = inferred.side === 0 ? reference : production;
    const text = sides[inferred.side].text(inferred.index);
    throw new CliError(
      `${table.file}, line ${table.lines[inferred.index]}, column "${name}": ${JSON.stringify(text)} is not a finite number`
    );
  }
  return { kind: 'numeric', reference: inferred.values[0], production: inferred.values[1] };
}

function requireKnown(option: string, names: readonly string[], reference: CsvTable, production: CsvTable): void {
  for (const name of names) {
    if (!reference.columns.has(name) && !production.columns.has(name))
      throw new CliError(`${option} names column "${name}", which neither file has`);
  }
}

/** The columns to compare: --columns, else every column but the model's own; minus --exclude; in file order. */
function selectColumns(
  flags: Pick<CompareFlags, 'columns' | 'exclude' | 'categorical' | 'modelColumns'>,
  reference: CsvTable,
  production: CsvTable
): { selected: string[]; notCompared: string[] } {
  const all = [...new Set([...reference.columns.keys(), ...production.columns.keys()])];
  requireKnown('--columns', flags.columns ?? [], reference, production);
  requireKnown('--exclude', flags.exclude, reference, production);
  requireKnown('--categorical', flags.categorical, reference, production);
  const wanted = flags.columns
    ? new Set(flags.columns)
    : new Set(all.filter((name) => !flags.modelColumns.includes(name)));
  for (const name of flags.exclude) wanted.delete(name);
  return { selected: all.filter((name) => wanted.has(name)), notCompared: all.filter((name) => !wanted.has(name)) };
}

export async function compareCsvFiles(
  flags: Omit<CompareFlags, 'format' | 'failOn' | 'allowMissingColumns'>
): Promise<CsvComparison> {
  const [reference, production] = await Promise.all([readCsvTable(flags.reference), readCsvTable(flags.production)]);
  const { selected, notCompared } = selectColumns(flags, reference, production);
  const shared = selected.filter((name) => reference.columns.has(name) && production.columns.has(name));
  const onlyInReference = selected.filter((name) => !production.columns.has(name));
  const onlyInProduction = selected.filter((name) => !reference.columns.has(name));
  if (shared.length === 0 && onlyInReference.length + onlyInProduction.length === 0)
    throw new CliError('no column left to compare');
  const thresholds: SeverityThresholds = { ...DEFAULT_THRESHOLDS, minRows: flags.minRows };
  const comparisons = shared.map((name) => {
    const column = typedColumn(name, reference, production, flags.categorical.includes(name));
    try {
      return compareFeature(column.kind, column.reference, column.production, { buckets: flags.buckets });
    } catch (error) {
      if (error instanceof StatsInputError) throw new CliError(`column "${name}": ${error.message}`);
      throw error;
    }
  });
  // The columns of one comparison are one family for the false-discovery control, as a model's features in a window are.
  const verdicts = decideWindow(
    comparisons.map((comparison) => featureTests(comparisonCounts(comparison), thresholds)),
    thresholds
  );
  const features: Record<string, ComparedColumn> = {};
  shared.forEach((name, index) => {
    const { counts, ...figures } = comparisons[index];
    void counts;
    features[name] = { ...figures, ...verdicts[index] } as ComparedColumn;
  });
  return {
    features,
    columns: {
      compared: shared,
      only_in_reference: onlyInReference,
      only_in_production: onlyInProduction,
      not_compared: notCompared,
    },
    findings: [
      ...onlyInReference.map((column): ColumnFinding => ({
        column,
        name: 'column_only_in_reference',
        severity: 'critical',
      })),
      ...onlyInProduction.map((column): ColumnFinding => ({
        column,
        name: 'column_only_in_production',
        severity: 'critical',
      })),
    ],
  };
}

/** Whether the comparison reaches --fail-on: a column at or above it, or a column one file lacks (unless allowed). */
export function failsGate(
  comparison: CsvComparison,
  failOn: CompareFlags['failOn'],
  allowMissingColumns: boolean
): boolean {
  if (failOn === undefined) return false;
  const reached = (severity: Severity) => severity === 'critical' || (failOn === 'warning' && severity === 'warning');
  return (
    Object.values(comparison.features).some((feature) => reached(feature.severity)) ||
    (!allowMissingColumns && comparison.findings.length > 0)
  );
}

export function compareCommand(io: CliIo): Command {
  return new Command('compare')
    .description(
      'Compare a reference CSV with a production CSV column by column: PSI, KL, Jensen–Shannon, ' +
        'Kolmogorov–Smirnov (numeric) or chi-square (categorical), descriptive statistics, and the same ' +
        'noise-calibrated verdicts and data-quality findings as the server (docs/STATISTICS.md).'
    )
    .requiredOption('--reference <file>', 'reference (training) CSV with a header row')
    .requiredOption('--production <file>', 'production CSV with the same columns')
    .option('--buckets <n>', 'quantile bins for numeric columns', wholeNumber(2, 1000), DEFAULT_BUCKETS)
    .option('--categorical <columns>', 'comma-separated columns to treat as categorical', columnList, [])
    .option(
      '--columns <columns>',
      'compare only these comma-separated columns (model columns included when named)',
      columnList
    )
    .option('--exclude <columns>', 'comma-separated columns not to compare', columnList, [])
    .option(
      '--model-columns <columns>',
      `the model's own columns (ids, timestamps, predictions, probabilities, labels), not compared unless named in --columns`,
      columnList,
      DEFAULT_MODEL_COLUMNS
    )
    .option(
      '--min-rows <n>',
      'fewer rows than this on a side report insufficient_data',
      wholeNumber(1, 1e9),
      DEFAULT_THRESHOLDS.minRows
    )
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'table']).default('table'))
    .addOption(
      new Option(
        '--fail-on <severity>',
        'exit with code 1 when any column reaches this severity, or a compared column is missing from a file'
      ).choices(['warning', 'critical'])
    )
    .option('--allow-missing-columns', 'a column only one file has is reported but does not fail --fail-on', false)
    .action(async (flags: CompareFlags) => {
      const comparison = await compareCsvFiles(flags);
      io.out(flags.format === 'json' ? `${JSON.stringify(comparison, null, 2)}\n` : formatComparisonTable(comparison));
      if (failsGate(comparison, flags.failOn, flags.allowMissingColumns)) io.setExitCode(1);
    });
}
