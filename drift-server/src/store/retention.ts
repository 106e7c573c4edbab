import type { Database } from './database';

export async function hasRawRowsBefore(database: Database, cutoffMs: number): Promise<boolean> {
  return (await database.rows('SELECT 1 FROM production_rows WHERE ts_ms < $1 LIMIT 1', [BigInt(cutoffMs)])).length > 0;
}

/** Deletes raw production rows older than the cutoff; hourly aggregates stay. Returns rows deleted. */
export function purgeRawRowsBefore(database: Database, cutoffMs: number): Promise<number> {
  return database.withConnection((connection) =>
    connection.execute('DELETE FROM production_rows WHERE ts_ms < $1', [BigInt(cutoffMs)])
  );
}
