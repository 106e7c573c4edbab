import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { modelBody, rows, toCsv, toNdjson } from '../api/data';
import { startChild } from '../fault/child-server';

const DAY_START = Date.UTC(2026, 3, 1);

describe('drift-server serve', () => {
  const directory = mkdtempSync(join(tmpdir(), 'driftguard-shutdown-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('logs one JSON line per request and, on SIGTERM, finishes the in-flight upload, checkpoints and exits 0', async () => {
    const dbPath = join(directory, 'drift.duckdb');
    const server = await startChild(dbPath);
    const call = server.call;
    expect(
      (
        await call('/api/v1/models', {
          method: 'POST',
          body: JSON.stringify(modelBody('slow')),
          headers: { 'content-type': 'application/json', 'x-request-id': 'req-create' },
        })
      ).status
    ).toBe(201);
    expect(
      (
        await call('/api/v1/models/slow/references', {
          method: 'POST',
          body: toCsv(rows(300, 1)),
          headers: { 'content-type': 'text/csv' },
        })
      ).status
    ).toBe(201);

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
    expect(requests[0]).toMatchObject({
      level: 'info',
      request_id: 'req-create',
      method: 'POST',
      path: '/api/v1/models',
      status: 201,
      token_id: 'admin',
      token_name: 'admin',
    });
    for (const line of requests) expect(typeof line.duration_ms).toBe('number');

    // Checkpointed: the file alone holds the batch, no write-ahead log is left to replay.
    expect(existsSync(`${dbPath}.wal`)).toBe(false);
    const instance = await DuckDBInstance.create(dbPath);
    const connection = await instance.connect();
    const count = (await connection.runAndReadAll('SELECT count(*) FROM production_rows_slow')).getRows();
    expect(count).toEqual([[2000n]]);
    connection.closeSync();
    instance.closeSync();
  });
});
