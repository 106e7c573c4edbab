import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jsonLogger } from '../../src/logger';
import { ConfigError, loadConfig, parseDemoTokens } from '../../src/config';
import { RunningServer, startServer } from '../../src/server';
import { modelBody } from './data';

const GRAFANA = 'grafana-read-token-0123456789';
const PIPELINE = 'pipeline-token-0123456789abc';
const ADMIN = 'admin-token-for-names-0123456789';

describe('DRIFTGUARD_TOKENS names', () => {
  it('reads `name:scopes=token`, and names a token without one after its scopes, numbering repeats', () => {
    expect(parseDemoTokens(`grafana:read=${GRAFANA},ingest+read=${PIPELINE},read=${ADMIN},read=${ADMIN}x`)).toEqual([
      { name: 'grafana', scopes: ['read'], token: GRAFANA },
      { name: 'ingest+read', scopes: ['ingest', 'read'], token: PIPELINE },
      { name: 'read', scopes: ['read'], token: ADMIN },
      { name: 'read-2', scopes: ['read'], token: `${ADMIN}x` },
    ]);
  });

  it.each([
    [`a:read=${GRAFANA},a:admin=${ADMIN}`, /names two tokens "a"/],
    [`bad name:read=${GRAFANA}`, /token name "bad name" must be/],
    [`grafana:reader=${GRAFANA}`, /unknown scope "reader"/],
    ['grafana:read=short', /at least 16 characters/],
  ])('refuses %s', (setting, message) => {
    expect(() => parseDemoTokens(setting)).toThrow(ConfigError);
    expect(() => parseDemoTokens(setting)).toThrow(message);
  });
});

describe('a token keeps its given name in the request log, the audit log, GET /whoami and retrain jobs', () => {
  const directory = mkdtempSync(join(tmpdir(), 'driftguard-names-'));
  const lines: Record<string, unknown>[] = [];
  let server: RunningServer;
  const call = (path: string, token: string, init: RequestInit = {}) =>
    fetch(`${server.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
    });

  beforeAll(async () => {
    const config = loadConfig(
      { DRIFTGUARD_TOKENS: `ops-admin:admin=${ADMIN},grafana:read=${GRAFANA}` },
      { port: 0, host: '127.0.0.1' },
      directory
    );
    server = await startServer(config, { logger: jsonLogger((line) => void lines.push(JSON.parse(line))) });
  });
  afterAll(async () => {
    await server.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('names the token everywhere it appears', async () => {
    expect((await call('/api/v1/models', ADMIN, { method: 'POST', body: JSON.stringify(modelBody()) })).status).toBe(
      201
    );
    expect(await (await call('/api/v1/whoami', GRAFANA)).json()).toEqual({
      token_id: 'grafana',
      name: 'grafana',
      scopes: ['read'],
    });
    const requests = lines.filter((line) => line.message === 'request');
    expect(requests.map((line) => [line.path, line.token_name])).toEqual([
      ['/api/v1/models', 'ops-admin'],
      ['/api/v1/whoami', 'grafana'],
    ]);
    const { entries } = (await (await call('/api/v1/audit', ADMIN)).json()) as {
      entries: { actor: string; path: string }[];
    };
    expect(entries.map((entry) => [entry.actor, entry.path])).toEqual([['ops-admin', '/api/v1/models']]);
    const { requested_by } = (await (
      await call(`/api/v1/models/${modelBody().id}/retrain-jobs`, ADMIN, { method: 'POST', body: '{}' })
    ).json()) as { requested_by: string };
    expect(requested_by).toBe('ops-admin');
    // /metrics counts requests by route and status only: no token appears there, by id or name.
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).not.toMatch(/ops-admin|grafana"|env:\d/);
  });
});
