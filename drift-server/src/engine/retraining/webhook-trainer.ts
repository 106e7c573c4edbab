import type { RetrainJob, WebhookTrainer } from '../../store';
import { signatureHeaders } from './signature';
import type { DeliveryResult } from './trainer';

export const ATTEMPT_HEADER = 'X-DriftGuard-Attempt';

/** What a webhook trainer receives, as JSON; the signature covers these exact bytes (and the method, path, job id and time). */
export interface WebhookPayload {
  readonly job_id: string;
  readonly model_id: string;
  readonly reference_version: number | null;
  readonly window: { readonly from: string; readonly to: string };
  readonly reason: string;
  readonly trigger: RetrainJob['trigger'];
  readonly callback_url: string;
  /** Delivery time, inside the signed body so a trainer can refuse stale replays. */
  readonly sent_at: string;
}

export interface BackoffSettings {
  /** Delay before the second attempt; each further attempt doubles it. */
  readonly baseMs: number;
  readonly maxMs: number;
}

/**
 * Exponential backoff with jitter: base·2^(attempt−1), capped, then scaled by a random factor in
 * [0.5, 1] so trainers that failed together are not retried in lockstep.
 */
export function backoffDelayMs(
  failedAttempts: number,
  settings: BackoffSettings,
  random: () => number = Math.random
): number {
  const ceiling = Math.min(settings.maxMs, settings.baseMs * 2 ** Math.max(0, failedAttempts - 1));
  return Math.round(ceiling * (0.5 + 0.5 * random()));
}

const RESPONSE_EXCERPT = 200;

/** The path (and query) a POST to `url` is sent to: what the trainer signs its check over. */
function requestPath(url: string): string {
  const { pathname, search } = new URL(url);
  return `${pathname}${search}`;
}

/** One delivery of a job: a signed JSON POST, given up after the trainer's timeout. */
export async function deliverWebhook(
  job: RetrainJob,
  trainer: WebhookTrainer,
  callbackUrl: string,
  nowMs: number
): Promise<DeliveryResult> {
  const payload: WebhookPayload = {
    job_id: job.id,
    model_id: job.model_id,
    reference_version: job.reference_version,
    window: job.window,
    reason: job.reason,
    trigger: job.trigger,
    callback_url: callbackUrl,
    sent_at: new Date(nowMs).toISOString(),
  };
  const body = JSON.stringify(payload);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), trainer.timeout_ms);
  try {
    const response = await fetch(trainer.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'driftguard-retrain-runner',
        ...signatureHeaders(
          trainer.secret,
          { method: 'POST', path: requestPath(trainer.url), job: job.id, body },
          nowMs
        ),
        [ATTEMPT_HEADER]: String(job.attempts),
      },
      body,
      signal: controller.signal,
      // A redirected POST may change method or drop the body; a trainer must be addressed directly.
      redirect: 'manual',
    });
    const text = (await response.text()).slice(0, RESPONSE_EXCERPT);
    const answer = `HTTP ${response.status}${text.trim() === '' ? '' : `: ${text.trim()}`}`;
    if (response.status >= 200 && response.status < 300)
      return { outcome: 'accepted', message: `the trainer accepted the job (${answer})` };
    if (response.status >= 500) return { outcome: 'retryable', error: `the trainer answered ${answer}` };
    return { outcome: 'refused', error: `the trainer refused the job: ${answer}` };
  } catch (error) {
    if (controller.signal.aborted)
      return { outcome: 'retryable', error: `the trainer did not answer within ${trainer.timeout_ms} ms` };
    const cause = (error as Error & { cause?: Error }).cause;
    return {
      outcome: 'retryable',
      error: `the trainer could not be reached: ${cause?.message ?? (error as Error).message}`,
    };
  } finally {
    clearTimeout(timer);
  }
}
