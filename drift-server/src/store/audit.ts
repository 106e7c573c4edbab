import type { Database } from './database';

export interface AuditEntry {
  readonly requestId: string;
  readonly actor: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

/** Who changed what, when: one row per state-changing request. */
export class AuditLog {
  constructor(private readonly database: Database) {}

  async record(entry: AuditEntry, atMs = Date.now()): Promise<void> {
    await this.database.withConnection((connection) =>
      connection.run('INSERT INTO audit_log VALUES ($1, $2, $3, $4, $5, $6)', [
        BigInt(atMs),
        entry.requestId,
        entry.actor,
        entry.method,
        entry.path,
        entry.status,
      ]),
    );
  }

  async recent(limit: number): Promise<(AuditEntry & { at: string })[]> {
    const rows = await this.database.rows<{ at_ms: bigint; request_id: string; actor: string; method: string; path: string; status: number }>(
      'SELECT * FROM audit_log ORDER BY at_ms DESC LIMIT $1',
      [limit],
    );
    return rows.map((row) => ({
      at: new Date(Number(row.at_ms)).toISOString(),
      requestId: row.request_id,
      actor: row.actor,
      method: row.method,
      path: row.path,
      status: row.status,
    }));
  }
}
