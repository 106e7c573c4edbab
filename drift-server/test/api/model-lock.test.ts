import { lockHolder } from '../support/lock-holder';
import { modelBody, rows, toCsv } from './data';
import { startTestServer, TestServer } from './harness';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const json = { 'content-type': 'application/json' };

describe("a model's definition changes under the model's lock", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.stop());

  it('a bucket change waits for the reference upload under way, then is refused because that reference froze the bins', async () => {
    const id = 'locked-buckets';
    expect(
      (await t.json('/api/v1/models', { method: 'POST', headers: json, body: JSON.stringify(modelBody(id)) })).status
    ).toBe(201);
    const reference = lockHolder(t, id, toCsv(rows(300, 3)), { resource: 'references', contentType: 'text/csv' });
    await sleep(400);
    let settled = false;
    const change = t
      .json(`/api/v1/models/${id}`, { method: 'PATCH', headers: json, body: JSON.stringify({ buckets: 5 }) })
      .finally(() => (settled = true));
    await sleep(400);
    // Without the lock the change committed here, before the reference that froze 10 buckets.
    expect(settled).toBe(false);

    reference.release();
    expect((await reference.answer).status).toBe(201);
    const refused = await change;
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/buckets cannot change after a reference version froze the bins/);
    expect((await t.json(`/api/v1/models/${id}`)).body.buckets).toBe(10);
  });
});
