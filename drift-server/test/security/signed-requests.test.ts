import { signatureHeaders } from '../../src/engine/retraining/signature';
import { startTestServer, TestServer } from '../api/harness';
import {
  callback,
  FAST_RUNNER,
  jobWithStatus,
  registerModel,
  scheduleJob,
  TRAINER_SECRET,
  webhookTrainer,
} from '../retraining/support';
import { FakeTrainer, startFakeTrainer } from '../retraining/trainer-server';
import { rows, toNdjson } from '../api/data';

/** A request as an attacker captured it on the wire: its path, headers and body. */
interface Captured {
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

function signedCallback(jobId: string, report: unknown, signedAtMs = Date.now()): Captured {
  const path = `/api/v1/retrain-jobs/${jobId}/callback`;
  const body = JSON.stringify(report);
  return {
    path,
    body,
    headers: {
      'content-type': 'application/json',
      ...signatureHeaders(TRAINER_SECRET, { method: 'POST', path, job: jobId, body }, signedAtMs),
    },
  };
}

describe('signed trainer callbacks (#6, #11)', () => {
  let t: TestServer;
  let trainer: FakeTrainer;
  const replay = (captured: Captured, path = captured.path) =>
    t.json(path, { method: 'POST', token: null, body: captured.body, headers: captured.headers });
  const versions = async (model: string) =>
    (await t.json(`/api/v1/models/${model}/references`)).body.versions.length as number;

  beforeAll(async () => {
    trainer = await startFakeTrainer(TRAINER_SECRET);
    t = await startTestServer({ ...FAST_RUNNER, DRIFTGUARD_AUTH_FAILURES_PER_MINUTE: '0' });
    for (const model of ['first', 'second'])
      await registerModel(t, model, { policy: 'manual', trainer: webhookTrainer(trainer.url) });
  });
  afterAll(async () => {
    await t.stop();
    await trainer.close();
  });

  const dispatchedJob = async (model: string) => {
    const { body } = await scheduleJob(t, model);
    return (await jobWithStatus(t, body.id, 'dispatched')).id as string;
  };

  it('refuses a signed "succeeded + reference" body of one job replayed against another: no reference version is created', async () => {
    const [jobA, jobB] = [await dispatchedJob('first'), await dispatchedJob('second')];
    const captured = signedCallback(jobA, {
      status: 'succeeded',
      reference: { format: 'ndjson', data: toNdjson(rows(50, 9)) },
    });
    const before = await versions('second');
    const { status, body } = await replay(captured, `/api/v1/retrain-jobs/${jobB}/callback`);
    expect([status, body.type]).toEqual([401, 'https://driftguard.dev/problems/unauthorized']);
    expect(await versions('second')).toBe(before);
    expect((await t.json(`/api/v1/retrain-jobs/${jobB}`)).body.status).toBe('dispatched');
    // The capture is good for its own job only, and only once that job takes the report.
    expect((await replay(captured)).status).toBe(200);
    expect((await t.json(`/api/v1/retrain-jobs/${jobA}`)).body).toMatchObject({
      status: 'succeeded',
      new_reference_version: 2,
    });
    await callback(t, jobB, { status: 'failed' });
  });

  it('refuses a signed {"status":"failed"} of a finished job used to fail a later job', async () => {
    const jobA = await dispatchedJob('first');
    const captured = signedCallback(jobA, { status: 'failed' });
    expect((await replay(captured)).status).toBe(200);
    const jobB = await dispatchedJob('first');
    expect((await replay(captured, `/api/v1/retrain-jobs/${jobB}/callback`)).status).toBe(401);
    expect((await t.json(`/api/v1/retrain-jobs/${jobB}`)).body.status).toBe('dispatched');
    await callback(t, jobB, { status: 'failed' });
  });

  it('refuses a correctly signed callback whose timestamp is more than five minutes old or ahead', async () => {
    const job = await dispatchedJob('first');
    for (const skew of [-301_000, 301_000]) {
      const { status, body } = await replay(signedCallback(job, { status: 'running' }, Date.now() + skew));
      expect([status, body.detail]).toEqual([
        401,
        expect.stringMatching(/X-DriftGuard-Timestamp is more than 5 minutes from the server's clock/),
      ]);
    }
    expect((await replay(signedCallback(job, { status: 'failed' }, Date.now() - 240_000))).status).toBe(200);
  });

  it('answers an unknown job exactly like a known job under a forged signature', async () => {
    const job = await dispatchedJob('first');
    const forged = {
      ...signedCallback(job, { status: 'failed' }),
      headers: {
        ...signedCallback(job, { status: 'failed' }).headers,
        'X-DriftGuard-Signature': `v1=${'0'.repeat(64)}`,
      },
    };
    const unknownJob = '5a1d2c3e-0000-4a43-9d7e-2f5d7f1f0a11';
    const known = await replay(forged);
    const unknown = await replay({ ...signedCallback(unknownJob, { status: 'failed' }) });
    const strip = (answer: { status: number; body: Record<string, unknown> }) => ({
      status: answer.status,
      type: answer.body.type,
      detail: answer.body.detail,
    });
    expect(strip(unknown)).toEqual(strip(known));
    expect(known.status).toBe(401);
    await callback(t, job, { status: 'failed' });
  });

  it('signs every delivery with the same scheme, which a trainer can check over its own path and the job id', () => {
    expect(trainer.deliveries.length).toBeGreaterThan(0);
    expect(trainer.deliveries.every((delivery) => delivery.signatureValid)).toBe(true);
  });
});
