import type { FeatureKind } from '../stats';

/**
 * The key the model's output is stored under in reference_bins, agg_numeric and agg_categorical
 * (their `feature` column). Feature names are printable text (the API refuses control characters and
 * checkDefinition refuses this exact name), so this key, led by U+0001, never collides with one.
 */
export const MODEL_OUTPUT_KEY = '\u0001model_output';

/** The column of the row tables the output is read from. */
export type ModelOutputColumn = 'probability' | 'prediction';

/**
 * The model's output as a monitored signal, counted like a feature: the predicted probability
 * (numeric, over cut points frozen from the reference) when the model maps one; otherwise a
 * regression's prediction as a number, or a classifier's predicted class (categorical class mix).
 */
export interface ModelOutput {
  readonly column: ModelOutputColumn;
  /** The output as a feature definition under MODEL_OUTPUT_KEY; importance 0, it is no input. */
  readonly definition: { readonly name: string; readonly kind: FeatureKind; readonly importance: number };
  /** SQL of its value in a row table or staging table (columns `probability`, `prediction`). */
  readonly valueSql: string;
}

/** What of a model definition (models.ts, which checks feature names against MODEL_OUTPUT_KEY) decides its output. */
interface OutputColumns {
  readonly task: string;
  readonly columns: { readonly prediction: string | null; readonly probability: string | null };
}

/** The model's output signal; null when it maps neither a probability nor a prediction column. */
export function modelOutput({ task, columns }: OutputColumns): ModelOutput | null {
  if (columns.probability !== null) return output('probability', 'numeric', 'probability');
  if (columns.prediction === null) return null;
  // Stored predictions are text; a regression's are numbers, and one category per value would compare nothing.
  return task === 'regression'
    ? output('prediction', 'numeric', 'TRY_CAST(prediction AS DOUBLE)')
    : output('prediction', 'categorical', 'prediction');
}

function output(column: ModelOutputColumn, kind: FeatureKind, valueSql: string): ModelOutput {
  return { column, definition: { name: MODEL_OUTPUT_KEY, kind, importance: 0 }, valueSql };
}
