import fc from 'fast-check';
import { modelBody, rows, toCsv, toNdjson } from '../api/data';
import { startTestServer, TestServer } from '../api/harness';

/** Seeded, so a failure can be replayed; fewer runs in CI than locally, where DRIFTGUARD_HOSTILE_RUNS can ask for more. */
const RUNS = Number(process.env.DRIFTGUARD_HOSTILE_RUNS ?? (process.env.CI ? 25 : 60));
const SEED = Number(process.env.DRIFTGUARD_HOSTILE_SEED ?? 15);
const APRIL = Date.UTC(2026, 3, 1);
const MODEL = 'hostile';

const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 100 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\ud800',
    '%',
    '..',
    '../..',
    '99999999999999999999',
    '-1',
    '1e400',
    'NaN',
    'Infinity',
    '0x10',
    '9'.repeat(400),
    '{}',
    '[]',
    'null',
    'latest',
    'previous_period'
  )
);
const deepJson = fc.integer({ min: 1, max: 20_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`);
const rowValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  text,
  fc.integer({ min: 1, max: 500 }).map((depth) => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`))
);
/** Rows that look like the model's, with any field replaced by something hostile. */
const hostileRows = fc.array(
  fc.record(
    {
      prediction_id: rowValue,
      timestamp: fc.oneof(rowValue, fc.integer().map(String), fc.double().map(String), fc.bigInt().map(String)),
      income: rowValue,
      region: rowValue,
    },
    { requiredKeys: [] }
  ),
  { maxLength: 5 }
);
const body = fc.oneof(
  fc.uint8Array({ maxLength: 2000 }).map((bytes) => Buffer.from(bytes)),
  text.map((value) => Buffer.from(value)),
  deepJson.map((json) => Buffer.from(`{"prediction_id":"x","income":${json}}\n`)),
  hostileRows.map((data) => Buffer.from(toNdjson(data))),
  hostileRows.map((data) => Buffer.from(JSON.stringify(data))),
  hostileRows.filter((data) => data.length > 0).map((data) => Buffer.from(toCsv(data)))
);

