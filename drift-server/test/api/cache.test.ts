import { MODEL_ID, modelBody, rows, toCsv, toNdjson } from './data';
import { startServerWithModel, TestServer } from './harness';

const HOUR = 3_600_000;
const DAY_START = Date.UTC(2026, 5, 1);

describe('cached drift results', () => {
  let t: TestServer;
  const post = (path: string, body: string, type: string) =>
    t.json(path, { method: 'POST', body, headers: { 'content-type': type } });
  const window = `from=${DAY_START}&to=${DAY_START + 24 * HOUR}`;

  beforeAll(async () => {
    t = await startServerWithModel(toNdjson(rows(100, 2, { startMs: DAY_START })));
  });
  afterAll(() => t.stop());

  it('serves repeated queries identically and recomputes after every kind of write', async () => {
    const summary = async () => (await t.json(`/api/v1/models/${MODEL_ID}/summary?${window}`)).body;
    const trends = async () => (await t.json(`/api/v1/models/${MODEL_ID}/trends?${window}&interval=1d`)).body;
    const first = await summary();
    expect(await summary()).toEqual(first);
    expect(first.total_predictions).toBe(100);
    const trendsBefore = await trends();

    await post(
      `/api/v1/models/${MODEL_ID}/predictions`,
      toNdjson(rows(50, 3, { startMs: DAY_START + HOUR, idPrefix: 'q' })),
      'application/x-ndjson'
    );
    expect((await summary()).total_predictions).toBe(150);
    expect((await trends()).volume[0].predictions).toBe(trendsBefore.volume[0].predictions + 50);

    const features = modelBody().features.map((feature) => ({
      ...feature,
      importance: feature.name === 'income' ? 0 : 1,
    }));
    await t.json(`/api/v1/models/${MODEL_ID}`, {
      method: 'PATCH',
      body: JSON.stringify({ features }),
      headers: { 'content-type': 'application/json' },
    });
    const reweighted = await summary();
    const psi = reweighted.features
      .filter((feature: { feature: string }) => feature.feature !== 'income')
      .map((feature: { psi: number }) => feature.psi);
    expect(reweighted.average_drift_score).toBeCloseTo(psi.reduce((a: number, b: number) => a + b, 0) / psi.length, 12);

    await post(`/api/v1/models/${MODEL_ID}/references`, toCsv(rows(300, 4, { shift: 1 })), 'text/csv');
    expect((await summary()).baseline.version).toBe(2);

    await t.json(`/api/v1/models/${MODEL_ID}`, { method: 'DELETE' });
    expect((await t.json(`/api/v1/models/${MODEL_ID}/summary?${window}`)).status).toBe(404);
  });
});
