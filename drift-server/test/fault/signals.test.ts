import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { modelBody, rows, toCsv, toNdjson } from '../api/data';
import { startChild } from './child-server';

describe('drift-server serve shutting down (#15)', () => {
  const directory = mkdtempSync(join(tmpdir(), 'driftguard-signals-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('cuts the open connections at a second signal and still checkpoints, storing nothing of the cut upload', async () => {
    const dbPath = join(directory, 'signals.duckdb');
    const server = await startChild(dbPath);
    expect(
      (
        await server.call('/api/v1/models', {
          method: 'POST',
          body: JSON.stringify(modelBody('slow')),
          headers: { 'content-type': 'application/json' },
        })
      ).status
    ).toBe(201);
    expect(
      (
        await server.call('/api/v1/models/slow/references', {
          method: 'POST',
          body: toCsv(rows(300, 1)),
          headers: { 'content-type': 'text/csv' },
        })
      ).status
    ).toBe(201);
    const body = toNdjson(rows(2000, 2, { startMs: Date.UTC(2026, 3, 1) }));
    let offset = 0;
    // An upload that never finishes on its own: the first signal waits for it, the second cuts it.
    const upload = server
      .call('/api/v1/models/slow/predictions', {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson' },
        duplex: 'half',
        body: new ReadableStream({
          async pull(controller) {
            if (offset < body.length / 2) {
              controller.enqueue(new TextEncoder().encode(body.slice(offset, offset + 5000)));
              offset += 5000;
            }
            await new Promise((resolve) => setTimeout(resolve, 50));
          },
        }),
      } as RequestInit)
      .then(
        (response) => response.status,
        () => 'cut'
      );
    await new Promise((resolve) => setTimeout(resolve, 300));
    server.process.kill('SIGTERM');
    const shuttingDown = () => server.lines.some((line) => line.message === 'shutting down');
    for (let wait = 0; wait < 100 && !shuttingDown(); wait += 1)
      await new Promise((resolve) => setTimeout(resolve, 20));
    server.process.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(await upload).toBe('cut');
    const messages = server.lines.map((line) => line.message);
    expect(messages).toEqual(expect.arrayContaining(['shutting down', 'cutting open connections', 'stopped']));
    expect(existsSync(`${dbPath}.wal`)).toBe(false);
    const instance = await DuckDBInstance.create(dbPath);
    const connection = await instance.connect();
    expect((await connection.runAndReadAll('SELECT count(*)::INTEGER FROM production_rows_slow')).getRows()).toEqual([
      [0],
    ]);
    connection.closeSync();
    instance.closeSync();
  }, 60_000);
});
