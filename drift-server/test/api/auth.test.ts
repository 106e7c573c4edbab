import { SCHEMA_VERSION } from '../../src/store/migrations';
import { MODEL_ID, modelBody } from './data';
import { startTestServer, TestServer, TOKENS } from './harness';

describe('authentication, scopes, health and the OpenAPI document', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    await t.json('/api/v1/models', {
      method: 'POST',
      body: JSON.stringify(modelBody()),
      headers: { 'content-type': 'application/json' },
    });
  });
  afterAll(() => t.stop());

  it('serves /healthz without a token', async () => {
    const { status, body } = await t.json('/healthz', { token: null });
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', schema_version: SCHEMA_VERSION });
  });

  it.each([
    ['no Authorization header', null, /Bearer <token>/],
    ['an unknown token', 'not-a-token-at-all-0000', /unknown or revoked/],
    ['a well-formed but forged token', `dg_0123456789abcdef_${'A'.repeat(43)}`, /unknown or revoked/],
  ])('answers 401 with a Bearer challenge for %s', async (_case, token, detail) => {
    const { status, body, response } = await t.json('/api/v1/models', { token });
    expect(status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="driftguard"/);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(body).toMatchObject({
      type: 'https://driftguard.dev/problems/unauthorized',
      status: 401,
      instance: '/api/v1/models',
    });
    expect(body.detail).toMatch(detail);
  });

  it.each([
    ['read', 'POST', '/api/v1/models', 'admin'],
    ['read', 'POST', `/api/v1/models/${MODEL_ID}/predictions`, 'ingest'],
    ['ingest', 'GET', `/api/v1/models/${MODEL_ID}/summary`, 'read'],
    ['ingest', 'DELETE', `/api/v1/models/${MODEL_ID}`, 'admin'],
    ['read', 'GET', '/api/v1/tokens', 'admin'],
  ] as const)('answers 403 when a %s token calls %s %s', async (scope, method, path, needed) => {
    const { status, body } = await t.json(path, {
      method,
      token: TOKENS[scope],
      body: method === 'POST' ? '{}' : undefined,
      headers: { 'content-type': 'application/json' },
    });
    expect(status).toBe(403);
    expect(body.detail).toBe(`this operation needs scope "${needed}"; the token has "${scope}"`);
  });

  it('creates hashed tokens that work until revoked; secrets are never listed', async () => {
    const created = await t.json('/api/v1/tokens', {
      method: 'POST',
      body: JSON.stringify({ name: 'grafana', scopes: ['read'] }),
      headers: { 'content-type': 'application/json' },
    });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^dg_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect((await t.json('/api/v1/models', { token: created.body.token })).status).toBe(200);
    const listed = await t.json('/api/v1/tokens');
    expect(JSON.stringify(listed.body)).not.toContain(created.body.token.slice('dg_0123456789abcdef_'.length));
    expect(listed.body.tokens).toEqual([
      expect.objectContaining({ id: created.body.id, name: 'grafana', scopes: ['read'], revoked_at: null }),
    ]);
    expect((await t.json(`/api/v1/tokens/${created.body.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await t.json('/api/v1/models', { token: created.body.token })).status).toBe(401);
    expect((await t.json(`/api/v1/tokens/${created.body.id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('echoes a sane X-Request-Id and replaces an unsafe one', async () => {
    const echoed = await t.call('/healthz', { headers: { 'x-request-id': 'trace-123' } });
    expect(echoed.headers.get('x-request-id')).toBe('trace-123');
    const replaced = await t.call('/healthz', { headers: { 'x-request-id': 'bad id\twith spaces' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    // Dotted trace ids pass, though Hono's own check (word characters, - and =) would refuse them.
    for (const id of ['svc.checkout.4f2a', 'span=4f2a', 'svc.span=4f2a']) {
      const echoedToo = await t.call('/healthz', { headers: { 'x-request-id': id } });
      expect(echoedToo.headers.get('x-request-id')).toBe(id);
    }
    const longest = 'a'.repeat(128);
    expect((await t.call('/healthz', { headers: { 'x-request-id': longest } })).headers.get('x-request-id')).toBe(
      longest
    );
    const tooLong = await t.call('/healthz', { headers: { 'x-request-id': `${longest}b` } });
    expect(tooLong.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    // Problems are made as a Response of their own, without the context's headers: they get it too.
    const problem = await t.call('/api/v1/nothing-here', { headers: { 'x-request-id': 'trace-404' } });
    expect(problem.status).toBe(404);
    expect(problem.headers.get('x-request-id')).toBe('trace-404');
  });

  it('answers unknown routes with a 404 problem', async () => {
    const { status, response } = await t.json('/api/v1/nothing-here');
    expect(status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });

  it('records state-changing calls in the audit log', async () => {
    const entries = await t.server.store.audit.list({ limit: 50 });
    expect(entries).toContainEqual(
      expect.objectContaining({ actor: 'admin', method: 'POST', path: '/api/v1/models', status: 201 })
    );
    expect(entries.some((entry) => entry.method === 'GET')).toBe(false);
  });

  it('publishes an OpenAPI 3.1 document built from the validating schemas', async () => {
    const { status, body } = await t.json('/api/v1/openapi.json', { token: TOKENS.read });
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    expect(Object.keys(body.paths).sort()).toEqual(
      [
        '/alerts/grafana',
        '/audit',
        '/models',
        '/models/{modelId}',
        '/models/{modelId}/alerts',
        '/models/{modelId}/features',
        '/models/{modelId}/features/{feature}',
        '/models/{modelId}/labels',
        '/models/{modelId}/predictions',
        '/models/{modelId}/recommendation',
        '/models/{modelId}/references',
        '/models/{modelId}/references/{version}',
        '/models/{modelId}/report.csv',
        '/models/{modelId}/report.pdf',
        '/models/{modelId}/retrain-jobs',
        '/models/{modelId}/summary',
        '/models/{modelId}/trends',
        '/retrain-jobs/{jobId}',
        '/retrain-jobs/{jobId}/callback',
        '/retrain-jobs/{jobId}/cancel',
        '/tokens',
        '/tokens/{tokenId}',
        '/whoami',
      ].sort()
    );
    expect(body.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(body.components.schemas.FeatureDrift.properties.psi.description).toMatch(/Σ \(a−e\)·ln\(a\/e\)/);
    expect(body.components.schemas.ModelCreate.properties.id.pattern).toBe('^[a-z0-9][a-z0-9_-]{0,63}$');
    expect(Object.keys(body.paths['/models/{modelId}/predictions'].post.requestBody.content)).toContain('text/csv');
    expect(
      body.paths['/models/{modelId}/summary'].get.responses['401'].content['application/problem+json']
    ).toBeDefined();
    expect((await t.json('/api/v1/openapi.json', { token: null })).status).toBe(200);
  });
});

describe('health check', () => {
  it('answers 503 once the database cannot answer', async () => {
    const t = await startTestServer();
    try {
      expect((await t.json('/healthz', { token: null })).status).toBe(200);
      await t.server.store.close();
      const { status, body } = await t.json('/healthz', { token: null });
      expect(status).toBe(503);
      expect(body.status).toBe('unavailable');
    } finally {
      await t.stop();
    }
  });
});
