import type { Connection } from '../database';
import { quoteIdentifier } from '../sql';

/**
 * Migration 8: moves every model's raw rows out of the shared production_rows and reference_rows
 * tables (a DOUBLE[] and a VARCHAR[] of feature values per row) into two tables of its own with one
 * typed column per feature, then drops the shared tables. Frozen with the migration: the names and
 * layout are written out here as they stand at version 8, not taken from row-tables.ts, which
 * follows the newest schema. Rows keep their order (rowid), which the calibration's folds and the
 * recount of a new reference version's sums depend on.
 */
export async function moveRowsToModelTables(connection: Connection): Promise<void> {
  const models = await connection.rows<{ id: string; definition: string }>('SELECT id, definition FROM models');
  for (const { id, definition } of models) {
    const features = (JSON.parse(definition) as { features: { kind: 'numeric' | 'categorical' }[] }).features;
    const key = [...id]
      .map((character) =>
        /[a-z0-9]/.test(character)
          ? character
          : character === '_'
            ? '__'
            : `_${(character.codePointAt(0) as number).toString(16)}_`
      )
      .join('');
    const production = quoteIdentifier(`production_rows_${key}`);
    const reference = quoteIdentifier(`reference_rows_${key}`);
    const column = (index: number) => quoteIdentifier(`f${index}`);
    const definitions = features
      .map((feature, index) => `, ${column(index)} ${feature.kind === 'numeric' ? 'DOUBLE' : 'VARCHAR'}`)
      .join('');
    const names = features.map((_, index) => `, ${column(index)}`).join('');
    const values = features
      .map((feature, index) => `, ${feature.kind === 'numeric' ? 'num' : 'cat'}[${index + 1}]`)
      .join('');
    await connection.run(
      `CREATE TABLE ${production} (batch_id VARCHAR NOT NULL, prediction_id VARCHAR NOT NULL, ts_ms BIGINT NOT NULL,
         prediction VARCHAR, probability DOUBLE, label VARCHAR${definitions})`
    );
    await connection.run(
      `CREATE TABLE ${reference} (version INTEGER NOT NULL, prediction VARCHAR, probability DOUBLE, label VARCHAR${definitions})`
    );
    await connection.run(
      `INSERT INTO ${production} (batch_id, prediction_id, ts_ms, prediction, probability, label${names})
       SELECT batch_id, prediction_id, ts_ms, prediction, probability, label${values}
       FROM production_rows WHERE model_id = $model ORDER BY rowid`,
      { model: id }
    );
    await connection.run(
      `INSERT INTO ${reference} (version, prediction, probability, label${names})
       SELECT version, prediction, probability, label${values}
       FROM reference_rows WHERE model_id = $model ORDER BY rowid`,
      { model: id }
    );
  }
  await connection.run('DROP TABLE production_rows');
  await connection.run('DROP TABLE reference_rows');
}
