import { randomUUID } from 'node:crypto';
import { AuditEntry, insertAuditEntry } from './audit';
import type { Connection, Database } from './database';
import { ConflictError, NotFoundError } from './errors';
import type { KeyedMutex } from './locks';
import { requireModel } from './models';
import { isoOfMs } from './sql';

export const RETRAIN_JOB_STATUSES = ['scheduled', 'dispatched', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type RetrainJobStatus = (typeof RETRAIN_JOB_STATUSES)[number];

/** A model has at most one job in these states. */
export const ACTIVE_RETRAIN_STATUSES: readonly RetrainJobStatus[] = ['scheduled', 'dispatched', 'running'];

/**
 * Every status change a job may make. Terminal states have none; `running → running` is a progress
 * report that only updates the message.
 */
export const RETRAIN_TRANSITIONS: Readonly<Record<RetrainJobStatus, readonly RetrainJobStatus[]>> = {
  scheduled: ['dispatched', 'failed', 'cancelled'],
  dispatched: ['running', 'succeeded', 'failed', 'cancelled'],
  running: ['running', 'succeeded', 'failed', 'cancelled'],
  succeeded: [],
  failed: [],
  cancelled: [],
};

export const RETRAIN_TRIGGERS = ['manual', 'alert'] as const;
export type RetrainTrigger = (typeof RETRAIN_TRIGGERS)[number];

/** A retrain job as the API returns it. */
export interface RetrainJob {
  readonly id: string;
  readonly model_id: string;
  readonly status: RetrainJobStatus;
  readonly trigger: RetrainTrigger;
  readonly reason: string;
  readonly requested_by: string;
  readonly scheduled_for: string;
  readonly created_at: string;
  readonly updated_at: string;
  readonly started_at: string | null;
  readonly finished_at: string | null;
  readonly attempts: number;
  readonly reference_version: number | null;
  readonly new_reference_version: number | null;
  readonly window: { readonly from: string; readonly to: string };
  readonly message: string | null;
  readonly alert_fingerprint: string | null;
}

export interface NewRetrainJob {
  readonly modelId: string;
  readonly trigger: RetrainTrigger;
  readonly reason: string;
  readonly requestedBy: string;
  readonly scheduledForMs: number;
  readonly window: { readonly fromMs: number; readonly toMs: number };
  readonly referenceVersion: number | null;
  readonly alertFingerprint: string | null;
}

export interface RetrainJobQuery {
  readonly modelId: string;
  readonly fromMs?: number;
  readonly toMs?: number;
  readonly status?: RetrainJobStatus;
  readonly limit?: number;
}

/** What a transition records besides the new status. */
export interface RetrainJobChange {
  readonly message?: string | null;
  readonly newReferenceVersion?: number;
  readonly lastError?: string;
  /** Set when the job is handed to a trainer. */
  readonly trainerKind?: string;
}

/** A job with the runner's bookkeeping, for delivery and for recovery after a restart. */
export interface RetrainJobDelivery {
  readonly job: RetrainJob;
  /** The runner delivering the job right now, if any. */
  readonly claimedBy: string | null;
  readonly trainerKind: string | null;
  readonly lastError: string | null;
}

const DEFAULT_LIST_LIMIT = 100;
const TERMINAL: readonly RetrainJobStatus[] = ['succeeded', 'failed', 'cancelled'];

interface JobRow {
  id: string;
  model_id: string;
  status: RetrainJobStatus;
  trigger_kind: RetrainTrigger;
  reason: string;
  requested_by: string;
  scheduled_ms: bigint;
  created_ms: bigint;
  updated_ms: bigint;
  started_ms: bigint | null;
  finished_ms: bigint | null;
  attempts: number;
  reference_version: number | null;
  new_reference_version: number | null;
  window_from_ms: bigint;
  window_to_ms: bigint;
  message: string | null;
  alert_fingerprint: string | null;
  trainer_kind: string | null;
  next_attempt_ms: bigint | null;
  last_error: string | null;
  claimed_by: string | null;
  claimed_ms: bigint | null;
}

const isoOrNull = (ms: bigint | null) => (ms === null ? null : isoOfMs(ms));

function toJob(row: JobRow): RetrainJob {
  return {
    id: row.id,
    model_id: row.model_id,
    status: row.status,
    trigger: row.trigger_kind,
    reason: row.reason,
    requested_by: row.requested_by,
    scheduled_for: isoOfMs(row.scheduled_ms),
    created_at: isoOfMs(row.created_ms),
    updated_at: isoOfMs(row.updated_ms),
    started_at: isoOrNull(row.started_ms),
    finished_at: isoOrNull(row.finished_ms),
    attempts: row.attempts,
    reference_version: row.reference_version,
    new_reference_version: row.new_reference_version,
    window: { from: isoOfMs(row.window_from_ms), to: isoOfMs(row.window_to_ms) },
    message: row.message,
    alert_fingerprint: row.alert_fingerprint,
  };
}

function toDelivery(row: JobRow): RetrainJobDelivery {
  return { job: toJob(row), claimedBy: row.claimed_by, trainerKind: row.trainer_kind, lastError: row.last_error };
}

const ACTIVE_LIST = ACTIVE_RETRAIN_STATUSES.map((status) => `'${status}'`).join(', ');

/**
 * Retrain jobs in DuckDB. Every write runs under one lock, so concurrent requests, the runner and
 * trainer callbacks never race: one active job per model, guarded transitions, and a job claimed
 * for delivery by one runner only.
 */
export class RetrainJobStore {
  private static readonly LOCK = 'retrain-jobs:';

  constructor(
    private readonly database: Database,
    private readonly locks: KeyedMutex
  ) {}

  /** Creates a job unless the model already has an active one, which is returned instead. */
  createOrGetActive(request: NewRetrainJob, nowMs = Date.now()): Promise<{ job: RetrainJob; created: boolean }> {
    return this.write(async (connection) => {
      await requireModel(connection, request.modelId);
      const active = await connection.first<JobRow & Record<string, unknown>>(
        `SELECT * FROM retrain_jobs WHERE model_id = $model AND status IN (${ACTIVE_LIST}) ORDER BY created_ms LIMIT 1`,
        { model: request.modelId }
      );
      if (active) return { job: toJob(active), created: false };
      const id = randomUUID();
      const now = BigInt(nowMs);
      await connection.run(
        `INSERT INTO retrain_jobs (id, model_id, status, trigger_kind, reason, requested_by, scheduled_ms, created_ms, updated_ms,
           attempts, reference_version, window_from_ms, window_to_ms, alert_fingerprint, next_attempt_ms)
         VALUES ($id, $model, 'scheduled', $trigger, $reason, $requestedBy, $scheduled, $now, $now, 0, $referenceVersion,
                 $windowFrom, $windowTo, $alertFingerprint, $scheduled)`,
        {
          id,
          model: request.modelId,
          trigger: request.trigger,
          reason: request.reason,
          requestedBy: request.requestedBy,
          scheduled: BigInt(request.scheduledForMs),
          now,
          referenceVersion: request.referenceVersion,
          windowFrom: BigInt(request.window.fromMs),
          windowTo: BigInt(request.window.toMs),
          alertFingerprint: request.alertFingerprint,
        }
      );
      return { job: toJob(await this.find(connection, id)), created: true };
    });
  }

  async get(id: string): Promise<RetrainJob> {
    return toJob(await this.database.withConnection((connection) => this.find(connection, id)));
  }

  async delivery(id: string): Promise<RetrainJobDelivery> {
    return toDelivery(await this.database.withConnection((connection) => this.find(connection, id)));
  }

  /** A model's jobs, newest first; a job is in [from, to) when it was created, started or finished in it. */
  async list({ modelId, fromMs, toMs, status, limit = DEFAULT_LIST_LIMIT }: RetrainJobQuery): Promise<RetrainJob[]> {
    const from = BigInt(fromMs ?? 0);
    const to = BigInt(toMs ?? Number.MAX_SAFE_INTEGER);
    const rows = await this.database.rows<JobRow & Record<string, unknown>>(
      `SELECT * FROM retrain_jobs
       WHERE model_id = $model AND ($status::VARCHAR IS NULL OR status = $status)
         AND ((created_ms >= $from AND created_ms < $to) OR (started_ms >= $from AND started_ms < $to) OR (finished_ms >= $from AND finished_ms < $to))
       ORDER BY created_ms DESC, id DESC LIMIT $limit`,
      { model: modelId, status: status ?? null, from, to, limit }
    );
    return rows.map(toJob);
  }

  /** Jobs per model and status, for every model with jobs: one grouped read for a metrics scrape. */
  async countsByModelAndStatus(): Promise<Map<string, Map<RetrainJobStatus, number>>> {
    const rows = await this.database.rows<{ model_id: string; status: RetrainJobStatus; n: number }>(
      'SELECT model_id, status, count(*)::DOUBLE AS n FROM retrain_jobs GROUP BY model_id, status'
    );
    const counts = new Map<string, Map<RetrainJobStatus, number>>();
    for (const { model_id, status, n } of rows) {
      let byStatus = counts.get(model_id);
      if (!byStatus) counts.set(model_id, (byStatus = new Map()));
      byStatus.set(status, n);
    }
    return counts;
  }

  /**
   * Moves a job to `to` when RETRAIN_TRANSITIONS allows it from its current status; otherwise a
   * ConflictError. Ends any delivery claim; stamps started_at on dispatch and finished_at at the end.
   * With `within`, the move is part of that connection's open transaction (committed with whatever
   * else it writes, or not at all) instead of a transaction of its own.
   */
  transition(
    id: string,
    to: RetrainJobStatus,
    change: RetrainJobChange = {},
    auditEntry?: (job: RetrainJob) => AuditEntry,
    within?: Connection
  ): Promise<RetrainJob> {
    const move = async (connection: Connection) => {
      const nowMs = Date.now();
      const current = await this.find(connection, id);
      if (!RETRAIN_TRANSITIONS[current.status].includes(to)) {
        throw new ConflictError(`retrain job ${id} is ${current.status}; it cannot become ${to}`);
      }
      const now = BigInt(nowMs);
      await connection.run(
        `UPDATE retrain_jobs SET status = $status, updated_ms = $now,
           started_ms = CASE WHEN $status IN ('dispatched', 'running') THEN coalesce(started_ms, $now) ELSE started_ms END,
           finished_ms = CASE WHEN $terminal THEN $now ELSE finished_ms END,
           message = CASE WHEN $messageGiven THEN $message ELSE message END,
           new_reference_version = coalesce($newReferenceVersion, new_reference_version),
           last_error = coalesce($lastError, last_error),
           trainer_kind = coalesce($trainerKind, trainer_kind),
           next_attempt_ms = NULL, claimed_by = NULL, claimed_ms = NULL
         WHERE id = $id`,
        {
          id,
          status: to,
          now,
          terminal: TERMINAL.includes(to),
          messageGiven: change.message !== undefined,
          message: change.message ?? null,
          newReferenceVersion: change.newReferenceVersion ?? null,
          lastError: change.lastError ?? null,
          trainerKind: change.trainerKind ?? null,
        }
      );
      const job = toJob(await this.find(connection, id));
      if (auditEntry) await insertAuditEntry(connection, auditEntry(job), nowMs);
      return job;
    };
    return within ? move(within) : this.write(move);
  }

  /**
   * Claims scheduled jobs that are due and not being delivered, counting one more attempt for each.
   * A claimed job is the claimer's alone until it is dispatched, failed or released for a retry.
   */
  claimDue(owner: string, nowMs: number, limit: number): Promise<RetrainJob[]> {
    return this.write(async (connection) => {
      const rows = await connection.rows<JobRow & Record<string, unknown>>(
        `UPDATE retrain_jobs SET claimed_by = $owner, claimed_ms = $now, attempts = attempts + 1, updated_ms = $now
         WHERE id IN (SELECT id FROM retrain_jobs
                      WHERE status = 'scheduled' AND claimed_by IS NULL AND next_attempt_ms <= $now
                      ORDER BY next_attempt_ms, id LIMIT $limit)
         RETURNING *`,
        { owner, now: BigInt(nowMs), limit }
      );
      return rows.map(toJob);
    });
  }

  /** Gives a claimed job back for another attempt at `nextAttemptMs`; false when the job moved on meanwhile. */
  releaseForRetry(
    id: string,
    owner: string,
    nextAttemptMs: number,
    error: string,
    message: string,
    nowMs = Date.now()
  ): Promise<boolean> {
    return this.write(async (connection) => {
      const changed = await connection.execute(
        `UPDATE retrain_jobs SET claimed_by = NULL, claimed_ms = NULL, next_attempt_ms = $next, last_error = $error, message = $message,
           updated_ms = $now
         WHERE id = $id AND claimed_by = $owner AND status = 'scheduled'`,
        { id, owner, next: BigInt(nextAttemptMs), error, message, now: BigInt(nowMs) }
      );
      return changed > 0;
    });
  }

  /** Jobs a runner left unfinished: claimed for delivery, dispatched or running. */
  async unfinished(): Promise<RetrainJobDelivery[]> {
    const rows = await this.database.rows<JobRow & Record<string, unknown>>(
      `SELECT * FROM retrain_jobs WHERE status IN ('dispatched', 'running') OR (status = 'scheduled' AND claimed_by IS NOT NULL)
       ORDER BY created_ms, id`
    );
    return rows.map(toDelivery);
  }

  private write<T>(work: (connection: Connection) => Promise<T>): Promise<T> {
    return this.locks.run(RetrainJobStore.LOCK, () => this.database.transaction(work));
  }

  private async find(connection: Connection, id: string): Promise<JobRow> {
    const row = await connection.first<JobRow & Record<string, unknown>>('SELECT * FROM retrain_jobs WHERE id = $id', {
      id,
    });
    if (!row) throw new NotFoundError(`retrain job ${JSON.stringify(id)} does not exist`);
    return row;
  }
}
