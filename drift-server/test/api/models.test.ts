import { MODEL_ID, modelBody, rows, toCsv, toNdjson } from './data';
import { startTestServer, TestServer, TOKENS } from './harness';

const json = { 'content-type': 'application/json' };
const DAY_START = Date.UTC(2026, 2, 1);

describe('model registry', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ DRIFTGUARD_MAX_FEATURES: '6' });
  });
  afterAll(() => t.stop());
  const create = (body: unknown) =>
    t.json('/api/v1/models', { method: 'POST', body: JSON.stringify(body), headers: json });

  it('registers a model with defaults for name, task, columns, business parameters and buckets', async () => {
    const { status, body } = await create({ id: 'minimal', features: [{ name: 'x', kind: 'numeric' }] });
    expect(status).toBe(201);
    expect(body).toMatchObject({
      id: 'minimal',
      name: 'minimal',
      task: 'binary_classification',
      features: [{ name: 'x', kind: 'numeric', importance: 1 }],
      columns: {
        prediction_id: 'prediction_id',
        timestamp: 'timestamp',
        prediction: 'prediction',
        probability: 'probability',
        label: 'label',
      },
      business: { currency: 'USD', cost_per_error: null, retrain_cost: null, horizon_days: null },
      buckets: 10,
      monitoring: { stale_after_minutes: null },
    });
    expect(Date.parse(body.created_at)).not.toBeNaN();
  });

  it('keeps the staleness limit a model is registered with, changes it by PATCH, and refuses one outside 1 minute to 7 days', async () => {
    expect(
      (
        await create({
          id: 'watched',
          features: [{ name: 'x', kind: 'numeric' }],
          monitoring: { stale_after_minutes: 15 },
        })
      ).body.monitoring
    ).toEqual({ stale_after_minutes: 15 });
    const patch = (monitoring: unknown) =>
      t.json('/api/v1/models/watched', { method: 'PATCH', headers: json, body: JSON.stringify({ monitoring }) });
    expect((await patch({ stale_after_minutes: 240 })).body.monitoring).toEqual({ stale_after_minutes: 240 });
    expect((await patch({})).body.monitoring).toEqual({ stale_after_minutes: 240 });
    for (const wrong of [
      { stale_after_minutes: 0 },
      { stale_after_minutes: 10_081 },
      { stale_after_minutes: 1.5 },
      { stale_after: 5 },
    ]) {
      const refused = await patch(wrong);
      expect([JSON.stringify(wrong), refused.status, refused.response.headers.get('content-type')]).toEqual([
        JSON.stringify(wrong),
        400,
        'application/problem+json',
      ]);
    }
    expect((await t.json('/api/v1/models/watched', { token: TOKENS.read })).body.monitoring).toEqual({
      stale_after_minutes: 240,
    });
    expect((await t.json('/api/v1/models/watched', { method: 'DELETE' })).status).toBe(204);
  });

  it('lists, gets, updates and deletes models', async () => {
    expect(
      (
        await create({
          ...modelBody(),
          business: { cost_per_error: 50, retrain_cost: 2000, retrain_duration_days: 3, horizon_days: 90 },
        })
      ).status
    ).toBe(201);
    const list = await t.json('/api/v1/models', { token: TOKENS.read });
    expect(list.body.models.map((model: { id: string }) => model.id)).toEqual([MODEL_ID, 'minimal']);
    const patched = await t.json(`/api/v1/models/${MODEL_ID}`, {
      method: 'PATCH',
      headers: json,
      body: JSON.stringify({
        name: 'Credit risk v2',
        business: { retrain_cost: 2500 },
        features: modelBody().features.map((feature) => ({
          ...feature,
          importance: feature.name === 'age' ? 5 : feature.importance,
        })),
      }),
    });
    expect(patched.status).toBe(200);
    expect(patched.body.name).toBe('Credit risk v2');
    expect(patched.body.business).toMatchObject({ cost_per_error: 50, retrain_cost: 2500, horizon_days: 90 });
    expect(patched.body.features[1]).toEqual({ name: 'age', kind: 'numeric', importance: 5 });
    const got = await t.json(`/api/v1/models/${MODEL_ID}`, { token: TOKENS.read });
    expect(got.body).toEqual(patched.body);
    expect((await t.json('/api/v1/models/minimal', { method: 'DELETE' })).status).toBe(204);
    expect((await t.json('/api/v1/models/minimal')).status).toBe(404);
  });

  it.each([
    ['a duplicate id', () => modelBody(), 409, /already exists/],
    ['no features', () => ({ id: 'empty', features: [] }), 400, /features/],
    [
      'an unknown feature kind',
      () => ({ id: 'k', features: [{ name: 'x', kind: 'ordinal' }] }),
      400,
      /features\.0\.kind/,
    ],
    [
      'a negative importance',
      () => ({ id: 'k', features: [{ name: 'x', kind: 'numeric', importance: -1 }] }),
      400,
      /importance/,
    ],
    [
      'a feature listed twice',
      () => ({
        id: 'k',
        features: [
          { name: 'x', kind: 'numeric' },
          { name: 'x', kind: 'categorical' },
        ],
      }),
      400,
      /listed twice/,
    ],
    [
      'a feature named like a mapped column',
      () => ({ id: 'k', features: [{ name: 'timestamp', kind: 'numeric' }] }),
      400,
      /name of a mapped column/,
    ],
    [
      'too many features',
      () => ({ id: 'k', features: Array.from({ length: 7 }, (_, i) => ({ name: `f${i}`, kind: 'numeric' })) }),
      400,
      /at most 6 features/,
    ],
    [
      'a control character in a name',
      () => ({ id: 'k', features: [{ name: 'a\u0000b', kind: 'numeric' }] }),
      400,
      /printable/,
    ],
    ['an upper-case id', () => ({ id: 'Credit', features: [{ name: 'x', kind: 'numeric' }] }), 400, /model ids match/],
    [
      'a bucket count out of range',
      () => ({ id: 'k', buckets: 1, features: [{ name: 'x', kind: 'numeric' }] }),
      400,
      /buckets/,
    ],
  ])('refuses %s', async (_case, body, status, detail) => {
    const response = await create(body());
    expect(response.status).toBe(status);
    expect(response.response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.body.detail).toMatch(detail);
  });

  it('keeps the feature rules for every caller and every change: the store refuses what the route used to, and a column renamed onto a feature', async () => {
    // The store itself, as the demo and the CLI register models, not only the HTTP route.
    await expect(
      t.server.store.models.create('direct', {
        name: 'direct',
        task: 'binary_classification',
        features: [
          { name: 'x', kind: 'numeric', importance: 1 },
          { name: 'x', kind: 'numeric', importance: 1 },
        ],
        columns: {},
        business: {},
        buckets: 10,
      } as never)
    ).rejects.toThrow(/feature "x" is listed twice/);
    await expect(t.server.store.models.get('direct')).rejects.toThrow(/does not exist/);
    // A PATCH that maps a column onto an existing feature's name: the row's column would mean two things.
    const before = await t.json(`/api/v1/models/${MODEL_ID}`, { token: TOKENS.read });
    const feature = (before.body as { features: { name: string }[] }).features[0].name;
    const patched = await t.json(`/api/v1/models/${MODEL_ID}`, {
      method: 'PATCH',
      headers: json,
      body: JSON.stringify({ columns: { label: feature } }),
    });
    expect([patched.status, patched.body.detail]).toEqual([
      400,
      `feature ${JSON.stringify(feature)} has the name of a mapped column`,
    ]);
    expect((await t.json(`/api/v1/models/${MODEL_ID}`, { token: TOKENS.read })).body).toEqual(before.body);
  });

  it('refuses malformed JSON and unknown update fields', async () => {
    const malformed = await t.json('/api/v1/models', { method: 'POST', body: '{"id": "x",', headers: json });
    expect(malformed.status).toBe(400);
    expect(malformed.body.detail).toMatch(/Malformed JSON/);
    const unknown = await t.json(`/api/v1/models/${MODEL_ID}`, {
      method: 'PATCH',
      headers: json,
      body: JSON.stringify({ colour: 'red' }),
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.detail).toMatch(/colour/);
  });

  it('refuses renaming, retyping or reordering features (409)', async () => {
    const features = modelBody().features.map((feature) =>
      feature.name === 'region' ? { ...feature, kind: 'numeric' } : feature
    );
    const { status, body } = await t.json(`/api/v1/models/${MODEL_ID}`, {
      method: 'PATCH',
      headers: json,
      body: JSON.stringify({ features }),
    });
    expect(status).toBe(409);
    expect(body.detail).toMatch(/fixed once a model is registered/);
  });

  it('deletes a model with all its data: a model re-registered under the id starts empty', async () => {
    const id = 'short-lived';
    await create(modelBody(id));
    await t.json(`/api/v1/models/${id}/references`, {
      method: 'POST',
      body: toCsv(rows(100, 1)),
      headers: { 'content-type': 'text/csv' },
    });
    await t.json(`/api/v1/models/${id}/predictions`, {
      method: 'POST',
      body: toNdjson(rows(50, 2, { startMs: DAY_START })),
      headers: { 'content-type': 'application/x-ndjson', 'idempotency-key': 'once' },
    });
    expect((await t.json(`/api/v1/models/${id}`, { method: 'DELETE' })).status).toBe(204);
    await create(modelBody(id));
    expect((await t.json(`/api/v1/models/${id}/references`)).body.versions).toEqual([]);
    const everything = { fromMs: 0, toMs: 4e12, bucketMs: 4e12 };
    expect((await t.server.store.aggregates.volume(id, everything)).size).toBe(0);
    expect((await t.server.store.aggregates.categoricalCountColumns(id, everything, ['region'])).n.length).toBe(0);
    expect((await t.server.store.rawValues.production(id, [0], 0, 4e12))[0].values).toEqual([]);
    const summary = await t.json(`/api/v1/models/${id}/summary`);
    expect(summary.status).toBe(409);
    expect(summary.body.detail).toMatch(/no reference data yet/);
  });

  it('answers 404 for an unknown model on every model route', async () => {
    for (const path of ['', '/features', '/references', '/summary', '/trends', '/features/x']) {
      const { status, body } = await t.json(`/api/v1/models/ghost${path}`, { token: TOKENS.read });
      expect([path, status]).toEqual([path, 404]);
      expect(body.detail).toMatch(/"ghost"/);
    }
    const upload = await t.json('/api/v1/models/ghost/predictions', {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/x-ndjson' },
    });
    expect(upload.status).toBe(404);
  });
});
