import { randomUUID } from 'node:crypto';
import { ConflictError, RetrainJob, Store, TrainerSettings } from '../../store';
import { SimulatedTrainerRunner } from './simulated-trainer';
import { RetrainJobStateMachine } from './state-machine';
import type { DeliveryResult, RetrainLog } from './trainer';
import { BackoffSettings, backoffDelayMs, deliverWebhook } from './webhook-trainer';

export interface RetrainRunnerOptions {
  /** How often due jobs are looked for. */
  readonly pollIntervalMs: number;
  /** Base URL trainers reach this server at; callback URLs are built on it. */
  readonly publicUrl: string;
  readonly backoff: BackoffSettings;
  readonly log: RetrainLog;
  readonly clock?: () => number;
  /** Jitter source for the backoff, in [0, 1). */
  readonly random?: () => number;
}

/** Jobs claimed per poll; more wait for the next one. */
const CLAIM_BATCH = 16;

const INTERRUPTED_DELIVERY =
  'drift-server stopped while delivering this job to the trainer; whether the trainer received it is unknown, so it is not sent again (a job never runs twice). Check the trainer and schedule a new job if it did not start';
const INTERRUPTED_SIMULATION =
  'drift-server stopped while the built-in simulated trainer worked on this job; that trainer runs inside the server and is not resumed, so a reference is never promoted twice. Schedule a new job';

/**
 * Delivers due retrain jobs to their model's trainer. A job is claimed in the database before it
 * is sent, so it is sent by one delivery at a time; retries are stored as a next-attempt time, so
 * they survive a restart. On start, jobs a stopped process left behind are settled: a webhook job
 * the trainer already has keeps waiting for its callback (the trainer outlives our restart); a
 * delivery cut off mid-request, or a simulated training that died with the process, is failed
 * with a message rather than repeated.
 */
export class RetrainRunner {
  private readonly owner = `runner-${randomUUID()}`;
  private readonly clock: () => number;
  private readonly jobs: RetrainJobStateMachine;
  private readonly simulated: SimulatedTrainerRunner;
  private readonly deliveries = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly options: RetrainRunnerOptions
  ) {
    this.clock = options.clock ?? Date.now;
    this.jobs = new RetrainJobStateMachine(store, 'runner');
    this.simulated = new SimulatedTrainerRunner(store, this.jobs, options.log);
  }

  async start(): Promise<void> {
    await this.recover();
    this.timer = setInterval(() => void this.poll(), this.options.pollIntervalMs);
    this.timer.unref();
    void this.poll();
  }

  /** Claims the jobs due now and starts delivering them; resolves once they are claimed, not delivered. */
  poll(): Promise<void> {
    this.polling ??= this.claimDue().finally(() => (this.polling = undefined));
    return this.polling;
  }

  /** Stops polling and waits for deliveries and simulated trainings under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.polling;
    await Promise.all(this.deliveries);
    await this.simulated.stop();
  }

  private async claimDue(): Promise<void> {
    if (this.stopped) return;
    try {
      for (const job of await this.store.retrainJobs.claimDue(this.owner, this.clock(), CLAIM_BATCH)) {
        const delivery = this.deliver(job).finally(() => this.deliveries.delete(delivery));
        this.deliveries.add(delivery);
      }
    } catch (error) {
      this.options.log.error('claiming due retrain jobs failed', { error: (error as Error).message });
    }
  }

  private async deliver(job: RetrainJob): Promise<void> {
    let trainer: TrainerSettings | null = null;
    let result: DeliveryResult;
    try {
      trainer = (await this.store.models.retraining(job.model_id)).trainer;
      if (trainer === null)
        result = { outcome: 'refused', error: 'the model has no trainer: set retraining.trainer on the model' };
      else if (trainer.kind === 'webhook')
        result = await deliverWebhook(job, trainer, this.callbackUrl(job.id), this.clock());
      else result = this.simulated.deliver(job, trainer);
      await this.record(job, trainer, result);
    } catch (error) {
      if (error instanceof ConflictError) {
        this.options.log.info('retrain job moved on during its delivery', { job_id: job.id, detail: error.message });
        return;
      }
      this.options.log.error('retrain job delivery failed', { job_id: job.id, error: (error as Error).message });
    }
  }

  private async record(job: RetrainJob, trainer: TrainerSettings | null, result: DeliveryResult): Promise<void> {
    const log = { job_id: job.id, model_id: job.model_id, attempt: job.attempts };
    if (result.outcome === 'accepted') {
      await this.jobs.delivered(job.id, (trainer as TrainerSettings).kind, result.message);
      this.options.log.info('retrain job dispatched', log);
      result.begin?.();
      return;
    }
    const maxAttempts = trainer?.kind === 'webhook' ? trainer.max_attempts : 1;
    if (result.outcome === 'retryable' && job.attempts < maxAttempts) {
      const nextMs = this.clock() + backoffDelayMs(job.attempts, this.options.backoff, this.options.random);
      const message = `attempt ${job.attempts} of ${maxAttempts} failed: ${result.error}; next attempt at ${new Date(nextMs).toISOString()}`;
      await this.store.retrainJobs.releaseForRetry(job.id, this.owner, nextMs, result.error, message, this.clock());
      this.options.log.info('retrain job delivery will be retried', { ...log, error: result.error });
      return;
    }
    const message =
      result.outcome === 'retryable' ? `gave up after ${job.attempts} attempt(s): ${result.error}` : result.error;
    await this.jobs.failed(job.id, message, result.error);
    this.options.log.info('retrain job failed', { ...log, error: result.error });
  }

  private async recover(): Promise<void> {
    for (const { job, trainerKind } of await this.store.retrainJobs.unfinished()) {
      const log = { job_id: job.id, model_id: job.model_id, status: job.status };
      try {
        if (job.status === 'scheduled') await this.jobs.failed(job.id, INTERRUPTED_DELIVERY);
        else if (trainerKind === 'simulated') await this.jobs.failed(job.id, INTERRUPTED_SIMULATION);
        else {
          this.options.log.info('retrain job waits for its trainer’s callback', log);
          continue;
        }
        this.options.log.info('retrain job interrupted by a restart was failed', log);
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
      }
    }
  }

  private callbackUrl(jobId: string): string {
    return `${this.options.publicUrl.replace(/\/+$/, '')}/api/v1/retrain-jobs/${encodeURIComponent(jobId)}/callback`;
  }
}
