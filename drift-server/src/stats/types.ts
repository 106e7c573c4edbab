export type FeatureKind = 'numeric' | 'categorical';

/** A numeric sample; `null` and `NaN` are missing values. A Float64Array (NaN = missing) saves a copy. */
export type NumericSample = ReadonlyArray<number | null> | Float64Array;

/** A categorical sample; `null` is a missing value. */
export type CategoricalSample = ReadonlyArray<string | null>;

/** Raised for input the statistics cannot be computed on (empty reference, ±Infinity, …). */
export class StatsInputError extends Error {
  override readonly name = 'StatsInputError';
}