describe('hostile input, property-based', () => {
  let t: TestServer;
  const stored = async () => ({
    predictions: (await t.json(`/api/v1/models/${MODEL}/summary?from=2000-01-01&to=2002-03-01`)).body.total_predictions,
    april: (
      await t.json(`/api/v1/models/${MODEL}/summary?from=${APRIL - 30 * 86_400_000}&to=${APRIL + 60 * 86_400_000}`)
    ).body.total_predictions,
    references: (await t.json(`/api/v1/models/${MODEL}/references`)).body.versions.length,
    models: (await t.json('/api/v1/models')).body.models.length,
  });
  /** A 4xx problem with a detail; a success only where the input was valid. */
  const expectProblem = async (response: Response, accepted: number[] = []) => {
    const answer = await response.text();
    if (accepted.includes(response.status)) return;
    expect([response.status >= 400 && response.status < 500, response.headers.get('content-type'), answer]).toEqual([
      true,
      'application/problem+json',
      expect.stringMatching(/"detail":"[^"]/),
    ]);
  };
  let before: Awaited<ReturnType<typeof stored>>;

  beforeAll(async () => {
    t = await startTestServer({ DRIFTGUARD_AUTH_FAILURES_PER_MINUTE: '0', DRIFTGUARD_QUERY_CACHE_MB: '0' });
    await t.json('/api/v1/models', {
      method: 'POST',
      body: JSON.stringify({ ...modelBody(MODEL), features: modelBody(MODEL).features.slice(0, 3) }),
      headers: { 'content-type': 'application/json' },
    });
    await t.call(`/api/v1/models/${MODEL}/references`, {
      method: 'POST',
      body: toCsv(rows(300, 1).map(({ income, age, region }) => ({ income, age, region }))),
      headers: { 'content-type': 'text/csv' },
    });
    const batch = rows(200, 2, { startMs: APRIL }).map(({ income, age, region, prediction_id, timestamp }) => ({
      income,
      age,
      region,
      prediction_id,
      timestamp,
    }));
    expect(
      (
        await t.call(`/api/v1/models/${MODEL}/predictions`, {
          method: 'POST',
          body: toNdjson(batch),
          headers: { 'content-type': 'application/x-ndjson' },
        })
      ).status
    ).toBe(201);
    before = await stored();
  });
  afterAll(() => t.stop());

  it.each([['text/csv'], ['application/x-ndjson'], ['application/json'], ['application/vnd.apache.parquet']])(
    'every upload parser answers hostile %s bodies with a 4xx problem and stores nothing',
    async (contentType) => {
      await fc.assert(
        fc.asyncProperty(
          body,
          fc.constantFrom('predictions', 'labels', 'references'),
          fc.boolean(),
          async (bytes, kind, gzip) => {
            const headers: Record<string, string> = {
              'content-type': contentType,
              ...(gzip ? { 'content-encoding': 'gzip' } : {}),
            };
            await expectProblem(
              await t.call(`/api/v1/models/${MODEL}/${kind}`, { method: 'POST', body: bytes, headers })
            );
          }
        ),
        { numRuns: RUNS, seed: SEED }
      );
      expect(await stored()).toEqual(before);
    },
    300_000
  );

  it('every query and path parameter of every read answers a hostile value with 200 or a 4xx problem, never a 5xx', async () => {
    const routes: [string, string[]][] = [
      [`/api/v1/models/${MODEL}/summary`, ['from', 'to', 'reference']],
      [`/api/v1/models/${MODEL}/recommendation`, ['from', 'to', 'reference']],
      [`/api/v1/models/${MODEL}/features/income`, ['from', 'to', 'reference']],
      [`/api/v1/models/${MODEL}/trends`, ['from', 'to', 'reference', 'interval', 'features', 'series']],
      [`/api/v1/models/${MODEL}/report.csv`, ['from', 'to', 'reference', 'table']],
      [`/api/v1/models/${MODEL}/alerts`, ['from', 'to', 'limit']],
      [`/api/v1/models/${MODEL}/retrain-jobs`, ['status', 'from', 'to', 'limit']],
      ['/api/v1/audit', ['model', 'from', 'to', 'limit']],
    ];
    const value = fc.oneof(
      text,
      fc.integer().map(String),
      fc.bigInt().map(String),
      fc.double().map(String),
      fc.constantFrom('99999999999999999999h', '8640000000000001', '1e400h', '0h', '-1d', '999999999999999ms')
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.dictionary(
          fc.constantFrom(
            'from',
            'to',
            'reference',
            'interval',
            'features',
            'series',
            'table',
            'limit',
            'status',
            'model'
          ),
          value
        ),
        async ([route, names], given) => {
          const query = new URLSearchParams(Object.entries(given).filter(([name]) => names.includes(name)));
          await expectProblem(await t.call(`${route}?${query}`), [200]);
        }
      ),
      { numRuns: RUNS * 4, seed: SEED }
    );
    const pathRoutes = [
      (v: string) => `/api/v1/models/${v}`,
      (v: string) => `/api/v1/models/${MODEL}/references/${v}`,
      (v: string) => `/api/v1/models/${MODEL}/features/${v}`,
      (v: string) => `/api/v1/retrain-jobs/${v}`,
      (v: string) => `/api/v1/models/${v}/summary`,
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...pathRoutes), fc.oneof(text, fc.bigInt().map(String)), async (route, raw) => {
        await expectProblem(await t.call(route(encodeURIComponent(raw.replace(/\p{Cs}/gu, '\ufffd')))), [200]);
      }),
      { numRuns: RUNS * 2, seed: SEED }
    );
    expect(await stored()).toEqual(before);
  }, 300_000);

  it('every JSON route answers hostile bodies, 20 000 levels deep included, with a 4xx problem unless they are valid', async () => {
    const routes: [string, string][] = [
      ['POST', '/api/v1/models'],
      ['PATCH', `/api/v1/models/${MODEL}`],
      ['POST', '/api/v1/tokens'],
      ['POST', `/api/v1/models/${MODEL}/retrain-jobs`],
      ['POST', '/api/v1/alerts/grafana'],
    ];
    const json = fc.oneof(
      fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
      deepJson,
      text,
      fc
        .record({ scheduled_for: fc.oneof(fc.integer(), fc.double(), fc.constant(8640000000000001), text) })
        .map((value) => JSON.stringify(value))
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), json, async ([method, route], payload) => {
        // `{}` schedules a job, and a PATCH may rename the model: the valid ones succeed, nothing answers 5xx.
        await expectProblem(
          await t.call(route, { method, body: payload, headers: { 'content-type': 'application/json' } }),
          [200, 201]
        );
      }),
      { numRuns: RUNS * 2, seed: SEED }
    );
    expect(await stored()).toEqual(before);
    expect((await t.call('/healthz')).status).toBe(200);
  }, 300_000);
});
