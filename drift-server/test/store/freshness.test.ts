import { modelBody, rows, toNdjson } from '../api/data';
import { startTestServer, TestServer, TOKENS } from '../api/harness';
import { MINUTE_MS } from '../../src/time';

const NDJSON = { 'content-type': 'application/x-ndjson' };
const START_MS = Date.UTC(2026, 2, 1, 8);

describe('store.freshness: the newest prediction and the newest labelled one', () => {
  let t: TestServer;
  const post = async (path: string, data: ReadonlyArray<Record<string, unknown>>) => {
    const response = await t.call(`/api/v1/models/credit-risk/${path}`, {
      method: 'POST',
      body: toNdjson(data),
      headers: NDJSON,
      token: TOKENS.admin,
    });
    expect([path, response.status]).toEqual([path, 201]);
  };
  const freshness = () => t.server.store.freshness.of('credit-risk');

  beforeAll(async () => {
    t = await startTestServer();
    expect(
      (
        await t.call('/api/v1/models', {
          method: 'POST',
          body: JSON.stringify(modelBody()),
          headers: { 'content-type': 'application/json' },
        })
      ).status
    ).toBe(201);
    await post('references', rows(500, 1));
  });
  afterAll(() => t.stop());

  it('is null for both before the first prediction', async () => {
    expect(await freshness()).toEqual({ newestPredictionMs: null, newestLabelledMs: null });
  });

  it('follows predictions by their own timestamps, labelled ones given with their label or sent later', async () => {
    // Two hours of predictions a minute apart, without labels.
    await post(
      'predictions',
      rows(120, 2, { startMs: START_MS, stepMs: MINUTE_MS }).map((row) => ({ ...row, label: null }))
    );
    expect(await freshness()).toEqual({ newestPredictionMs: START_MS + 119 * MINUTE_MS, newestLabelledMs: null });
    // Labels arrive for the first half hour; an older batch arriving late does not move the newest prediction.
    await post(
      'labels',
      Array.from({ length: 30 }, (_, index) => ({ prediction_id: `p${index}`, label: index % 2 }))
    );
    await post('predictions', rows(10, 3, { startMs: START_MS - 600 * MINUTE_MS, idPrefix: 'late' }));
    expect(await freshness()).toEqual({
      newestPredictionMs: START_MS + 119 * MINUTE_MS,
      newestLabelledMs: START_MS + 29 * MINUTE_MS,
    });
    // A batch carrying its labels.
    await post('predictions', rows(5, 4, { startMs: START_MS + 200 * MINUTE_MS, idPrefix: 'inline' }));
    expect(await freshness()).toEqual({
      newestPredictionMs: START_MS + 204 * MINUTE_MS,
      newestLabelledMs: START_MS + 204 * MINUTE_MS,
    });
  });

  it('falls back to the start of the newest hour once retention has purged the raw rows', async () => {
    await t.server.store.purgeRawRows(1, START_MS + 400 * MINUTE_MS + 86_400_000);
    const newestHour = Math.floor((START_MS + 204 * MINUTE_MS) / 3_600_000) * 3_600_000;
    expect(await freshness()).toEqual({ newestPredictionMs: newestHour, newestLabelledMs: newestHour });
  });
});
