import { RetrainJob, RetrainTrigger, Store } from '../../store';
import { EngineInputError } from '../errors';
import { HOUR_MS } from '../../time';

export interface RetrainRequest {
  readonly trigger: RetrainTrigger;
  readonly reason: string;
  /** Token name, Grafana user or the alert receiver. */
  readonly requestedBy: string;
  /** When the job becomes due; now when left out. */
  readonly scheduledForMs?: number;
  /**
   * Production rows [fromMs, toMs) the trainer should learn from; `toMs` defaults to the scheduled
   * time and `fromMs` to `windowDays` before `toMs`.
   */
  readonly window?: { readonly fromMs?: number; readonly toMs?: number };
  readonly alertFingerprint?: string;
}

export interface RetrainSchedulerOptions {
  /** Length of the default training window, in days. */
  readonly windowDays: number;
  readonly clock?: () => number;
}

export const DEFAULT_RETRAIN_WINDOW_DAYS = 7;

/**
 * Turns a retrain request (from the API or the alert receiver) into a job: the model's current
 * reference version and the training window are fixed at request time, and a model with an active
 * job gets that job back instead of a second one.
 */
export class RetrainScheduler {
  private readonly clock: () => number;

  constructor(
    private readonly store: Store,
    private readonly options: RetrainSchedulerOptions = { windowDays: DEFAULT_RETRAIN_WINDOW_DAYS }
  ) {
    this.clock = options.clock ?? Date.now;
  }

  async request(modelId: string, request: RetrainRequest): Promise<{ job: RetrainJob; created: boolean }> {
    const nowMs = this.clock();
    const scheduledForMs = request.scheduledForMs ?? nowMs;
    const toMs = request.window?.toMs ?? scheduledForMs;
    const window = { fromMs: request.window?.fromMs ?? toMs - this.options.windowDays * 24 * HOUR_MS, toMs };
    if (!(window.fromMs < window.toMs)) {
      throw new EngineInputError(
        `the window must start before it ends: from ${new Date(window.fromMs).toISOString()}, to ${new Date(window.toMs).toISOString()}`
      );
    }
    const versions = await this.store.references.list(modelId);
    return this.store.retrainJobs.createOrGetActive(
      {
        modelId,
        trigger: request.trigger,
        reason: request.reason,
        requestedBy: request.requestedBy,
        scheduledForMs,
        window,
        referenceVersion: versions.at(-1)?.version ?? null,
        alertFingerprint: request.alertFingerprint ?? null,
      },
      nowMs
    );
  }
}
