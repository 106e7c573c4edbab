import type { RetrainJobStatus } from './types';

export interface RetrainJobStatusStyle {
  label: string;
  /** A Grafana colour, as in SEVERITY_PALETTE. */
  color: string;
  /** At most one job per model is active, and only an active job may be cancelled. */
  active: boolean;
}

/**
 * Each state of drift-server's RetrainJob.status, in the order a job passes through them, as both
 * plugins show it. Keyed by the generated union, so a status the API adds does not compile until it
 * is placed here.
 */
export const RETRAIN_JOB_STATUS_STYLE: Readonly<Record<RetrainJobStatus, RetrainJobStatusStyle>> = {
  scheduled: { label: 'Scheduled', color: 'blue', active: true },
  dispatched: { label: 'Dispatched', color: 'purple', active: true },
  running: { label: 'Running', color: 'orange', active: true },
  succeeded: { label: 'Succeeded', color: 'green', active: false },
  failed: { label: 'Failed', color: 'red', active: false },
  cancelled: { label: 'Cancelled', color: 'text', active: false },
};

export const RETRAIN_JOB_STATUSES = Object.keys(RETRAIN_JOB_STATUS_STYLE) as readonly RetrainJobStatus[];

export const ACTIVE_RETRAIN_JOB_STATUSES: readonly RetrainJobStatus[] = RETRAIN_JOB_STATUSES.filter(
  (status) => RETRAIN_JOB_STATUS_STYLE[status].active
);

/** Takes any string, as a frame cell or an older server may hold one the API no longer names. */
export function isActiveRetrainJobStatus(status: string): boolean {
  return (ACTIVE_RETRAIN_JOB_STATUSES as readonly string[]).includes(status);
}
