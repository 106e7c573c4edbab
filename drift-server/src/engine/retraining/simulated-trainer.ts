import { Readable } from 'node:stream';
import { ConflictError, Connection, ReferenceCalibration, RetrainJob, SimulatedTrainer, Store } from '../../store';
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
    private readonly log: RetrainLog
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

  /**
   * What accuracy the new reference carries. The promoted rows hold the deployed model's own
   * predictions, so the new version's accuracy is that model's on recent data, measured on its
   * own rows; when it lies below the version it replaces, the message says so rather than letting
   * the yardstick move down unnoticed.
   */
  private async accuracyCarried(modelId: string, version: number, connection: Connection): Promise<string> {
    const sampleOf = (calibration: ReferenceCalibration) =>
      calibration.status === 'fitted' && calibration.reference.labelled > 0 ? calibration.reference : null;
    const current = await this.store.references.calibration(modelId, version, connection);
    const counts = sampleOf(current);
    if (counts === null)
      return `; it carries no accuracy of its own (${current.status === 'unavailable' ? current.reason : 'no labelled rows'})`;
    const percent = (value: number) => `${(100 * value).toFixed(1)}%`;
    const share = counts.right / counts.labelled;
    const text = `; it carries its own accuracy, ${percent(share)} over its ${counts.labelled.toLocaleString('en-US')} labelled rows`;
    const previous =
      version > 1 ? sampleOf(await this.store.references.calibration(modelId, version - 1, connection)) : null;
    const previousShare = previous === null ? null : previous.right / previous.labelled;
    if (previousShare === null || share >= previousShare) return text;
    return `${text}, ${(100 * (previousShare - share)).toFixed(1)} points below version ${version - 1} (${percent(previousShare)}): the promoted rows hold the deployed model's own predictions, so the yardstick moved down and no accuracy was won back`;
  }

  private async train(job: RetrainJob): Promise<void> {
    try {
      await this.jobs.reported(job.id, {
        status: 'running',
        message: 'the simulated trainer is promoting production rows to a new reference',
      });
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
      await this.store.references.upload(model, 'ndjson', Readable.from([ndjson]), async (connection, version) => {
        await this.jobs.reported(
          job.id,
          {
            status: 'succeeded',
            message: `promoted ${records.length} production rows (${job.window.from} to ${job.window.to}) to reference version ${version}${await this.accuracyCarried(model.id, version, connection)}`,
            newReferenceVersion: version,
          },
          connection
        );
      });
    } catch (error) {
      if (error instanceof ConflictError) {
        this.log.info('retrain job moved on while the simulated trainer worked', {
          job_id: job.id,
          detail: error.message,
        });
        return;
      }
      this.log.error('simulated trainer failed', { job_id: job.id, error: (error as Error).message });
      await this.jobs
        .failed(job.id, `the simulated trainer failed: ${(error as Error).message}`)
        .catch(() => undefined);
    }
  }
}
