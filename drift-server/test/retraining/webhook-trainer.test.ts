import { rows, toCsv } from '../api/data';
import { startTestServer, TestServer, TOKENS } from '../api/harness';
import {
  callback,
  FAST_RUNNER,
  getJob,
  jobWithStatus,
  registerModel,
  scheduleJob,
  TRAINER_SECRET,
  webhookTrainer,
} from './support';
import { FakeTrainer, startFakeTrainer } from './trainer-server';

describe('retraining through a webhook trainer', () => {
  let t: TestServer;
  let trainer: FakeTrainer;

  beforeAll(async () => {
    trainer = await startFakeTrainer(TRAINER_SECRET);
    t = await startTestServer(FAST_RUNNER);
  });
  afterAll(async () => {
    await t.stop();
    await trainer.close();
  });

  it('delivers a signed payload, and the trainer’s callbacks move the job to succeeded with a new reference version', async () => {
    await registerModel(t, 'happy', { policy: 'manual', trainer: webhookTrainer(trainer.url) });
    const scheduled = await scheduleJob(t, 'happy', {
      reason: 'income drifted',
      from: '2026-03-01T00:00:00Z',
      to: '2026-03-08T00:00:00Z',
    });
    expect(scheduled.status).toBe(201);
    expect(scheduled.response.headers.get('location')).toBe(`/api/v1/retrain-jobs/${scheduled.body.id}`);
    expect(scheduled.body).toMatchObject({
      model_id: 'happy',
      status: 'scheduled',
      trigger: 'manual',
      reason: 'income drifted',
      requested_by: 'admin',
      reference_version: 1,
      new_reference_version: null,
    });

    const dispatched = await jobWithStatus(t, scheduled.body.id, 'dispatched');
    expect(dispatched.attempts).toBe(1);
    expect(dispatched.started_at).not.toBeNull();
    const [delivery] = trainer.of(scheduled.body.id);
    expect(trainer.of(scheduled.body.id)).toHaveLength(1);
    expect(delivery.signatureValid).toBe(true);
    expect(delivery.headers['content-type']).toBe('application/json');
    expect(Number(delivery.headers['x-driftguard-timestamp'])).toBeGreaterThan(
      Date.parse(scheduled.body.created_at) - 1
    );
    expect(delivery.headers['x-driftguard-attempt']).toBe('1');
    expect(delivery.body).toEqual({
      job_id: scheduled.body.id,
      model_id: 'happy',
      reference_version: 1,
      window: { from: '2026-03-01T00:00:00.000Z', to: '2026-03-08T00:00:00.000Z' },
      reason: 'income drifted',
      trigger: 'manual',
      callback_url: `${t.server.url}/api/v1/retrain-jobs/${scheduled.body.id}/callback`,
      sent_at: expect.any(String),
    });

    const running = await callback(t, scheduled.body.id, { status: 'running', message: 'epoch 1 of 3' });
    expect(running.status).toBe(200);
    expect(running.body).toMatchObject({ status: 'running', message: 'epoch 1 of 3', finished_at: null });
    expect((await callback(t, scheduled.body.id, { status: 'running', message: 'epoch 2 of 3' })).body.message).toBe(
      'epoch 2 of 3'
    );

    const succeeded = await callback(t, scheduled.body.id, {
      status: 'succeeded',
      message: 'trained',
      reference: { format: 'csv', data: toCsv(rows(300, 7)) },
    });
    expect(succeeded.status).toBe(200);
    expect(succeeded.body).toMatchObject({ status: 'succeeded', new_reference_version: 2 });
    expect(succeeded.body.message).toMatch(/^trained; .*reference version 2/);
    expect(succeeded.body.finished_at).not.toBeNull();
    const versions = await t.json('/api/v1/models/happy/references');
    expect(
      versions.body.versions.map((version: { version: number; row_count: number }) => [
        version.version,
        version.row_count,
      ])
    ).toEqual([
      [1, 400],
      [2, 300],
    ]);

    // A finished job takes no more reports: 409, and nothing changes.
    const late = await callback(t, scheduled.body.id, { status: 'failed', message: 'oops' });
    expect(late.status).toBe(409);
    expect(late.response.headers.get('content-type')).toBe('application/problem+json');
    expect(late.body.detail).toMatch(/succeeded/);
    expect((await getJob(t, scheduled.body.id)).body).toEqual(succeeded.body);
    expect(trainer.of(scheduled.body.id)).toHaveLength(1);
  });

  it('refuses callbacks that are unsigned, signed with another secret or malformed, leaving the job as it was', async () => {
    await registerModel(t, 'guarded', { policy: 'manual', trainer: webhookTrainer(trainer.url) });
    const { body: job } = await scheduleJob(t, 'guarded');
    const dispatched = await jobWithStatus(t, job.id, 'dispatched');

    const forged = await callback(t, job.id, { status: 'succeeded' }, 'some-other-secret-0123456789');
    expect(forged.status).toBe(401);
    expect(forged.response.headers.get('content-type')).toBe('application/problem+json');
    const unsigned = await t.json(`/api/v1/retrain-jobs/${job.id}/callback`, {
      method: 'POST',
      token: null,
      body: JSON.stringify({ status: 'failed' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(unsigned.status).toBe(401);
    const illegal = await callback(t, job.id, { status: 'cancelled' });
    expect(illegal.status).toBe(400);
    const badRows = await callback(t, job.id, {
      status: 'succeeded',
      reference: { format: 'csv', data: 'no_such_column\n1\n' },
    });
    expect(badRows.status).toBe(400);
    expect(badRows.body.type).toMatch(/invalid-data$/);
    const referenceWithFailure = await callback(t, job.id, {
      status: 'failed',
      reference: { url: 'https://example.com/ref.csv' },
    });
    expect(referenceWithFailure.status).toBe(400);

    expect((await getJob(t, job.id)).body).toEqual(dispatched);
    expect((await t.json('/api/v1/models/guarded/references')).body.versions).toHaveLength(1);
    expect((await callback(t, job.id, { status: 'failed', message: 'out of memory' })).body).toMatchObject({
      status: 'failed',
      message: 'out of memory',
    });
  });

  it('retries a trainer answering 500 with growing, jittered delays and records the attempts', async () => {
    trainer.answer('flaky', { status: 500 }, { status: 503 });
    await registerModel(t, 'flaky', { policy: 'manual', trainer: webhookTrainer(trainer.url, { max_attempts: 4 }) });
    const { body: job } = await scheduleJob(t, 'flaky');
    const dispatched = await jobWithStatus(t, job.id, 'dispatched');
    expect(dispatched.attempts).toBe(3);

    const deliveries = trainer.of(job.id);
    expect(deliveries.map((delivery) => delivery.headers['x-driftguard-attempt'])).toEqual(['1', '2', '3']);
    expect(deliveries.every((delivery) => delivery.signatureValid)).toBe(true);
    // Backoff base 150 ms: the delay before attempt n+1 is 150·2^(n−1) scaled by a jitter factor in [0.5, 1].
    expect(deliveries[1].receivedMs - deliveries[0].receivedMs).toBeGreaterThanOrEqual(75);
    expect(deliveries[2].receivedMs - deliveries[1].receivedMs).toBeGreaterThanOrEqual(150);
  });

  it('fails a job after max_attempts with the last error, and at once on a 4xx', async () => {
    trainer.answer('broken', { status: 500 }, { status: 500 }, { status: 502 });
    trainer.answer('refusing', { status: 422 });
    await registerModel(t, 'broken', { policy: 'manual', trainer: webhookTrainer(trainer.url, { max_attempts: 3 }) });
    await registerModel(t, 'refusing', { policy: 'manual', trainer: webhookTrainer(trainer.url, { max_attempts: 3 }) });
    const { body: broken } = await scheduleJob(t, 'broken');
    const { body: refused } = await scheduleJob(t, 'refusing');

    const failed = await jobWithStatus(t, broken.id, 'failed');
    expect(failed.attempts).toBe(3);
    expect(failed.message).toMatch(/gave up after 3 attempt\(s\): the trainer answered HTTP 502/);
    expect(trainer.of(broken.id)).toHaveLength(3);

    const refusal = await jobWithStatus(t, refused.id, 'failed');
    expect(refusal.attempts).toBe(1);
    expect(refusal.message).toMatch(/refused the job: HTTP 422/);
    expect(trainer.of(refused.id)).toHaveLength(1);
  });

  it('gives up on a trainer that does not answer within timeout_ms and retries it', async () => {
    trainer.answer('slow', { status: 202, delayMs: 1500 }, { status: 202, delayMs: 1500 });
    await registerModel(t, 'slow', {
      policy: 'manual',
      trainer: webhookTrainer(trainer.url, { timeout_ms: 200, max_attempts: 2 }),
    });
    const { body: job } = await scheduleJob(t, 'slow');
    const failed = await jobWithStatus(t, job.id, 'failed');
    expect(failed.attempts).toBe(2);
    expect(failed.message).toMatch(/did not answer within 200 ms/);
    expect(trainer.of(job.id)).toHaveLength(2);
  });

  it('cancels an active job once (409 after), never sends it, and needs scope operate', async () => {
    await registerModel(t, 'later', { policy: 'manual', trainer: webhookTrainer(trainer.url) });
    const { body: job } = await scheduleJob(t, 'later', { scheduled_for: Date.now() + 3_600_000 });
    const cancelAs = (token: string) => t.json(`/api/v1/retrain-jobs/${job.id}/cancel`, { method: 'POST', token });
    expect((await cancelAs(TOKENS.read)).status).toBe(403);
    const cancelled = await cancelAs(TOKENS.admin);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', message: 'cancelled by admin' });
    expect(cancelled.body.finished_at).not.toBeNull();
    const again = await cancelAs(TOKENS.admin);
    expect(again.status).toBe(409);
    expect(again.body.detail).toMatch(/cancelled; it cannot become cancelled/);
    expect(trainer.of(job.id)).toHaveLength(0);
    // A callback for a job never sent is refused too.
    expect((await callback(t, job.id, { status: 'running' })).status).toBe(409);
  });

  it('keeps one active job per model under concurrent requests, and a new one once it ended', async () => {
    await registerModel(t, 'busy', { policy: 'manual', trainer: webhookTrainer(trainer.url) });
    const responses = await Promise.all(
      Array.from({ length: 12 }, () => scheduleJob(t, 'busy', { scheduled_for: Date.now() + 3_600_000 }))
    );
    expect(responses.filter((response) => response.status === 201)).toHaveLength(1);
    expect(responses.filter((response) => response.status === 200)).toHaveLength(11);
    const ids = new Set(responses.map((response) => response.body.id));
    expect(ids.size).toBe(1);
    const [id] = ids;
    expect(
      responses.every((response) => response.response.headers.get('location') === `/api/v1/retrain-jobs/${id}`)
    ).toBe(true);
    expect((await t.json('/api/v1/models/busy/retrain-jobs')).body.jobs.map((job: { id: string }) => job.id)).toEqual([
      id,
    ]);

    await t.json(`/api/v1/retrain-jobs/${id}/cancel`, { method: 'POST' });
    const next = await scheduleJob(t, 'busy', { scheduled_for: Date.now() + 3_600_000 });
    expect(next.status).toBe(201);
    const listed = await t.json('/api/v1/models/busy/retrain-jobs');
    expect(listed.body.jobs.map((job: { id: string; status: string }) => [job.id, job.status])).toEqual([
      [next.body.id, 'scheduled'],
      [id, 'cancelled'],
    ]);
    expect((await t.json('/api/v1/models/busy/retrain-jobs?status=cancelled')).body.jobs).toHaveLength(1);
    const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
    const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
    expect(
      (await t.json(`/api/v1/models/busy/retrain-jobs?from=${hourAgo}&to=${inAnHour}&limit=1`)).body.jobs.map(
        (job: { id: string }) => job.id
      )
    ).toEqual([next.body.id]);
    expect((await t.json(`/api/v1/models/busy/retrain-jobs?from=${inAnHour}`)).body.jobs).toEqual([]);
    expect((await t.json(`/api/v1/models/busy/retrain-jobs?to=${hourAgo}`)).body.jobs).toEqual([]);
  });

  it('answers unknown models and jobs with 404 and bad requests with 400, storing nothing', async () => {
    expect((await scheduleJob(t, 'nobody')).status).toBe(404);
    expect((await t.json('/api/v1/retrain-jobs/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    await registerModel(t, 'strict', { policy: 'manual', trainer: null });
    const inverted = await scheduleJob(t, 'strict', { from: '2026-03-08T00:00:00Z', to: '2026-03-01T00:00:00Z' });
    expect(inverted.status).toBe(400);
    expect((await scheduleJob(t, 'strict', { when: 'now' })).status).toBe(400);
    expect((await scheduleJob(t, 'strict', { scheduled_for: 'tomorrow-ish' })).status).toBe(400);
    expect((await t.json('/api/v1/models/strict/retrain-jobs')).body.jobs).toEqual([]);
    // A job for a model without a trainer fails at dispatch, saying why.
    const { body: job } = await scheduleJob(t, 'strict');
    expect((await jobWithStatus(t, job.id, 'failed')).message).toMatch(/no trainer/);
  });
});
