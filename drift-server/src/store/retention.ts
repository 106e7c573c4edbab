import type { Database } from './database';
import { DAY_MS } from './hourly-counts';

/** Deletes raw production rows older than the retention; hourly aggregates stay. Returns rows deleted. */
export function purgeRawRows(database: Database, retentionDays: number, nowMs = Date.now()): Promise<number> {
  return database.withConnection((connection) =>
    connection.execute('DELETE FROM production_rows WHERE ts_ms < $1', [BigInt(nowMs - retentionDays * DAY_MS)]),
  );
}
