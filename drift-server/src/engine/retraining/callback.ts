import { Readable } from 'node:stream';
import { NotFoundError, RetrainJob, Store, UploadFormat } from '../../store';
import { PresentedSignature, SignatureVerdict, SignedRequest, verifySignature } from './signature';
import type { RetrainJobStateMachine } from './state-machine';

/** A trainer's report as the callback body carries it. */
export interface CallbackReport {
  readonly status: 'running' | 'succeeded' | 'failed';
  readonly message?: string;
  /** With `succeeded`: the new reference rows inline, or where the trainer put them. */
  readonly reference?:
    { readonly format: Exclude<UploadFormat, 'parquet'>; readonly data: string } | { readonly url: string };
}

/** A callback's authentication: the job it may report on, or why it may not. */
export type CallbackAuthentication =
  { readonly job: RetrainJob } | { readonly refused: Exclude<SignatureVerdict, 'valid'> };

/**
 * Trainer callbacks: authenticated by a signature (signature.ts) over the method, path, job id,
 * time and raw body under the job's model's webhook secret, then applied to the job through the
 * state machine. Inline reference rows become a new reference
 * version through the reference upload path, only once the report is known to be acceptable.
 */
export class TrainerCallbacks {
  constructor(
    private readonly store: Store,
    private readonly jobs: RetrainJobStateMachine
  ) {}

  /**
   * The job when `presented` signs `request` for it under its model's webhook secret. An unknown
   * job is refused exactly like a wrong signature (`mismatch`), so a caller without the secret
   * cannot tell which job ids exist.
   */
  async authenticate(
    jobId: string,
    request: SignedRequest,
    presented: PresentedSignature,
    nowMs = Date.now()
  ): Promise<CallbackAuthentication> {
    const job = await this.store.retrainJobs.get(jobId).catch((error: unknown) => {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    });
    const trainer = job && (await this.store.models.retraining(job.model_id)).trainer;
    const verdict = verifySignature(
      trainer?.kind === 'webhook' ? trainer.secret : undefined,
      { ...request, job: jobId },
      presented,
      nowMs
    );
    return verdict === 'valid' && job ? { job } : { refused: verdict === 'valid' ? 'mismatch' : verdict };
  }

  async apply(job: RetrainJob, report: CallbackReport): Promise<RetrainJob> {
    await this.jobs.assertReportable(job.id, report.status);
    let newReferenceVersion: number | undefined;
    let message = report.message;
    if (report.status === 'succeeded' && report.reference && 'data' in report.reference) {
      const model = await this.store.models.get(job.model_id);
      const reference = await this.store.references.upload(
        model,
        report.reference.format,
        Readable.from([report.reference.data])
      );
      newReferenceVersion = reference.version;
      message = `${message ?? 'the trainer reported succeeded'}; its reference rows are stored as reference version ${reference.version}`;
    } else if (report.status === 'succeeded' && report.reference && 'url' in report.reference) {
      message = `${message ?? 'the trainer reported succeeded'}; new reference data at ${report.reference.url}`;
    }
    return this.jobs.reported(job.id, { status: report.status, message, newReferenceVersion });
  }
}
