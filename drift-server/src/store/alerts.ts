import { randomUUID } from 'node:crypto';
import type { Database } from './database';
import { isoOfMs } from './sql';

export const ALERT_STATUSES = ['firing', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/**
 * What the retrain policy did with an alert. `duplicate` is only ever answered, never stored: the
 * notification it answers was stored when it first arrived.
 */
export const ALERT_ACTIONS = [
  'scheduled',
  'existing_job',
  'not_worth_it',
  'no_recommendation',
  'manual_policy',
  'duplicate',
  'resolved',
  'no_model',
] as const;
export type AlertAction = (typeof ALERT_ACTIONS)[number];

/** One alert of a Grafana notification, as the policy read it. */
export interface ReceivedAlert {
  readonly fingerprint: string;
  /** The model the labels name, when it exists. */
  readonly modelId: string | null;
  readonly alertname: string;
  readonly status: AlertStatus;
  readonly severity: string | null;
  readonly summary: string | null;
  readonly labels: Readonly<Record<string, string>>;
  readonly startsMs: number;
}

export interface AlertOutcome {
  readonly action: Exclude<AlertAction, 'duplicate'>;
  /** The cost-benefit recommendation the decision rested on; null when none was computed. */
  readonly recommendation: string | null;
  readonly jobId: string | null;
}

/** An alert as the API returns it. */
export interface AlertRecord {
  readonly id: string;
  readonly fingerprint: string;
  readonly model_id: string | null;
  readonly alertname: string;
  readonly status: AlertStatus;
  readonly severity: string | null;
  readonly summary: string | null;
  readonly labels: Record<string, string>;
  readonly starts_at: string;
  readonly received_at: string;
  readonly action: AlertAction;
  readonly recommendation: string | null;
  readonly job_id: string | null;
}

export interface AlertQuery {
  readonly modelId: string;
  readonly fromMs?: number;
  readonly toMs?: number;
  readonly limit?: number;
}

interface AlertRow {
  id: string;
  fingerprint: string;
  model_id: string | null;
  alertname: string;
  status: string;
  severity: string | null;
  summary: string | null;
  labels: string;
  starts_ms: bigint;
  received_ms: bigint;
  action: string;
  recommendation: string | null;
  job_id: string | null;
}

function toRecord(row: AlertRow): AlertRecord {
  return {
    id: row.id,
    fingerprint: row.fingerprint,
    model_id: row.model_id,
    alertname: row.alertname,
    status: row.status as AlertStatus,
    severity: row.severity,
    summary: row.summary,
    labels: JSON.parse(row.labels) as Record<string, string>,
    starts_at: isoOfMs(row.starts_ms),
    received_at: isoOfMs(row.received_ms),
    action: row.action as AlertAction,
    recommendation: row.recommendation,
    job_id: row.job_id,
  };
}

export const DEFAULT_ALERT_LIST_LIMIT = 1000;

/**
 * Alerts received from Grafana. A notification is identified by the alert's fingerprint, its start
 * and its status: Grafana repeats a firing alert with all three unchanged, and a resolved one
 * keeps the fingerprint and start of the firing it ends.
 */
export class AlertStore {
  constructor(private readonly database: Database) {}

  async seen(fingerprint: string, startsMs: number, status: AlertStatus): Promise<boolean> {
    const rows = await this.database.rows<{ id: string }>(
      'SELECT id FROM alerts_received WHERE fingerprint = $fingerprint AND starts_ms = $starts AND status = $status',
      { fingerprint, starts: BigInt(startsMs), status }
    );
    return rows.length > 0;
  }

  /** Stores the alert and what was done with it; undefined when the same notification was already stored. */
  async record(alert: ReceivedAlert, outcome: AlertOutcome, receivedMs = Date.now()): Promise<AlertRecord | undefined> {
    const rows = await this.database.withConnection((connection) =>
      connection.rows<AlertRow & Record<string, unknown>>(
        `INSERT INTO alerts_received (id, fingerprint, model_id, alertname, status, severity, summary, labels, starts_ms,
                                      received_ms, action, recommendation, job_id)
         VALUES ($id, $fingerprint, $model, $alertname, $status, $severity, $summary, $labels, $starts, $received, $action,
                 $recommendation, $job)
         ON CONFLICT DO NOTHING RETURNING *`,
        {
          id: randomUUID(),
          fingerprint: alert.fingerprint,
          model: alert.modelId,
          alertname: alert.alertname,
          status: alert.status,
          severity: alert.severity,
          summary: alert.summary,
          labels: JSON.stringify(alert.labels),
          starts: BigInt(alert.startsMs),
          received: BigInt(receivedMs),
          action: outcome.action,
          recommendation: outcome.recommendation,
          job: outcome.jobId,
        }
      )
    );
    return rows[0] && toRecord(rows[0]);
  }

  /** A model's alerts, newest received first; with a window, those that started or arrived in [from, to). */
  async list({ modelId, fromMs, toMs, limit = DEFAULT_ALERT_LIST_LIMIT }: AlertQuery): Promise<AlertRecord[]> {
    const from = BigInt(fromMs ?? 0);
    const to = BigInt(toMs ?? Number.MAX_SAFE_INTEGER);
    const rows = await this.database.rows<AlertRow & Record<string, unknown>>(
      `SELECT * FROM alerts_received
       WHERE model_id = $model AND ((starts_ms >= $from AND starts_ms < $to) OR (received_ms >= $from AND received_ms < $to))
       ORDER BY received_ms DESC, id LIMIT $limit`,
      { model: modelId, from, to, limit }
    );
    return rows.map(toRecord);
  }
}
