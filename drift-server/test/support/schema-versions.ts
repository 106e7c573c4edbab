import type { DuckDBConnection } from '@duckdb/node-api';

/**
 * Turns a database of the current schema back into one as schema version 7 left it: raw rows in the
 * shared production_rows and reference_rows tables with a DOUBLE[] and a VARCHAR[] of feature
 * values per row (NULL in the other kind's positions), no tables per model. Written out here, not
 * taken from the store, so that tests of migrations 5–8 open a database built like an old server's.
 */
export async function toSchemaVersion7(connection: DuckDBConnection): Promise<void> {
  await connection.run(`CREATE TABLE reference_rows (model_id VARCHAR NOT NULL, version INTEGER NOT NULL, prediction VARCHAR,
    probability DOUBLE, label VARCHAR, num DOUBLE[] NOT NULL, cat VARCHAR[] NOT NULL)`);
  await connection.run(`CREATE TABLE production_rows (model_id VARCHAR NOT NULL, batch_id VARCHAR NOT NULL, prediction_id VARCHAR NOT NULL,
    ts_ms BIGINT NOT NULL, prediction VARCHAR, probability DOUBLE, label VARCHAR, num DOUBLE[] NOT NULL, cat VARCHAR[] NOT NULL)`);
  const models = (await connection.runAndReadAll('SELECT id, definition FROM models')).getRowObjectsJS() as {
    id: string;
    definition: string;
  }[];
  for (const { id, definition } of models) {
    const features = (JSON.parse(definition) as { features: { kind: string }[] }).features;
    const list = (kind: string, type: string) =>
      `[${features.map((feature, index) => (feature.kind === kind ? `f${index}` : 'NULL')).join(', ')}]::${type}[]`;
    const lists = `${list('numeric', 'DOUBLE')}, ${list('categorical', 'VARCHAR')}`;
    // Model ids of these tests are lower-case letters and digits, their own table-name suffix.
    await connection.run(
      `INSERT INTO production_rows SELECT $1, batch_id, prediction_id, ts_ms, prediction, probability, label, ${lists}
       FROM production_rows_${id} ORDER BY rowid`,
      [id]
    );
    await connection.run(
      `INSERT INTO reference_rows SELECT $1, version, prediction, probability, label, ${lists} FROM reference_rows_${id} ORDER BY rowid`,
      [id]
    );
    await connection.run(`DROP TABLE production_rows_${id}`);
    await connection.run(`DROP TABLE reference_rows_${id}`);
  }
  await connection.run('DELETE FROM schema_migrations WHERE version >= 8');
}
