import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { modelBody, rows, toCsv, toNdjson } from '../api/data';

const ADMIN = 'admin-token-for-shutdown-test';
const DAY_START = Date.UTC(2026, 3, 1);

interface Child {
  process: ChildProcess;
  lines: Record<string, unknown>[];
  exited: Promise<number | null>;
  url: string;
}

async function serve(dbPath: string): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'cli-entry.ts'), 'serve', '--db', dbPath, '--port', '0', '--host', '127.0.0.1'], {
    env: { ...process.env, DRIFTGUARD_TOKENS: `admin=${ADMIN}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  let pending = '';
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      const parts = (pending + chunk.toString()).split('\n');
      pending = parts.pop() as string;
      for (const part of parts) {
        const line = JSON.parse(part) as Record<string, unknown>;
        lines.push(line);
        if (line.message === 'listening') resolve(line.port as number);
      }
    });
    exited.then((code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
  });
  return { process: child, lines, exited, url: `http://127.0.0.1:${port}` };
}

describe('drift-server serve', () => {
  const directory = mkdtempSync(join(tmpdir(), 'driftguard-shutdown-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('logs one JSON line per request and, on SIGTERM, finishes the in-flight upload, checkpoints and exits 0', async () => {
    const dbPath = join(directory, 'drift.duckdb');
    const server = await serve(dbPath);
    const call = (path: string, init: RequestInit = {}) =>
      fetch(`${server.url}${path}`, { ...init, headers: { authorization: `Bearer ${ADMIN}`, ...(init.headers as Record<string, string>) } });
    expect((await call('/api/v1/models', { method: 'POST', body: JSON.stringify(modelBody('slow')), headers: { 'content-type': 'application/json', 'x-request-id': 'req-create' } })).status).toBe(201);
    expect((await call('/api/v1/models/slow/references', { method: 'POST', body: toCsv(rows(300, 1)), headers: { 'content-type': 'text/csv' } })).status).toBe(201);

    const body = toNdjson(rows(2000, 2, { startMs: DAY_START }));
    const encoder = new TextEncoder();
    let offset = 0;
    const upload = call('/api/v1/models/slow/predictions', {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: new ReadableStream({
        async pull(controller) {
          // The body trickles in over ~0.5 s; SIGTERM arrives after the first piece.
          if (offset >= body.length) return controller.close();
          if (offset === 0) setTimeout(() => server.process.kill('SIGTERM'), 50);
          controller.enqueue(encoder.encode(body.slice(offset, offset + 20_000)));
          offset += 20_000;
          await new Promise((resolve) => setTimeout(resolve, 25));
        },
      }),
      duplex: 'half',
    } as RequestInit);
    const response = await upload;
    expect(response.status).toBe(201);
    expect(((await response.json()) as { rows: number }).rows).toBe(2000);
    expect(await server.exited).toBe(0);

    const messages = server.lines.map((line) => line.message);
    expect(messages).toEqual(expect.arrayContaining(['listening', 'request', 'shutting down', 'stopped']));
    expect(messages.indexOf('stopped')).toBeGreaterThan(messages.lastIndexOf('request'));
    const requests = server.lines.filter((line) => line.message === 'request');
    expect(requests).toHaveLength(3);
    expect(requests[0]).toMatchObject({ level: 'info', request_id: 'req-create', method: 'POST', path: '/api/v1/models', status: 201, token_id: 'admin', token_name: 'admin' });
    for (const line of requests) expect(typeof line.duration_ms).toBe('number');

    // Checkpointed: the file alone holds the batch, no write-ahead log is left to replay.
    expect(existsSync(`${dbPath}.wal`)).toBe(false);
    const instance = await DuckDBInstance.create(dbPath);
    const connection = await instance.connect();
    const count = (await connection.runAndReadAll("SELECT count(*) FROM production_rows WHERE model_id = 'slow'")).getRows();
    expect(count).toEqual([[2000n]]);
    connection.closeSync();
    instance.closeSync();
  });
});
