import { Readable } from 'node:stream';
import type { RetrainJob, Store, UploadFormat } from '../../store';
import { signatureMatches } from './signature';
import type { RetrainJobStateMachine } from './state-machine';

/** A trainer's report as the callback body carries it. */
export interface CallbackReport {
  readonly status: 'running' | 'succeeded' | 'failed';
  readonly message?: string;
  /** With `succeeded`: the new reference rows inline, or where the trainer put them. */
  readonly reference?: { readonly format: Exclude<UploadFormat, 'parquet'>; readonly data: string } | { readonly url: string };
}

/**
 * Trainer callbacks: authenticated by the HMAC of the raw body under the model's webhook secret,
 * then applied to the job through the state machine. Inline reference rows become a new reference
 * version through the reference upload path, only once the report is known to be acceptable.
 */
export class TrainerCallbacks {
  constructor(
    private readonly store: Store,
    private readonly jobs: RetrainJobStateMachine,
  ) {}

  /** The job when `signature` signs `body` under its model's webhook secret; undefined otherwise. */
  async authenticate(jobId: string, body: Uint8Array, signature: string | undefined): Promise<RetrainJob | undefined> {
    const job = await this.store.retrainJobs.get(jobId);
    const { trainer } = await this.store.models.retraining(job.model_id);
    if (trainer?.kind !== 'webhook' || signature === undefined) return undefined;
    return signatureMatches(trainer.secret, body, signature) ? job : undefined;
  }

  async apply(job: RetrainJob, report: CallbackReport): Promise<RetrainJob> {
    await this.jobs.assertReportable(job.id, report.status);
    let newReferenceVersion: number | undefined;
    let message = report.message;
    if (report.status === 'succeeded' && report.reference && 'data' in report.reference) {
      const model = await this.store.models.get(job.model_id);
      const reference = await this.store.references.upload(model, report.reference.format, Readable.from([report.reference.data]));
      newReferenceVersion = reference.version;
      message = `${message ?? 'the trainer reported succeeded'}; its reference rows are stored as reference version ${reference.version}`;
    } else if (report.status === 'succeeded' && report.reference && 'url' in report.reference) {
      message = `${message ?? 'the trainer reported succeeded'}; new reference data at ${report.reference.url}`;
    }
    return this.jobs.reported(job.id, { status: report.status, message, newReferenceVersion });
  }
}
