import type { RetrainJobStatus } from './types';

/**
 * Whether a job in each state is active: at most one job per model is, and only those may be
 * cancelled (drift-server's RetrainJob.status). Keyed by the generated union, so a status the API
 * adds does not compile until it is placed here.
 */
const IS_ACTIVE: Record<RetrainJobStatus, boolean> = {
  scheduled: true,
  dispatched: true,
  running: true,
  succeeded: false,
  failed: false,
  cancelled: false,
};

/** Every status, in the order a job passes through them. */
export const RETRAIN_JOB_STATUSES = Object.keys(IS_ACTIVE) as readonly RetrainJobStatus[];

export const ACTIVE_RETRAIN_JOB_STATUSES: readonly RetrainJobStatus[] = RETRAIN_JOB_STATUSES.filter(
  (status) => IS_ACTIVE[status]
);

/** Takes any string, as a frame cell or an older server may hold one the API no longer names. */
export function isActiveRetrainJobStatus(status: string): boolean {
  return (ACTIVE_RETRAIN_JOB_STATUSES as readonly string[]).includes(status);
}
