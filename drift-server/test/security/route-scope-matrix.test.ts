import { modelBody, rows, toCsv } from '../api/data';
import { startTestServer, TestServer } from '../api/harness';

type Scope = 'read' | 'ingest' | 'operate' | 'admin';
/** What each route needs: a scope, any valid token, or a signature (no token opens it). */
/** `open-or-read`: no token needed; a token that is sent must be valid and hold read. */
type Requirement = Scope | 'any-token' | 'signature' | 'open-or-read';

/**
 * The scope every operation of the OpenAPI document needs, as docs/API.md states it. The matrix
 * below is built from the document itself: an operation missing here fails the test, so a new
 * route cannot go unchecked.
 */
const REQUIRED: Record<string, Requirement> = {
  'GET /models': 'read',
  'POST /models': 'admin',
  'GET /models/{modelId}': 'read',
  'PATCH /models/{modelId}': 'admin',
  'DELETE /models/{modelId}': 'admin',
  'GET /models/{modelId}/features': 'read',
  'POST /models/{modelId}/references': 'ingest',
  'GET /models/{modelId}/references': 'read',
  'GET /models/{modelId}/references/{version}': 'read',
  'POST /models/{modelId}/predictions': 'ingest',
  'POST /models/{modelId}/labels': 'ingest',
  'GET /models/{modelId}/summary': 'read',
  'GET /models/{modelId}/recommendation': 'read',
  'GET /models/{modelId}/features/{feature}': 'read',
  'GET /models/{modelId}/trends': 'read',
  'GET /models/{modelId}/report.csv': 'read',
  'GET /models/{modelId}/report.pdf': 'read',
  'GET /whoami': 'any-token',
  'GET /tokens': 'admin',
  'POST /tokens': 'admin',
  'DELETE /tokens/{tokenId}': 'admin',
  'POST /alerts/grafana': 'operate',
  'GET /models/{modelId}/alerts': 'read',
  'GET /audit': 'admin',
  'POST /models/{modelId}/retrain-jobs': 'operate',
  'GET /models/{modelId}/retrain-jobs': 'read',
  'GET /retrain-jobs/{jobId}': 'read',
  'POST /retrain-jobs/{jobId}/cancel': 'operate',
  'POST /retrain-jobs/{jobId}/callback': 'signature',
  'GET /openapi.json': 'open-or-read',
};

const TOKENS: Record<Scope, string> = {
  read: 'matrix-read-token-0123456789',
  ingest: 'matrix-ingest-token-0123456789',
  operate: 'matrix-operate-token-0123456789',
  admin: 'matrix-admin-token-0123456789',
};
const CREDENTIALS = ['none', 'unknown', ...(Object.keys(TOKENS) as Scope[])] as const;

/** Values that name existing things where a route reads them, and nothing a granted call could change for good. */
const PATH_VALUES: Record<string, string> = {
  modelId: 'matrix',
  feature: 'income',
  version: '1',
  jobId: '5a1d2c3e-0000-4a43-9d7e-2f5d7f1f0a11',
  tokenId: 'ffffffffffffffff',
};

function allowed(requirement: Requirement, credential: (typeof CREDENTIALS)[number]): boolean {
  if (requirement === 'open-or-read' && credential === 'none') return true;
  if (credential === 'none' || credential === 'unknown' || requirement === 'signature') return false;
  if (requirement === 'open-or-read') return credential === 'admin' || credential === 'read';
  return requirement === 'any-token' || credential === 'admin' || credential === requirement;
}

describe('the route × scope matrix, from the OpenAPI document', () => {
  let t: TestServer;
  let operations: { method: string; path: string }[];
  beforeAll(async () => {
    t = await startTestServer({
      DRIFTGUARD_TOKENS: Object.entries(TOKENS)
        .map(([scope, token]) => `${scope}=${token}`)
        .join(','),
      DRIFTGUARD_AUTH_FAILURES_PER_MINUTE: '0',
    });
    const admin = { token: TOKENS.admin };
    expect(
      (
        await t.json('/api/v1/models', {
          ...admin,
          method: 'POST',
          body: JSON.stringify(modelBody('matrix')),
          headers: { 'content-type': 'application/json' },
        })
      ).status
    ).toBe(201);
    expect(
      (
        await t.json('/api/v1/models/matrix/references', {
          ...admin,
          method: 'POST',
          body: toCsv(rows(200, 1)),
          headers: { 'content-type': 'text/csv' },
        })
      ).status
    ).toBe(201);
    const document = (await t.json('/api/v1/openapi.json', admin)).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    operations = [
      ...Object.entries(document.paths).flatMap(([path, methods]) =>
        Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path }))
      ),
      { method: 'GET', path: '/openapi.json' },
    ];
  });
  afterAll(() => t.stop());

  it('names the scope of every operation the document lists', () => {
    expect(operations.length).toBeGreaterThanOrEqual(29);
    expect(
      operations.map(({ method, path }) => `${method} ${path}`).filter((operation) => !(operation in REQUIRED))
    ).toEqual([]);
  });

  it('answers 401 without a valid token, 403 without the scope, and neither with it, in every cell', async () => {
    const cells: string[] = [];
    for (const { method, path } of operations) {
      const requirement = REQUIRED[`${method} ${path}`];
      const url = `/api/v1${path.replace(/\{(\w+)\}/g, (_, name: string) => PATH_VALUES[name])}`;
      for (const credential of CREDENTIALS) {
        const token =
          credential === 'none'
            ? null
            : credential === 'unknown'
              ? `dg_0123456789abcdef_${'x'.repeat(43)}`
              : TOKENS[credential];
        // A granted call is sent a body no route accepts (or names nothing that exists), so the matrix changes no state.
        const init: RequestInit & { token: string | null } =
          method === 'GET'
            ? { token }
            : { token, method, body: '{"matrix": true}', headers: { 'content-type': 'application/x-matrix' } };
        const { status } = await t.json(url, init).catch(async () => ({ status: (await t.call(url, init)).status }));
        const expected = allowed(requirement, credential)
          ? 'granted'
          : credential === 'none' ||
              credential === 'unknown' ||
              requirement === 'signature' ||
              requirement === 'any-token'
            ? 401
            : 403;
        const got = status === 401 || status === 403 ? status : 'granted';
        cells.push(
          `${method} ${path} as ${credential}: ${got === expected ? 'ok' : `expected ${expected}, got ${status}`}`
        );
      }
    }
    expect(cells.filter((cell) => !cell.endsWith(': ok'))).toEqual([]);
    expect(cells.length).toBe(operations.length * CREDENTIALS.length);
  });
});
