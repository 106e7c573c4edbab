import { MODEL_ID, modelBody } from './data';
import { startTestServer, TestServer } from './harness';

// Every route taking a window or list bounds parses them in one place (api/schemas/common.ts):
// the same refusal, word for word, wherever the query is given.
describe('window and bounds queries', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    const created = await t.json('/api/v1/models', {
      method: 'POST',
      body: JSON.stringify(modelBody()),
      headers: { 'content-type': 'application/json' },
    });
    expect(created.status).toBe(201);
  });
  afterAll(() => t.stop());

  const windowRoutes = ['summary', 'recommendation', 'features/f0', 'trends', 'report.csv', 'report.pdf'].map(
    (route) => `/api/v1/models/${MODEL_ID}/${route}`
  );
  const listRoutes = [`/api/v1/models/${MODEL_ID}/alerts`, `/api/v1/models/${MODEL_ID}/retrain-jobs`, '/api/v1/audit'];

  it.each(windowRoutes)('%s refuses a window that ends before it starts, and a bad baseline', async (route) => {
    const reversed = await t.json(`${route}?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z`);
    expect(reversed.status).toBe(400);
    expect(reversed.body.detail).toBe('from (2026-01-02T00:00:00.000Z) must be before to (2026-01-01T00:00:00.000Z)');
    const baseline = await t.json(`${route}?reference=newest`);
    expect(baseline.status).toBe(400);
    expect(baseline.body.detail).toMatch(/reference/);
  });

  it.each(listRoutes)('%s refuses bounds that end before they start, and a time it cannot read', async (route) => {
    const reversed = await t.json(`${route}?from=2000&to=1000`);
    expect(reversed.status).toBe(400);
    expect(reversed.body.detail).toBe('from must be before to');
    const unreadable = await t.json(`${route}?to=soon`);
    expect(unreadable.status).toBe(400);
    expect(unreadable.body.detail).toBe('to must be an ISO 8601 time or epoch milliseconds, got "soon"');
  });
});
