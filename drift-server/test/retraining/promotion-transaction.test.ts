import type { LogFields } from '../../src/logger';
import { rows, toNdjson } from '../api/data';
import { startTestServer, TestServer } from '../api/harness';
import { lockHolder } from '../support/lock-holder';
import { eventually, FAST_RUNNER, jobWithStatus, registerModel, scheduleJob } from './support';

const APRIL = Date.UTC(2026, 3, 1);

describe('the simulated trainer’s promotion (#15)', () => {
  let t: TestServer;
  const lines: LogFields[] = [];
  const record =
    (level: string) =>
    (message: string, fields: LogFields = {}) =>
      void lines.push({ level, message, ...fields });
  beforeAll(async () => {
    t = await startTestServer(FAST_RUNNER, {}, { info: record('info'), error: record('error') });
    await registerModel(t, 'promoted', { policy: 'manual', trainer: { kind: 'simulated', delay_ms: 0 } });
    const batch = await t.json('/api/v1/models/promoted/predictions', {
      method: 'POST',
      body: toNdjson(rows(500, 2, { startMs: APRIL })),
      headers: { 'content-type': 'application/x-ndjson' },
    });
    expect(batch.status).toBe(201);
  });
  afterAll(() => t.stop());

  it('stores the new reference version and the job’s success in one transaction: a job cancelled meanwhile gets no reference', async () => {
    // A streamed upload holds the model's lock, so the trainer waits for it with the job running.
    const { answer: holder, release } = lockHolder(
      t,
      'promoted',
      toNdjson(rows(100, 3, { startMs: APRIL, idPrefix: 'held' }))
    );
    const { body: job } = await scheduleJob(t, 'promoted', { from: APRIL, to: APRIL + 86_400_000 });
    await jobWithStatus(t, job.id, 'running');
    expect((await t.json(`/api/v1/retrain-jobs/${job.id}/cancel`, { method: 'POST' })).status).toBe(200);
    release();
    expect((await holder).status).toBe(201);
    await eventually(
      async () =>
        lines.find(
          (line) =>
            line.job_id === job.id &&
            /moved on while the simulated trainer worked|simulated trainer failed/.test(String(line.message))
        ),
      'the trainer to give up'
    );
    expect((await t.json('/api/v1/models/promoted/references')).body.versions).toHaveLength(1);
    expect((await t.json(`/api/v1/retrain-jobs/${job.id}`)).body).toMatchObject({
      status: 'cancelled',
      new_reference_version: null,
    });
  });
});
