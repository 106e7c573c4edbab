import { lockHolder } from '../support/lock-holder';
import { modelBody, rows, toCsv, toNdjson } from './data';
import { startTestServer, TestServer } from './harness';

const APRIL = Date.UTC(2026, 3, 1);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('/healthz', () => {
  let t: TestServer;
  const models = ['health-a', 'health-b', 'health-c'];

  beforeAll(async () => {
    // The harness's pool has 3 connections: one upload per model holds each of them.
    t = await startTestServer();
    for (const id of models) {
      await t.json('/api/v1/models', {
        method: 'POST',
        body: JSON.stringify(modelBody(id)),
        headers: { 'content-type': 'application/json' },
      });
      const reference = await t.call(`/api/v1/models/${id}/references`, {
        method: 'POST',
        body: toCsv(rows(200, 1)),
        headers: { 'content-type': 'text/csv' },
      });
      expect(reference.status).toBe(201);
    }
  });
  afterAll(() => t.stop());

  it('answers from its background probe while every pooled connection is held and reads queue for one', async () => {
    const holders = models.map((id) =>
      lockHolder(t, id, toNdjson(rows(100, 2, { startMs: APRIL, idPrefix: `held-${id}` })))
    );
    await sleep(500);
    let readSettled = false;
    const read = t.call('/api/v1/models/health-a').finally(() => (readSettled = true));
    await sleep(300);
    // The precondition: the pool is exhausted, so a read waits.
    expect(readSettled).toBe(false);

    const health = await t.json('/healthz', { token: null, signal: AbortSignal.timeout(10_000) });
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok' });
    expect(health.body.database_checked_ms_ago).toBeGreaterThanOrEqual(0);
    expect(readSettled).toBe(false);

    for (const holder of holders) holder.release();
    for (const holder of holders) expect((await holder.answer).status).toBe(201);
    expect((await read).status).toBe(200);
  });

  it('says how long ago the database last answered, within the probe interval', async () => {
    const { status, body } = await t.json('/healthz', { token: null });
    expect(status).toBe(200);
    // One probe a second: the last answer is never much older than that on an idle server.
    expect(body.database_checked_ms_ago).toBeLessThan(5000);
  });
});
