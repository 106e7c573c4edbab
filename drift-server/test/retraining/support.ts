import { signatureHeaders } from '../../src/engine/retraining/signature';
import { modelBody, rows, toCsv } from '../api/data';
import type { TestServer } from '../api/harness';

export const TRAINER_SECRET = 'trainer-secret-0123456789abcdef';

/** Environment for servers whose runner polls quickly and retries after short backoffs. */
export const FAST_RUNNER = { DRIFTGUARD_RETRAIN_POLL_MS: '20', DRIFTGUARD_RETRAIN_BACKOFF_MS: '150' };

export function webhookTrainer(url: string, overrides: Record<string, unknown> = {}) {
  return { kind: 'webhook', url, secret: TRAINER_SECRET, timeout_ms: 2000, max_attempts: 3, ...overrides };
}

/** Registers the test model under `id` with the given retraining settings and uploads a reference. */
export async function registerModel(t: TestServer, id: string, retraining: unknown): Promise<void> {
  const created = await t.json('/api/v1/models', {
    method: 'POST',
    body: JSON.stringify({ ...modelBody(id), retraining }),
    headers: { 'content-type': 'application/json' },
  });
  expect(created.status).toBe(201);
  const reference = await t.call(`/api/v1/models/${id}/references`, {
    method: 'POST',
    body: toCsv(rows(400, 1)),
    headers: { 'content-type': 'text/csv' },
  });
  expect(reference.status).toBe(201);
}

export function scheduleJob(t: TestServer, modelId: string, body: Record<string, unknown> = {}) {
  return t.json(`/api/v1/models/${modelId}/retrain-jobs`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });
}

export function getJob(t: TestServer, jobId: string) {
  return t.json(`/api/v1/retrain-jobs/${jobId}`);
}

/** Posts a trainer callback signed with `secret` (the trainer's by default) at `signedAtMs`, without a bearer token. */
export function callback(
  t: TestServer,
  jobId: string,
  report: unknown,
  secret = TRAINER_SECRET,
  signedAtMs = Date.now()
) {
  const body = JSON.stringify(report);
  const path = `/api/v1/retrain-jobs/${jobId}/callback`;
  return t.json(path, {
    method: 'POST',
    token: null,
    body,
    headers: {
      'content-type': 'application/json',
      ...signatureHeaders(secret, { method: 'POST', path, job: jobId, body }, signedAtMs),
    },
  });
}

/** Polls until `probe` returns a value, or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The job once its status is `status`. */
export function jobWithStatus(t: TestServer, jobId: string, status: string, timeoutMs?: number) {
  return eventually(
    async () => {
      const { body } = await getJob(t, jobId);
      return body.status === status ? body : undefined;
    },
    `job ${jobId} to become ${status}`,
    timeoutMs
  );
}
