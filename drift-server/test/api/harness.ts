import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigOverrides, Environment, loadConfig } from '../../src/config';
import { Logger, silentLogger } from '../../src/logger';
import { RunningServer, StartOptions, startServer } from '../../src/server';
import { MODEL_ID, modelBody, rows, toCsv } from './data';

export const TOKENS = {
  admin: 'admin-token-0123456789abcdef',
  read: 'read-token-0123456789abcdef',
  ingest: 'ingest-token-0123456789abcdef',
};

export interface TestServer {
  readonly server: RunningServer;
  readonly directory: string;
  readonly dbPath: string;
  call(path: string, init?: RequestInit & { token?: string | null }): Promise<Response>;
  json<T = any>(
    path: string,
    init?: RequestInit & { token?: string | null }
  ): Promise<{ status: number; body: T; response: Response }>;
  stop(): Promise<void>;
}

/** A real drift-server on an ephemeral port over a DuckDB file in a fresh temp directory; `start.clock` runs it on a simulated clock. */
export async function startTestServer(
  env: Environment = {},
  overrides: ConfigOverrides = {},
  logger: Logger = silentLogger,
  start: Omit<StartOptions, 'logger'> = {}
): Promise<TestServer> {
  const directory = mkdtempSync(join(tmpdir(), 'driftguard-test-'));
  const config = loadConfig(
    {
      DRIFTGUARD_TOKENS: `admin=${TOKENS.admin},read=${TOKENS.read},ingest=${TOKENS.ingest}`,
      DRIFTGUARD_DB_CONNECTIONS: '3',
      ...env,
    },
    { port: 0, host: '127.0.0.1', ...overrides },
    directory
  );
  const server = await startServer(config, { ...start, logger });
  const call = (path: string, init: RequestInit & { token?: string | null } = {}) => {
    const { token = TOKENS.admin, headers, ...rest } = init;
    const allHeaders = new Headers(headers);
    if (token !== null) allHeaders.set('authorization', `Bearer ${token}`);
    return fetch(`${server.url}${path}`, { ...rest, headers: allHeaders });
  };
  let stopped = false;
  return {
    server,
    directory,
    dbPath: config.dbPath,
    call,
    async json(path, init) {
      const response = await call(path, init);
      const text = await response.text();
      return { status: response.status, body: text === '' ? undefined : JSON.parse(text), response };
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** Posts each upload in turn, throwing unless it is stored (201). */
async function setUp(t: TestServer, uploads: readonly (readonly [path: string, body: string, type: string])[]) {
  for (const [path, body, type] of uploads) {
    const { status } = await t.json(path, { method: 'POST', body, headers: { 'content-type': type } });
    if (status !== 201) throw new Error(`set-up POST ${path} answered ${status}`);
  }
}

/** A fresh server with `model` registered and `reference` (CSV) uploaded as its first reference. */
export async function startServerWithReference(
  model: object = modelBody(),
  reference: string = toCsv(rows(500, 1))
): Promise<TestServer> {
  const t = await startTestServer();
  await setUp(t, [
    ['/api/v1/models', JSON.stringify(model), 'application/json'],
    [`/api/v1/models/${MODEL_ID}/references`, reference, 'text/csv'],
  ]);
  return t;
}

/** A test server holding the standard model (`modelBody`), a 500-row reference and `predictions` (NDJSON), each upload checked. */
export async function startServerWithModel(predictions: string): Promise<TestServer> {
  const t = await startServerWithReference();
  await setUp(t, [[`/api/v1/models/${MODEL_ID}/predictions`, predictions, 'application/x-ndjson']]);
  return t;
}
