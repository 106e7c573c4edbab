import { Command, Option } from 'commander';
import {
  CategoricalSample,
  compareFeature,
  DEFAULT_BUCKETS,
  DEFAULT_THRESHOLDS,
  FeatureComparison,
  FeatureKind,
  NumericSample,
  Severity,
  StatsInputError,
} from '../stats';
import { CliError } from './errors';
import { wholeNumber } from './options';
import { CliIo } from './io';
import { CsvColumns, parseNumericCell, readCsvColumns } from './csv-columns';
import { formatComparisonTable } from './comparison-table';

interface CompareFlags {
  reference: string;
  production: string;
  buckets: number;
  categorical: string[];
  format: 'json' | 'table';
  minRows: number;
  failOn?: Severity;
}

const SEVERITY_RANK: Record<Severity, number> = { insufficient_data: 0, ok: 0, warning: 1, critical: 2 };

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

function numericCells(cells: (string | null)[]): (number | null)[] | undefined {
  const numbers: (number | null)[] = [];
  for (const cell of cells) {
    const number = parseNumericCell(cell);
    if (number === undefined) return undefined;
    numbers.push(number);
  }
  return numbers;
}

/** Numeric when every present cell on both sides is a number, unless named categorical. */
function typedColumn(reference: (string | null)[], production: (string | null)[], categorical: boolean): TypedColumn {
  if (!categorical) {
    const referenceNumbers = numericCells(reference);
    const productionNumbers = referenceNumbers && numericCells(production);
    if (referenceNumbers && productionNumbers) return { kind: 'numeric', reference: referenceNumbers, production: productionNumbers };
  }
  return { kind: 'categorical', reference, production };
}

function sharedColumns(reference: CsvColumns, production: CsvColumns, warn: (line: string) => void): string[] {
  const shared = [...reference.keys()].filter((name) => production.has(name));
  for (const name of reference.keys()) if (!production.has(name)) warn(`column "${name}" is only in the reference file: skipped`);
  for (const name of production.keys()) if (!reference.has(name)) warn(`column "${name}" is only in the production file: skipped`);
  if (shared.length === 0) throw new CliError('the two files share no column: nothing to compare');
  return shared;
}

export async function compareCsvFiles(
  flags: Omit<CompareFlags, 'format' | 'failOn'>,
  warn: (line: string) => void,
): Promise<Record<string, FeatureComparison>> {
  const [reference, production] = await Promise.all([readCsvColumns(flags.reference), readCsvColumns(flags.production)]);
  for (const name of flags.categorical) {
    if (!reference.has(name) && !production.has(name)) throw new CliError(`--categorical names column "${name}", which neither file has`);
  }
  const features: Record<string, FeatureComparison> = {};
  for (const name of sharedColumns(reference, production, warn)) {
    const column = typedColumn(reference.get(name)!, production.get(name)!, flags.categorical.includes(name));
    try {
      features[name] = compareFeature(column.kind, column.reference, column.production, {
        buckets: flags.buckets,
        thresholds: { ...DEFAULT_THRESHOLDS, minRows: flags.minRows },
      });
    } catch (error) {
      if (error instanceof StatsInputError) throw new CliError(`column "${name}": ${error.message}`);
      throw error;
    }
  }
  return features;
}

export function compareCommand(io: CliIo): Command {
  return new Command('compare')
    .description(
      'Compare a reference CSV with a production CSV column by column: PSI, KL, Jensen–Shannon, ' +
        'Kolmogorov–Smirnov (numeric) or chi-square (categorical), descriptive statistics and severity.',
    )
    .requiredOption('--reference <file>', 'reference (training) CSV with a header row')
    .requiredOption('--production <file>', 'production CSV with the same columns')
    .option('--buckets <n>', 'quantile bins for numeric columns', wholeNumber(2, 1000), DEFAULT_BUCKETS)
    .option('--categorical <columns>', 'comma-separated columns to treat as categorical', columnList, [])
    .option('--min-rows <n>', 'fewer non-missing rows than this on a side report insufficient_data', wholeNumber(1, 1e9), DEFAULT_THRESHOLDS.minRows)
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'table']).default('table'))
    .addOption(new Option('--fail-on <severity>', 'exit with code 1 when any column reaches this severity').choices(['warning', 'critical']))
    .action(async (flags: CompareFlags) => {
      const features = await compareCsvFiles(flags, (line) => io.err(`warning: ${line}\n`));
      io.out(flags.format === 'json' ? `${JSON.stringify({ features }, null, 2)}\n` : formatComparisonTable(features));
      if (flags.failOn) {
        const threshold = SEVERITY_RANK[flags.failOn];
        if (Object.values(features).some((feature) => SEVERITY_RANK[feature.severity] >= threshold)) io.setExitCode(1);
      }
    });
}
