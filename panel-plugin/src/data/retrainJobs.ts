import { isActiveRetrainJobStatus, RetrainJob } from 'driftguard-api-contract';

/** A retrain job as the panel lists it; times in epoch ms. */
export interface RetrainJobView {
  id: string;
  status: string;
  trigger: string;
  reason: string;
  requestedBy: string;
  scheduledFor: number | null;
  startedAt: number | null;
  finishedAt: number | null;
  message: string;
}

function epochMs(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) {
    return value;
  }
  if (typeof value === 'string' && value !== '') {
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? null : parsed;
  }
  return null;
}

const text = (value: unknown) => (value === null || value === undefined ? '' : String(value));

/**
 * One job from its snake_case fields, whether they come from a `retrainJobs` frame row (times as
 * epoch ms) or from the data source's job list (drift-server's JSON, times as ISO strings).
 */
export function jobFromValues(valueOf: (name: keyof RetrainJob) => unknown): RetrainJobView {
  return {
    id: text(valueOf('id')),
    status: text(valueOf('status')),
    trigger: text(valueOf('trigger')),
    reason: text(valueOf('reason')),
    requestedBy: text(valueOf('requested_by')),
    scheduledFor: epochMs(valueOf('scheduled_for')),
    startedAt: epochMs(valueOf('started_at')),
    finishedAt: epochMs(valueOf('finished_at')),
    message: text(valueOf('message')),
  };
}

export function jobFromApi(job: RetrainJob): RetrainJobView {
  return jobFromValues((name) => job[name]);
}

export function isActive(job: RetrainJobView): boolean {
  return isActiveRetrainJobStatus(job.status);
}
