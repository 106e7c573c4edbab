/**
 * Retraining and reports as drift-server serves them, and the methods the DriftGuard panel calls on
 * this data source. Self-contained (no imports) so the panel plugin can mirror it as it is.
 */

export const RETRAIN_JOB_STATUSES = ['scheduled', 'dispatched', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type RetrainJobStatus = (typeof RETRAIN_JOB_STATUSES)[number];
/** At most one job per model is in one of these states. */
export const ACTIVE_RETRAIN_JOB_STATUSES: readonly RetrainJobStatus[] = ['scheduled', 'dispatched', 'running'];

export type RetrainTrigger = 'manual' | 'alert';

/** drift-server's RetrainJob; times are ISO 8601 strings. */
export interface RetrainJob {
  id: string;
  model_id: string;
  status: RetrainJobStatus;
  trigger: RetrainTrigger;
  reason: string;
  /** The token name, or the Grafana user when Grafana forwards it. */
  requested_by: string;
  scheduled_for: string;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  finished_at: string | null;
  attempts: number;
  reference_version: number | null;
  new_reference_version: number | null;
  /** The production window the trainer was asked to use. */
  window: { from: string; to: string };
  message: string | null;
  alert_fingerprint: string | null;
}

export type AlertAction =
  | 'scheduled'
  | 'existing_job'
  | 'not_worth_it'
  | 'no_recommendation'
  | 'manual_policy'
  | 'duplicate'
  | 'resolved'
  | 'no_model';

/** An alert notification drift-server received from Grafana alerting, and what it did about it. */
export interface AlertRecord {
  id: string;
  fingerprint: string;
  model_id: string | null;
  alertname: string;
  status: 'firing' | 'resolved';
  severity: string | null;
  summary: string | null;
  labels: Record<string, string>;
  starts_at: string;
  received_at: string;
  action: AlertAction;
  /** The cost-benefit recommendation the action rested on (`retrain_now`…); null when none was computed. */
  recommendation: string | null;
  job_id: string | null;
}

export interface TimeWindow {
  fromMs: number;
  toMs: number;
}

export interface ScheduleRetrainOptions {
  /** Shown in the job list and the audit log. */
  reason?: string;
  /** Epoch ms; now when absent. */
  scheduledForMs?: number;
  /** The production window the trainer should use; drift-server's default when absent. */
  window?: TimeWindow;
}

export type ReportFormat = 'csv' | 'pdf';

export interface ReportOptions {
  /** CSV only: one row per feature (default) or daily trends. */
  table?: 'features' | 'trends';
  /** drift-server `reference`: `latest`, a reference version number or `previous_period`. */
  baseline?: string;
}

/**
 * What the DriftGuard data source offers the panel (on the instance from getDataSourceSrv().get()).
 * Failures reject with an Error whose message carries drift-server's problem detail.
 */
export interface RetrainingMethods {
  /** Needs an Editor (operate route); resolves to the new job, or to the model's active job when one exists. */
  scheduleRetrain(modelId: string, options?: ScheduleRetrainOptions): Promise<RetrainJob>;
  /** Needs an Editor; rejects (409) when the job has already finished. */
  cancelRetrain(jobId: string): Promise<RetrainJob>;
  /** Newest first. */
  listRetrainJobs(modelId: string): Promise<RetrainJob[]>;
  /** A same-origin URL through Grafana's data proxy, for a link or a download; Viewers may use it. */
  reportUrl(modelId: string, format: ReportFormat, window: TimeWindow, options?: ReportOptions): string;
}
