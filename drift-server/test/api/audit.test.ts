import { grafanaNotification, postNotification, psiAlert } from '../alerts/grafana-webhook';
import { MODEL_ID, modelBody } from './data';
import { startTestServer, TestServer, TOKENS } from './harness';

const SECRET = 'audit-webhook-secret-0123456789';
const JSON_HEADERS = { 'content-type': 'application/json' };

describe('the audit log', () => {
  let t: TestServer;
  let botToken: string;
  const entries = async (query = '') => {
    const { status, body } = await t.json(`/api/v1/audit${query}`);
    if (status !== 200) throw new Error(`GET /audit${query}: ${status} ${JSON.stringify(body)}`);
    return body.entries as Record<string, unknown>[];
  };
  const send = (path: string, method: string, body: unknown, token: string, grafanaUser?: string) =>
    t.json(path, {
      method,
      body: JSON.stringify(body),
      token,
      headers: { ...JSON_HEADERS, ...(grafanaUser ? { 'x-grafana-user': grafanaUser } : {}) },
    });

  beforeAll(async () => {
    t = await startTestServer({ DRIFTGUARD_ALERT_WEBHOOK_SECRET: SECRET });
    botToken = (await send('/api/v1/tokens', 'POST', { name: 'release-bot', scopes: ['admin'] }, TOKENS.admin)).body
      .token;
  });
  afterAll(() => t.stop());

  it('records who (token name and the forwarded Grafana user), what and which model, newest first', async () => {
    expect((await send('/api/v1/models', 'POST', modelBody(), TOKENS.admin, 'alice@example.com')).status).toBe(201);
    expect(
      (await send(`/api/v1/models/${MODEL_ID}`, 'PATCH', { name: 'Credit risk v2' }, botToken, 'bob')).status
    ).toBe(200);
    const [patched, created] = await entries('?limit=2');
    expect(patched).toEqual({
      at: expect.any(String),
      request_id: expect.any(String),
      actor: 'release-bot',
      grafana_user: 'bob',
      method: 'PATCH',
      path: `/api/v1/models/${MODEL_ID}`,
      status: 200,
      model_id: MODEL_ID,
      action: null,
    });
    expect(created).toMatchObject({
      actor: 'admin',
      grafana_user: 'alice@example.com',
      method: 'POST',
      path: '/api/v1/models',
      status: 201,
      model_id: MODEL_ID,
    });
    expect(Date.parse(patched.at as string)).toBeGreaterThanOrEqual(Date.parse(created.at as string));
  });

  it('records refused state changes too, with their status, and no reads', async () => {
    const before = await entries('?limit=10000');
    expect((await send(`/api/v1/models/${MODEL_ID}`, 'DELETE', {}, TOKENS.read, 'carol')).status).toBe(403);
    expect(
      (await t.json(`/api/v1/models/${MODEL_ID}`, { token: TOKENS.read, headers: { 'x-grafana-user': 'carol' } }))
        .status
    ).toBe(200);
    const after = await entries('?limit=10000');
    expect(after).toHaveLength(before.length + 1);
    expect(after[0]).toMatchObject({
      actor: 'read',
      grafana_user: 'carol',
      method: 'DELETE',
      status: 403,
      model_id: MODEL_ID,
    });
  });

  it('keeps no Grafana user that is not a plausible login', async () => {
    expect(
      (await send(`/api/v1/models/${MODEL_ID}`, 'PATCH', { name: 'Credit risk v3' }, botToken, 'x'.repeat(300))).status
    ).toBe(200);
    const [entry] = await entries('?limit=1');
    expect(entry).toMatchObject({ actor: 'release-bot', grafana_user: null, method: 'PATCH' });
  });

  it('records signed Grafana alert posts as the alert webhook', async () => {
    const notification = grafanaNotification([
      psiAlert(MODEL_ID, 'income', '2026-11-19T23:00:00Z', 'audit-signed', 'resolved'),
    ]);
    const { status } = await postNotification(t, notification, { token: null, signWith: SECRET });
    expect(status).toBe(200);
    const [entry] = await entries('?limit=1');
    expect(entry).toMatchObject({
      actor: 'grafana-alert-webhook',
      grafana_user: null,
      method: 'POST',
      path: '/api/v1/alerts/grafana',
      status: 200,
      model_id: null,
    });
  });

  it('filters by model and time', async () => {
    expect((await send('/api/v1/models', 'POST', modelBody('other-model'), TOKENS.admin)).status).toBe(201);
    const all = await entries('?limit=10000');
    const ofModel = await entries(`?model=${MODEL_ID}&limit=10000`);
    expect(ofModel).toEqual(all.filter((entry) => entry.model_id === MODEL_ID));
    expect(ofModel.length).toBeGreaterThanOrEqual(4);
    expect(await entries('?model=other-model')).toEqual([
      expect.objectContaining({ method: 'POST', model_id: 'other-model' }),
    ]);
    const newest = Date.parse(all[0].at as string);
    expect(await entries(`?from=${newest}&to=${newest + 1}`)).toEqual(
      all.filter((entry) => Date.parse(entry.at as string) === newest)
    );
    expect(await entries(`?to=${new Date(Date.parse(all[all.length - 1].at as string)).toISOString()}`)).toEqual([]);
    expect(await entries('?model=never-registered')).toEqual([]);
  });

  it('is for admin tokens only, and refuses bad queries with 400 problems', async () => {
    expect((await t.json('/api/v1/audit', { token: TOKENS.read })).status).toBe(403);
    for (const query of ['?model=Bad%20Id', '?limit=0', '?limit=10001', '?from=yesterday', '?from=2000&to=1000']) {
      const { status, body, response } = await t.json(`/api/v1/audit${query}`);
      expect([query, status, response.headers.get('content-type')]).toEqual([query, 400, 'application/problem+json']);
      expect(body.type).toBe('https://driftguard.dev/problems/invalid-request');
    }
  });
});
