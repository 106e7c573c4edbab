import type { Connection, Database } from './database';
import { productionRows } from './row-tables';

/** Every model's production rows table; read in the caller's transaction, whose snapshot keeps them all in place. */
async function rowTables(connection: Connection): Promise<string[]> {
  const models = await connection.rows<{ id: string }>('SELECT id FROM models ORDER BY id');
  return models.map(({ id }) => productionRows(id));
}

export function hasRawRowsBefore(database: Database, cutoffMs: number): Promise<boolean> {
  return database.transaction(async (connection) => {
    for (const table of await rowTables(connection)) {
      if (await connection.first(`SELECT 1 FROM ${table} WHERE ts_ms < $cutoff LIMIT 1`, { cutoff: BigInt(cutoffMs) }))
        return true;
    }
    return false;
  });
}

/** Deletes raw production rows older than the cutoff from every model, in one transaction; hourly aggregates stay. Returns rows deleted. */
export function purgeRawRowsBefore(database: Database, cutoffMs: number): Promise<number> {
  return database.transaction(async (connection) => {
    let deleted = 0;
    for (const table of await rowTables(connection))
      deleted += await connection.execute(`DELETE FROM ${table} WHERE ts_ms < $cutoff`, { cutoff: BigInt(cutoffMs) });
    return deleted;
  });
}
