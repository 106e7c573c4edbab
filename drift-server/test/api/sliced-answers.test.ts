import { DriftEngine, modelTrend, parseBaseline, parseInterval, resolveWindow } from '../../src/engine';
import { MODEL_ID, rows, toNdjson } from './data';
import { startServerWithModel, TestServer } from './harness';

const HOUR = 3_600_000;
const DAY_START = Date.UTC(2026, 5, 1);

/**
 * The drift routes write their JSON in time slices (api/sliced-json.ts) and send it a chunk at a
 * time: what the client receives must be exactly what c.json would have sent.
 */
describe('drift answers written in time slices', () => {
  let t: TestServer;

  beforeAll(async () => {
    // Three days of rows every six minutes: 72 hourly points per series, past the long-array rule.
    t = await startServerWithModel(toNdjson(rows(720, 2, { startMs: DAY_START, stepMs: 6 * 60_000, shift: 0.5 })));
  });
  afterAll(() => t.stop());

  it('answers an hourly series=all trend with the JSON of what the engine computes, byte for byte, with its Content-Length', async () => {
    const from = String(DAY_START);
    const to = String(DAY_START + 72 * HOUR);
    const response = await t.call(`/api/v1/models/${MODEL_ID}/trends?from=${from}&to=${to}&interval=1h&series=all`, {
      headers: { 'x-request-id': 'sliced-trend' },
    });
    const received = Buffer.from(await response.arrayBuffer());

    const engine = new DriftEngine(t.server.store);
    const window = resolveWindow(from, to);
    const intervalMs = parseInterval('1h', window);
    const baseline = parseBaseline(undefined);
    const expected = JSON.stringify({
      ...(await engine.trends(MODEL_ID, window, intervalMs, baseline)),
      model: await modelTrend(engine, MODEL_ID, window, intervalMs, baseline),
    });

    expect(response.status).toBe(200);
    expect(JSON.parse(expected).series[0].points).toHaveLength(72);
    expect(received.toString('utf8')).toBe(expected);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(expected)));
    expect(response.headers.get('x-request-id')).toBe('sliced-trend');
  });

  it('answers the summary, a deep dive and the recommendation in JSON.stringify form with their Content-Length', async () => {
    const window = `from=${DAY_START}&to=${DAY_START + 72 * HOUR}`;
    for (const path of [`summary?${window}`, `features/income?${window}`, `recommendation?${window}`]) {
      const response = await t.call(`/api/v1/models/${MODEL_ID}/${path}`);
      const text = await response.text();
      expect(response.status).toBe(200);
      // JSON.stringify's form is canonical: no whitespace, each member once, in order.
      expect(JSON.stringify(JSON.parse(text))).toBe(text);
      expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
      expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});
