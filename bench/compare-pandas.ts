/**
 * The pandas + numpy + scipy side of bench/compare.bench.ts (compare_pandas.py) and how its figures
 * are held against `drift-server compare --format json`'s: bin counts, cut points and categories
 * exactly, every other figure by its largest relative difference.
 */
import { join } from 'node:path';

/** Debian's python, which has numpy, scipy and pandas (`.ci/run` installs them); the python first on PATH may not. */
export const PYTHON = '/usr/bin/python3';
export const PANDAS_SCRIPT = join(__dirname, 'compare_pandas.py');

type Figures = Record<string, unknown>;
interface Output {
  features: Record<string, Figures>;
}

const EXACT = ['kind', 'reference_counts', 'production_counts', 'cuts', 'categories', 'chi2_dof'];
const NUMBERS = ['psi', 'kl', 'js', 'psi_critical', 'ks_statistic', 'ks_pvalue', 'chi2_statistic', 'chi2_pvalue'];
const STATS = ['count', 'missing', 'mean', 'std', 'min', 'q05', 'q25', 'q50', 'q75', 'q95', 'max'];

export interface Agreement {
  /** Fields that must be equal and are not, as `column.field`. */
  readonly mismatches: string[];
  /** The largest relative difference of each figure over all columns. */
  readonly relative: Record<string, number>;
}

const relativeDifference = (a: number, b: number) =>
  a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));

export function agreement(cli: Output, pandas: Output): Agreement {
  const mismatches: string[] = [];
  const relative: Record<string, number> = {};
  const note = (column: string, figure: string, a: unknown, b: unknown) => {
    if (typeof a !== 'number' || typeof b !== 'number') mismatches.push(`${column}.${figure}`);
    else relative[figure] = Math.max(relative[figure] ?? 0, relativeDifference(a, b));
  };
  const columns = new Set([...Object.keys(cli.features), ...Object.keys(pandas.features)]);
  for (const column of columns) {
    const [ours, theirs] = [cli.features[column], pandas.features[column]];
    if (!ours || !theirs) {
      mismatches.push(column);
      continue;
    }
    for (const field of EXACT)
      if (field in theirs && JSON.stringify(ours[field]) !== JSON.stringify(theirs[field]))
        mismatches.push(`${column}.${field}`);
    for (const field of NUMBERS) if (field in theirs) note(column, field, ours[field], theirs[field]);
    for (const side of ['reference_stats', 'production_stats']) {
      if (!(side in theirs)) continue;
      for (const field of STATS)
        note(column, `${side}.${field}`, (ours[side] as Figures)[field], (theirs[side] as Figures)[field]);
    }
  }
  return { mismatches, relative };
}
