import type { LogFields } from '../../src/logger';
import { lockHolder } from '../support/lock-holder';
import { cutUpload } from '../support/raw-http';
import { MODEL_ID, modelBody, rows, toCsv, toNdjson } from './data';
import { startTestServer, TestServer, TOKENS } from './harness';

const APRIL = Date.UTC(2026, 3, 1);
const WINDOW = `from=${Date.UTC(2026, 2, 1)}&to=${Date.UTC(2026, 5, 1)}`;

describe('an upload whose client goes away', () => {
  let t: TestServer;
  const lines: LogFields[] = [];
  const logger = {
    info: (message: string, fields: LogFields = {}) => lines.push({ level: 'info', message, ...fields }),
    error: (message: string, fields: LogFields = {}) => lines.push({ level: 'error', message, ...fields }),
  };
  const predictions = async () =>
    (await t.json(`/api/v1/models/${MODEL_ID}/summary?${WINDOW}`)).body.total_predictions as number;

  beforeAll(async () => {
    t = await startTestServer({}, {}, logger);
    await t.json('/api/v1/models', {
      method: 'POST',
      body: JSON.stringify(modelBody()),
      headers: { 'content-type': 'application/json' },
    });
    expect(
      (
        await t.call(`/api/v1/models/${MODEL_ID}/references`, {
          method: 'POST',
          body: toCsv(rows(300, 1)),
          headers: { 'content-type': 'text/csv' },
        })
      ).status
    ).toBe(201);
  });
  afterAll(() => t.stop());

  const body = Buffer.from(toCsv(rows(5_000, 2, { startMs: APRIL, idPrefix: 'cut' })));
  const cases = [0, 0.1, 0.5, 0.999].flatMap((fraction) =>
    (['close', 'half-close'] as const).flatMap((ending) =>
      [false, true].map((chunked) => ({ fraction, ending, chunked, holdMs: chunked ? 150 : 0 }))
    )
  );

  it('is never stored, whether it waited for the model lock or not, and the full retry with the same key is stored once (#1, #2)', async () => {
    const holder = lockHolder(t, MODEL_ID, toNdjson(rows(200, 3, { startMs: APRIL, idPrefix: 'holder' })));
    const waiting = cases.map(({ fraction, ending, chunked, holdMs }, index) =>
      cutUpload({
        url: t.server.url,
        path: `/api/v1/models/${MODEL_ID}/predictions`,
        headers: {
          authorization: `Bearer ${TOKENS.ingest}`,
          'content-type': 'text/csv',
          'idempotency-key': `cut-${index}`,
        },
        body,
        sendBytes: Math.floor(body.length * fraction),
        ending,
        chunked,
        holdMs,
      })
    );
    await Promise.all(waiting.map((outcome) => outcome.cut));
    // Let the server see every cut while the uploads still wait for the lock.
    await new Promise((resolve) => setTimeout(resolve, 300));
    holder.release();
    expect((await holder.answer).status).toBe(201);
    await Promise.all(waiting.map((outcome) => outcome.answer));
    // And cut uploads that found the lock free.
    for (const [index, { fraction, ending, chunked }] of cases.entries()) {
      await cutUpload({
        url: t.server.url,
        path: `/api/v1/models/${MODEL_ID}/predictions`,
        headers: {
          authorization: `Bearer ${TOKENS.ingest}`,
          'content-type': 'text/csv',
          'idempotency-key': `cut-${index}`,
        },
        body,
        sendBytes: Math.floor(body.length * fraction),
        ending,
        chunked,
      }).answer;
    }
    expect(await predictions()).toBe(200);
    for (const index of cases.keys()) {
      const retry = await t.json(`/api/v1/models/${MODEL_ID}/predictions`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'text/csv', 'idempotency-key': `cut-${index}` },
      });
      expect([index, retry.status, retry.body.rows]).toEqual([index, 201, 5_000]);
    }
    expect(await predictions()).toBe(200 + cases.length * 5_000);
  }, 240_000);

  it('is logged as a 499 without a stack trace and counted as 499 in the request metrics, never as a 500 (#10)', async () => {
    lines.length = 0;
    const answer = await cutUpload({
      url: t.server.url,
      path: `/api/v1/models/${MODEL_ID}/predictions`,
      headers: { authorization: `Bearer ${TOKENS.ingest}`, 'content-type': 'text/csv' },
      body,
      sendBytes: 5000,
      ending: 'close',
    }).answer;
    expect(answer).toBe('');
    const logged = async () => lines.find((line) => line.message === 'request' && line.method === 'POST');
    for (let wait = 0; wait < 100 && !(await logged()); wait += 1)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await logged()).toMatchObject({ status: 499, path: `/api/v1/models/${MODEL_ID}/predictions` });
    expect(lines.filter((line) => line.level === 'error')).toEqual([]);
    const metrics = await (await t.call('/metrics')).text();
    expect(metrics).toMatch(
      /driftguard_http_requests_total\{method="POST",route="\/api\/v1\/models\/:modelId\/predictions",status="499"\} [1-9]/
    );
    expect(metrics).not.toMatch(/status="500"/);
  });
});
