import type { CategoricalComparison, FeatureVerdict, NumericComparison } from '../stats';

/** A column that one file lacks: the comparison is incomplete, which a drift gate must not pass silently. */
export interface ColumnFinding {
  readonly column: string;
  readonly name: 'column_only_in_reference' | 'column_only_in_production';
  readonly severity: 'critical';
}

/** A compared column: its figures (without the raw count vectors the verdict was decided from) and its verdict. */
export type ComparedColumn = (Omit<NumericComparison, 'counts'> | Omit<CategoricalComparison, 'counts'>) &
  FeatureVerdict;

export interface CsvComparison {
  readonly features: Record<string, ComparedColumn>;
  readonly columns: {
    readonly compared: string[];
    readonly only_in_reference: string[];
    readonly only_in_production: string[];
    /** Present in the files but not compared: the model's own columns and --exclude. */
    readonly not_compared: string[];
  };
  readonly findings: ColumnFinding[];
}
