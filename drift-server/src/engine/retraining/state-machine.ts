import {
  Connection,
  ConflictError,
  RETRAIN_TRANSITIONS,
  RetrainJob,
  RetrainJobChange,
  RetrainJobStatus,
  Store,
} from '../../store';

/** What a trainer reports about a job it was given. */
export interface TrainerReport {
  readonly status: 'running' | 'succeeded' | 'failed';
  readonly message?: string;
  readonly newReferenceVersion?: number;
}

/**
 * The events of a job's life and the status each one moves it to:
 *
 *   scheduled ──delivered──▶ dispatched ──running──▶ running ──succeeded/failed──▶ done
 *       │                        └──────succeeded/failed──────────────────────────▶ done
 *       └──delivery failed for good / interrupted──▶ failed;  any active ──cancel──▶ cancelled
 *
 * The store refuses every move RETRAIN_TRANSITIONS does not list (a 409 for the API), so two
 * events racing for one job cannot both apply.
 */
export class RetrainJobStateMachine {
  /** `auditAs`: moves made without a request (the runner's) are written to the audit log under this actor. */
  constructor(
    private readonly store: Store,
    private readonly auditAs?: string
  ) {}

  /** The trainer took the job. */
  delivered(jobId: string, trainerKind: string, message: string): Promise<RetrainJob> {
    return this.move(jobId, 'dispatched', { trainerKind, message });
  }

  /**
   * A trainer's report. A trainer may report before its answer to the delivery arrived; a job
   * still being delivered counts as dispatched then. Reports on jobs never sent are refused. With
   * `within`, the final move joins that connection's open transaction.
   */
  async reported(jobId: string, report: TrainerReport, within?: Connection): Promise<RetrainJob> {
    await this.assertReportable(jobId, report.status);
    const delivery = await this.store.retrainJobs.delivery(jobId);
    if (delivery.job.status === 'scheduled') {
      await this.move(jobId, 'dispatched', {
        trainerKind: 'webhook',
        message: 'the trainer reported before its answer to the delivery arrived',
      });
    }
    return this.move(
      jobId,
      report.status,
      { message: report.message ?? defaultMessage(report.status), newReferenceVersion: report.newReferenceVersion },
      within
    );
  }

  /** Throws the ConflictError a report would meet, before any work (like storing a reference) is done for it. */
  async assertReportable(jobId: string, status: TrainerReport['status']): Promise<void> {
    const { job, claimedBy } = await this.store.retrainJobs.delivery(jobId);
    if (job.status === 'scheduled' && claimedBy === null) {
      throw new ConflictError(
        `retrain job ${jobId} is scheduled and has not been sent to a trainer; it cannot take a trainer report`
      );
    }
    const from = job.status === 'scheduled' ? 'dispatched' : job.status;
    if (!RETRAIN_TRANSITIONS[from].includes(status))
      throw new ConflictError(`retrain job ${jobId} is ${job.status}; it cannot become ${status}`);
  }

  cancel(jobId: string, by: string): Promise<RetrainJob> {
    return this.move(jobId, 'cancelled', { message: `cancelled by ${by}` });
  }

  failed(jobId: string, message: string, lastError?: string): Promise<RetrainJob> {
    return this.move(jobId, 'failed', { message, lastError });
  }

  /** Moves the job; a move made without a request is audited in the same transaction, so it is never visible unaudited. */
  private move(
    jobId: string,
    to: RetrainJobStatus,
    change: RetrainJobChange,
    within?: Connection
  ): Promise<RetrainJob> {
    const { auditAs } = this;
    return this.store.retrainJobs.transition(
      jobId,
      to,
      change,
      auditAs === undefined
        ? undefined
        : (job) => ({
            requestId: `retrain-job-${job.id}`,
            actor: auditAs,
            grafanaUser: null,
            method: 'RUNNER',
            path: `/api/v1/retrain-jobs/${job.id}`,
            status: 200,
            modelId: job.model_id,
            action: `retrain job ${job.id} ${to}${job.message ? `: ${job.message}` : ''}`,
          }),
      within
    );
  }
}

function defaultMessage(status: TrainerReport['status']): string {
  return status === 'running' ? 'the trainer is working on the job' : `the trainer reported ${status}`;
}
