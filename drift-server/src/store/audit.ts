import type { Connection, Database } from './database';
import { isoOfMs } from './sql';

export interface AuditEntry {
  readonly requestId: string;
  /** Name of the token or signer: a token's name (also of tokens from DRIFTGUARD_TOKENS), `grafana-alert-webhook`, `trainer`. */
  readonly actor: string;
  /** The Grafana user on whose behalf Grafana's data proxy made the call (its X-Grafana-User header). */
  readonly grafanaUser: string | null;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** The model the call changed, when it concerns one. */
  readonly modelId: string | null;
  /** What changed, for entries no request made (method RUNNER); a request's method and path say it. */
  readonly action?: string;
}

/** An audit-log entry as the API returns it. */
export interface AuditRecord {
  readonly at: string;
  readonly request_id: string;
  readonly actor: string;
  readonly grafana_user: string | null;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly model_id: string | null;
  readonly action: string | null;
}

export interface AuditQuery {
  readonly modelId?: string;
  readonly fromMs?: number;
  readonly toMs?: number;
  readonly limit: number;
}

interface AuditRow {
  at_ms: bigint;
  request_id: string;
  actor: string;
  method: string;
  path: string;
  status: number;
  grafana_user: string | null;
  model_id: string | null;
  action: string | null;
}

/** Appends one entry on `connection`, inside the caller's transaction when it has one. */
export async function insertAuditEntry(connection: Connection, entry: AuditEntry, atMs = Date.now()): Promise<void> {
  await connection.run(
    `INSERT INTO audit_log (at_ms, request_id, actor, method, path, status, grafana_user, model_id, action)
     VALUES ($at, $request, $actor, $method, $path, $status, $grafanaUser, $model, $action)`,
    {
      at: BigInt(atMs),
      request: entry.requestId,
      actor: entry.actor,
      method: entry.method,
      path: entry.path,
      status: entry.status,
      grafanaUser: entry.grafanaUser,
      model: entry.modelId,
      action: entry.action ?? null,
    }
  );
}

/** Who changed what, when: one row per authenticated state-changing request. Never edited, never purged with a model. */
export class AuditLog {
  constructor(private readonly database: Database) {}

  async record(entry: AuditEntry, atMs = Date.now()): Promise<void> {
    await this.database.withConnection((connection) => insertAuditEntry(connection, entry, atMs));
  }

  /** Newest first, optionally of one model and within [from, to). */
  async list({ modelId, fromMs, toMs, limit }: AuditQuery): Promise<AuditRecord[]> {
    const rows = await this.database.rows<AuditRow & Record<string, unknown>>(
      `SELECT * FROM audit_log
       WHERE ($model::VARCHAR IS NULL OR model_id = $model) AND at_ms >= $from AND at_ms < $to
       ORDER BY at_ms DESC, request_id DESC LIMIT $limit`,
      { model: modelId ?? null, from: BigInt(fromMs ?? 0), to: BigInt(toMs ?? Number.MAX_SAFE_INTEGER), limit }
    );
    return rows.map((row) => ({
      at: isoOfMs(row.at_ms),
      request_id: row.request_id,
      actor: row.actor,
      grafana_user: row.grafana_user,
      method: row.method,
      path: row.path,
      status: row.status,
      model_id: row.model_id,
      action: row.action,
    }));
  }
}
