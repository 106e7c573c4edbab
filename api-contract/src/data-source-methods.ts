import type { RetrainJob } from './types';

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
 * What the DriftGuard data source offers the DriftGuard panel, on the instance the panel gets from
 * getDataSourceSrv().get(): the two plugins are loaded separately by Grafana, so this interface is
 * their only link. Failures reject with an Error whose message carries drift-server's problem detail.
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

/** The methods, by name: what the panel checks an instance for before it calls them. */
export const RETRAINING_METHOD_NAMES: ReadonlyArray<keyof RetrainingMethods> = [
  'scheduleRetrain',
  'cancelRetrain',
  'listRetrainJobs',
  'reportUrl',
];
