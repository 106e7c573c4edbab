import { MODEL_ID, modelBody, rows, toNdjson } from './data';
import { startTestServer, TestServer, TOKENS } from './harness';

const JOB_ID = '0b6f3c1e-8d8e-4a43-9d7e-2f5d7f1f0a11';
/** A value for each path parameter of the OpenAPI document's templates. */
const PATH_VALUES: Record<string, string> = {
  modelId: MODEL_ID,
  feature: 'income',
  version: '1',
  jobId: JOB_ID,
  tokenId: '0123456789abcdef',
};
const concrete = (template: string) => template.replace(/\{(\w+)\}/g, (_, name: string) => PATH_VALUES[name]);

describe('what the API accepts, and how it says what it refuses', () => {
  let t: TestServer;
  let document: any;
  beforeAll(async () => {
    t = await startTestServer();
    const created = await t.json('/api/v1/models', {
      method: 'POST',
      body: JSON.stringify(modelBody()),
      headers: { 'content-type': 'application/json' },
    });
    expect(created.status).toBe(201);
    expect(
      (
        await t.json(`/api/v1/models/${MODEL_ID}/references`, {
          method: 'POST',
          body: toNdjson(rows(300, 1)),
          headers: { 'content-type': 'application/x-ndjson' },
        })
      ).status
    ).toBe(201);
    document = (await t.json('/api/v1/openapi.json', { token: null })).body;
  });
  afterAll(() => t.stop());

  it('serves the OpenAPI document without a token, and checks a token that is sent like any read', async () => {
    const open = await t.json('/api/v1/openapi.json', { token: null });
    expect(open.status).toBe(200);
    expect(open.body.openapi).toBe('3.1.0');
    expect((await t.json('/api/v1/openapi.json', { token: TOKENS.read })).status).toBe(200);
    expect((await t.json('/api/v1/openapi.json', { token: 'not-a-token-at-all-0000' })).status).toBe(401);
    const ingestOnly = await t.json('/api/v1/openapi.json', { token: TOKENS.ingest });
    expect([ingestOnly.status, ingestOnly.body.detail]).toEqual([
      403,
      'this operation needs scope "read"; the token has "ingest"',
    ]);
    // Everything else still needs a token.
    expect((await t.json('/api/v1/models', { token: null })).status).toBe(401);
  });

  it('documents the body of POST /tokens', () => {
    const operation = document.paths['/tokens'].post;
    expect(operation.description).toMatch(/"name": "grafana", "scopes": \["read"\]/);
    const schema = document.components.schemas.TokenCreate;
    expect(schema.required.sort()).toEqual(['name', 'scopes']);
    expect(schema.example).toEqual({ name: 'grafana', scopes: ['read'] });
    expect(schema.properties.scopes.items.enum).toEqual(['read', 'ingest', 'operate', 'admin']);
  });

  it('answers a new model with 201 and a Location that serves it', async () => {
    const { status, response } = await t.json('/api/v1/models', {
      method: 'POST',
      body: JSON.stringify(modelBody('located')),
      headers: { 'content-type': 'application/json' },
    });
    expect(status).toBe(201);
    expect(response.headers.get('location')).toBe('/api/v1/models/located');
    expect((await t.json(response.headers.get('location')!)).body.id).toBe('located');
    expect(document.paths['/models'].post.responses['201'].headers.location).toBeDefined();
  });

  it.each([
    ['no Content-Type', undefined, /Content-Type: application\/json \(the request had no Content-Type\)/],
    [
      'a form body, as curl -d sends',
      'application/x-www-form-urlencoded',
      /Content-Type: application\/json \(the request had Content-Type application\/x-www-form-urlencoded\)/,
    ],
  ])('refuses a model body with %s as 415 naming what to send, storing nothing', async (_case, type, detail) => {
    // fetch gives a byte body no Content-Type of its own.
    const bytes = new TextEncoder().encode(JSON.stringify(modelBody('untyped')));
    const { status, body, response } = await t.json('/api/v1/models', {
      method: 'POST',
      body: bytes,
      headers: type ? { 'content-type': type } : {},
    });
    expect(status).toBe(415);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(body.type).toBe('https://driftguard.dev/problems/unsupported-media-type');
    expect(body.detail).toMatch(detail);
    expect((await t.json('/api/v1/models/untyped')).status).toBe(404);
  });

  it('refuses unknown fields of a model, naming them, instead of dropping them', async () => {
    const misspelt = {
      ...modelBody('misspelt'),
      busines: { cost_per_error: 5 },
      features: [{ name: 'x', kind: 'numeric', importanc: 2 }],
    };
    const { status, body } = await t.json('/api/v1/models', {
      method: 'POST',
      body: JSON.stringify(misspelt),
      headers: { 'content-type': 'application/json' },
    });
    expect(status).toBe(400);
    expect(body.detail).toMatch(/"busines"/);
    expect(body.detail).toMatch(/features\.0.*"importanc"/);
  });

  it('refuses, on every documented route, a query parameter the route does not declare — before doing anything', async () => {
    const operations = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, methods]) => Object.keys(methods).map((method) => [method.toUpperCase(), path] as const)
    );
    expect(operations.length).toBeGreaterThanOrEqual(25);
    for (const [method, path] of operations) {
      const { status, body } = await t.json(`/api/v1${concrete(path)}?frm=2026-01-01`, { method });
      expect([method, path, status, body?.detail]).toEqual([
        method,
        path,
        400,
        expect.stringContaining(`query parameter "frm" is not accepted here: ${method} /api/v1${path} takes`),
      ]);
    }
    for (const path of ['/healthz', '/metrics', '/api/v1/openapi.json']) {
      const { status, body } = await t.json(`${path}?verbose=1`, { token: null });
      expect([path, status, body?.detail]).toEqual([
        path,
        400,
        `query parameter "verbose" is not accepted here: GET ${path} takes no query parameters`,
      ]);
    }
    expect((await t.json(`/api/v1/models/${MODEL_ID}`)).body.id).toBe(MODEL_ID);
  });

  it('refuses report.pdf?table=…, which only the CSV reads, and names what the PDF takes', async () => {
    const { status, body } = await t.json(`/api/v1/models/${MODEL_ID}/report.pdf?table=trends`, { token: TOKENS.read });
    expect(status).toBe(400);
    expect(body.detail).toBe(
      'query parameter "table" is not accepted here: GET /api/v1/models/{modelId}/report.pdf takes from, to, reference'
    );
    expect((await t.call(`/api/v1/models/${MODEL_ID}/report.csv?table=trends`, { token: TOKENS.read })).status).toBe(
      200
    );
  });

  it('refuses a parameter given twice, where one would be silently ignored', async () => {
    const { status, body } = await t.json(`/api/v1/models/${MODEL_ID}/summary?from=2026-01-01&from=2026-02-01`, {
      token: TOKENS.read,
    });
    expect([status, body.detail]).toEqual([400, 'query parameter "from" is given 2 times; give it once']);
  });

  it('still serves declared parameters and unknown routes as before', async () => {
    expect(
      (
        await t.json(
          `/api/v1/models/${MODEL_ID}/trends?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&interval=6h&series=features&features=income&reference=latest`
        )
      ).status
    ).toBe(200);
    expect((await t.json('/api/v1/no-such-route?x=1')).status).toBe(404);
  });
});
