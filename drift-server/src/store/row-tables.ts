import type { FeatureKind } from '../stats';
import type { Connection } from './database';
import { quoteIdentifier } from './sql';

/**
 * Raw rows live in two tables per model, one typed column per feature, so a deep dive or an exact
 * KS reads (and DuckDB compresses) one feature's column on its own:
 *
 *   production_rows_<key> (batch_id, prediction_id, ts_ms, prediction, probability, label, f0, f1, …)
 *   reference_rows_<key>  (version, prediction, probability, label, f0, f1, …)
 *
 * Feature i is column `f<i>`, DOUBLE for a numeric feature and VARCHAR for a categorical one: by
 * position, never by name, because DuckDB matches identifiers without regard to case and feature
 * names are any text. Positions are stable: a model's feature names, kinds and order are fixed once
 * it is registered (models.ts), so the tables never need altering; only importance may change.
 */

/** The column name of feature `index`, in the row tables and in the staging table alike. */
export function featureColumnName(index: number): string {
  return `f${index}`;
}

/** The column of feature `index`, quoted for SQL. */
export function featureColumn(index: number): string {
  return quoteIdentifier(featureColumnName(index));
}

/**
 * A model id as a table-name suffix: lower-case letters and digits kept, `_` doubled, any other
 * character `_<hex code point>_`. One-to-one, and distinct under DuckDB's case-insensitive names
 * (`A` and `a` are different ids). Ids the API accepts (^[a-z0-9][a-z0-9_-]*$) stay readable.
 */
export function tableKey(modelId: string): string {
  let key = '';
  for (const character of modelId) {
    if (/[a-z0-9]/.test(character)) key += character;
    else if (character === '_') key += '__';
    else key += `_${(character.codePointAt(0) as number).toString(16)}_`;
  }
  return key;
}

/** The model's production rows table, quoted for SQL. */
export function productionRows(modelId: string): string {
  return quoteIdentifier(`production_rows_${tableKey(modelId)}`);
}

/** The model's reference rows table, quoted for SQL. */
export function referenceRows(modelId: string): string {
  return quoteIdentifier(`reference_rows_${tableKey(modelId)}`);
}

/** The SQL type of a feature's column. */
export function featureType(kind: FeatureKind): 'DOUBLE' | 'VARCHAR' {
  return kind === 'numeric' ? 'DOUBLE' : 'VARCHAR';
}

/** `f0 DOUBLE, f1 VARCHAR, …` for a table definition, led by a comma when there are features. */
function featureColumnDefinitions(features: readonly { readonly kind: FeatureKind }[]): string {
  return features.map((feature, index) => `, ${featureColumn(index)} ${featureType(feature.kind)}`).join('');
}

/** Creates a new model's two row tables, in the transaction that registers it. */
export async function createRowTables(
  connection: Connection,
  modelId: string,
  features: readonly { readonly kind: FeatureKind }[]
): Promise<void> {
  const columns = featureColumnDefinitions(features);
  await connection.run(
    `CREATE TABLE ${productionRows(modelId)} (batch_id VARCHAR NOT NULL, prediction_id VARCHAR NOT NULL, ts_ms BIGINT NOT NULL,
       prediction VARCHAR, probability DOUBLE, label VARCHAR${columns})`
  );
  await connection.run(
    `CREATE TABLE ${referenceRows(modelId)} (version INTEGER NOT NULL, prediction VARCHAR, probability DOUBLE, label VARCHAR${columns})`
  );
}

/** Drops a model's row tables, in the transaction that deletes it. */
export async function dropRowTables(connection: Connection, modelId: string): Promise<void> {
  await connection.run(`DROP TABLE IF EXISTS ${productionRows(modelId)}`);
  await connection.run(`DROP TABLE IF EXISTS ${referenceRows(modelId)}`);
}

/** `f0, f1, …` of every feature, led by a comma when there are features, for column lists. */
export function featureColumnList(features: readonly unknown[]): string {
  return features.map((_, index) => `, ${featureColumn(index)}`).join('');
}
