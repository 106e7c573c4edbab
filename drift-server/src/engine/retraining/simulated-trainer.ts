import { Readable } from 'node:stream';
import { ConflictError, RetrainJob, SimulatedTrainer, Store } from '../../store';
import type { RetrainJobStateMachine } from './state-machine';
import type { DeliveryResult, RetrainLog } from './trainer';

/** The newest production rows of the window the simulated trainer promotes, at most. */
export const SIMULATED_TRAINER_MAX_ROWS = 100_000;

/**
 * The built-in demo trainer. After `delay_ms` it takes the job window's production rows (the
 * newest SIMULATED_TRAINER_MAX_ROWS) and stores them through the reference upload path as a new
 * reference version, as if a model retrained on recent data had been deployed: drift is then
 * measured against what production looks like now, and health recovers.
 */
export class SimulatedTrainerRunner {
  private readonly waiting = new Map<string, NodeJS.Timeout>();
  private readonly working = new Set<Promise<void>>();

  constructor(
    private readonly store: Store,
    private readonly jobs: RetrainJobStateMachine,
    private readonly log: RetrainLog,
  ) {}

  deliver(job: RetrainJob, trainer: SimulatedTrainer): DeliveryResult {
    return {
      outcome: 'accepted',
      message: `the simulated trainer will promote the window's production rows to a new reference in ${trainer.delay_ms} ms`,
      begin: () => {
        const timer = setTimeout(() => {
          this.waiting.delete(job.id);
          const work = this.train(job).finally(() => this.working.delete(work));
          this.working.add(work);
        }, trainer.delay_ms);
        this.waiting.set(job.id, timer);
      },
    };
  }

  /** Drops jobs still waiting for their delay and lets promotions under way finish. */
  async stop(): Promise<void> {
    for (const timer of this.waiting.values()) clearTimeout(timer);
    this.waiting.clear();
    await Promise.all(this.working);
  }

  private async train(job: RetrainJob): Promise<void> {
    try {
      await this.jobs.reported(job.id, { status: 'running', message: 'the simulated trainer is promoting production rows to a new reference' });
      const model = await this.store.models.get(job.model_id);
      const fromMs = Date.parse(job.window.from);
      const toMs = Date.parse(job.window.to);
      const records = await this.store.productionExport.records(model, fromMs, toMs, SIMULATED_TRAINER_MAX_ROWS);
      if (records.length === 0) {
        await this.jobs.failed(job.id, `no production rows between ${job.window.from} and ${job.window.to} to promote`);
        return;
      }
      const ndjson = records.map((record) => JSON.stringify(record)).join('\n');
      // The new version and the job's success commit in one transaction: a crash between them cannot leave a promoted reference on a running job.
      await this.store.references.upload(model, 'ndjson', Readable.from([ndjson]), (connection, version) =>
        this.jobs
          .reported(job.id, {
            status: 'succeeded',
            message: `promoted ${records.length} production rows (${job.window.from} to ${job.window.to}) to reference version ${version}`,
            newReferenceVersion: version,
          }, connection)
          .then(() => undefined),
      );
    } catch (error) {
      if (error instanceof ConflictError) {
        this.log.info('retrain job moved on while the simulated trainer worked', { job_id: job.id, detail: error.message });
        return;
      }
      this.log.error('simulated trainer failed', { job_id: job.id, error: (error as Error).message });
      await this.jobs.failed(job.id, `the simulated trainer failed: ${(error as Error).message}`).catch(() => undefined);
    }
  }
}
