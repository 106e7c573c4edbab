import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config';
import { Store } from '../../src/store';
import { startTestServer, TestServer } from '../api/harness';
import {
  callback,
  eventually,
  getJob,
  jobWithStatus,
  registerModel,
  scheduleJob,
  TRAINER_SECRET,
  webhookTrainer,
} from './support';
import { FakeTrainer, startFakeTrainer } from './trainer-server';

/** Retries wait 1–2 s, long enough to restart the server in between. */
const SLOW_BACKOFF = { DRIFTGUARD_RETRAIN_POLL_MS: '20', DRIFTGUARD_RETRAIN_BACKOFF_MS: '2000' };

describe('retrain jobs across a restart', () => {
  const directory = mkdtempSync(join(tmpdir(), 'driftguard-retrain-restart-'));
  const dbPath = join(directory, 'drift.duckdb');
  let trainer: FakeTrainer;
  const servers: TestServer[] = [];
  const start = async () => {
    const server = await startTestServer(SLOW_BACKOFF, { dbPath });
    servers.push(server);
    return server;
  };

  beforeAll(async () => {
    trainer = await startFakeTrainer(TRAINER_SECRET);
  });
  afterAll(async () => {
    for (const server of servers) await server.stop();
    await trainer.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('loses and repeats no job: scheduled ones stay due, retries keep their backoff, dispatched ones wait for their callback', async () => {
    const first = await start();
    trainer.answer('retrying', { status: 500 });
    for (const id of ['sent', 'later', 'retrying'])
      await registerModel(first, id, { policy: 'manual', trainer: webhookTrainer(trainer.url) });
    const { body: sent } = await scheduleJob(first, 'sent');
    const { body: retrying } = await scheduleJob(first, 'retrying');
    const { body: later } = await scheduleJob(first, 'later', { scheduled_for: Date.now() + 6000 });
    await jobWithStatus(first, sent.id, 'dispatched');
    await eventually(
      async () =>
        (await getJob(first, retrying.id)).body.message?.startsWith('attempt 1 of 3 failed') ? true : undefined,
      'the first failed attempt'
    );
    await first.stop();
    expect(trainer.of(later.id)).toHaveLength(0);
    expect(trainer.of(retrying.id)).toHaveLength(1);

    const second = await start();
    const listed = async (modelId: string) =>
      (await second.json(`/api/v1/models/${modelId}/retrain-jobs`)).body.jobs.map((job: { id: string }) => job.id);
    expect((await getJob(second, sent.id)).body.status).toBe('dispatched');
    expect((await getJob(second, later.id)).body.status).toBe('scheduled');

    const retried = await jobWithStatus(second, retrying.id, 'dispatched');
    expect(retried.attempts).toBe(2);
    const [failedAttempt, acceptedAttempt] = trainer.of(retrying.id);
    // The stored next-attempt time survived the restart: at least half the 2 s base delay passed.
    expect(acceptedAttempt.receivedMs - failedAttempt.receivedMs).toBeGreaterThanOrEqual(1000);
    const due = await jobWithStatus(second, later.id, 'dispatched');
    expect(Date.parse(due.started_at)).toBeGreaterThanOrEqual(Date.parse(later.scheduled_for));

    // The trainer that got `sent` before the restart reports to the new process.
    expect(
      (
        await callback(second, sent.id, {
          status: 'succeeded',
          reference: { url: 'https://models.example.com/credit/v2' },
        })
      ).body
    ).toMatchObject({
      status: 'succeeded',
      message: 'the trainer reported succeeded; new reference data at https://models.example.com/credit/v2',
    });

    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(trainer.of(sent.id)).toHaveLength(1);
    expect(trainer.of(later.id)).toHaveLength(1);
    expect(trainer.of(retrying.id)).toHaveLength(2);
    expect(trainer.deliveries.filter((delivery) => delivery.headers['x-driftguard-attempt'] !== '1')).toHaveLength(1);
    for (const [modelId, job] of [
      ['sent', sent],
      ['later', later],
      ['retrying', retrying],
    ] as const)
      expect(await listed(modelId)).toEqual([job.id]);
    await second.stop();
  });

  it('fails, without sending again, a delivery cut off by a crash and a simulated training that died with the process', async () => {
    const first = await start();
    await registerModel(first, 'cut-off', { policy: 'manual', trainer: webhookTrainer(trainer.url) });
    await registerModel(first, 'simulated', { policy: 'manual', trainer: { kind: 'simulated', delay_ms: 0 } });
    await registerModel(first, 'waiting', { policy: 'manual', trainer: webhookTrainer(trainer.url) });
    const farFuture = Date.now() + 86_400_000;
    const { body: cutOff } = await scheduleJob(first, 'cut-off', { scheduled_for: farFuture });
    const { body: simulated } = await scheduleJob(first, 'simulated', { scheduled_for: farFuture + 1 });
    const { body: waiting } = await scheduleJob(first, 'waiting', { scheduled_for: farFuture + 2 });
    await first.stop();

    // What a process killed mid-work leaves behind: a claimed delivery, a simulated job under way.
    const store = await Store.open(loadConfig({}, { dbPath }));
    const claimed = await store.retrainJobs.claimDue('runner-that-died', farFuture + 2, 10);
    expect(claimed.map((job) => job.id).sort()).toEqual([cutOff.id, simulated.id, waiting.id].sort());
    await store.retrainJobs.transition(simulated.id, 'dispatched', { trainerKind: 'simulated', message: 'promoting' });
    await store.retrainJobs.transition(simulated.id, 'running', { message: 'promoting' });
    await store.retrainJobs.transition(waiting.id, 'dispatched', {
      trainerKind: 'webhook',
      message: 'the trainer accepted the job',
    });
    await store.close();

    const second = await start();
    const interrupted = (await getJob(second, cutOff.id)).body;
    expect(interrupted).toMatchObject({ status: 'failed', attempts: 1 });
    expect(interrupted.message).toMatch(/stopped while delivering .* not sent again/);
    const dead = (await getJob(second, simulated.id)).body;
    expect(dead.status).toBe('failed');
    expect(dead.message).toMatch(/simulated trainer .* not resumed/);
    expect((await getJob(second, waiting.id)).body.status).toBe('dispatched');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(trainer.of(cutOff.id)).toHaveLength(0);
    expect((await second.json('/api/v1/models/simulated/references')).body.versions).toHaveLength(1);
    await second.stop();
  });
});
