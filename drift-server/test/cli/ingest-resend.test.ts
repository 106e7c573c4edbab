import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { main } from '../../src/cli/main';
import { MODEL_ID, modelBody, rows, toCsv, toNdjson } from '../api/data';
import { startTestServer, TestServer, TOKENS } from '../api/harness';
import { tempDir, writeFile } from '../support/cli';

/** A TCP proxy to `port` that cuts its first connection after `cutAfter` bytes from the client, and passes later ones whole. */
async function cuttingProxy(port: number, cutAfter: number): Promise<{ url: string; close: () => void }> {
  let connections = 0;
  const proxy = net.createServer((client) => {
    connections += 1;
    const first = connections === 1;
    const upstream = net.connect(port, '127.0.0.1');
    let forwarded = 0;
    client.on('data', (chunk: Buffer) => {
      forwarded += chunk.length;
      if (first && forwarded > cutAfter) {
        upstream.write(chunk.subarray(0, chunk.length - (forwarded - cutAfter)));
        client.destroy();
        upstream.destroy();
        return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => client.write(chunk));
    for (const socket of [client, upstream]) socket.on('error', () => undefined);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, close: () => proxy.close() };
}

describe('drift-server ingest over a connection that drops mid-upload', () => {
  let server: TestServer;
  const files = tempDir('driftguard-resend-');
  beforeAll(async () => {
    server = await startTestServer();
    await server.json('/api/v1/models', {
      method: 'POST',
      body: JSON.stringify(modelBody()),
      headers: { 'content-type': 'application/json' },
    });
    await server.call(`/api/v1/models/${MODEL_ID}/references`, {
      method: 'POST',
      body: toCsv(rows(300, 1)),
      headers: { 'content-type': 'text/csv' },
    });
  });
  afterAll(async () => {
    await server.stop();
    files.cleanup();
  });

  it('sends the batch again with the same key; the half-written first attempt stored nothing, so it is stored once', async () => {
    const file = writeFile(
      files.dir,
      'batch.ndjson',
      toNdjson(rows(3000, 2, { startMs: Date.UTC(2026, 10, 1), idPrefix: 'resend' }))
    );
    const proxy = await cuttingProxy(Number(new URL(server.server.url).port), 50_000);
    let err = '';
    let out = '';
    try {
      const code = await main(
        ['node', 'drift-server', 'ingest', file, '--model', MODEL_ID, '--server', proxy.url, '--token', TOKENS.ingest],
        { out: (text) => void (out += text), err: (text) => void (err += text) }
      );
      expect(code).toBe(0);
    } finally {
      proxy.close();
    }
    expect(err).toMatch(
      /predictions upload failed \(.*\); sending it again in 500 ms with the same Idempotency-Key \(1 of 2\)/
    );
    expect(out).toMatch(/^Stored 3,000 predictions of /);
    const summary = await server.json(
      `/api/v1/models/${MODEL_ID}/summary?from=${Date.UTC(2026, 9, 25)}&to=${Date.UTC(2026, 10, 10)}`
    );
    expect(summary.body.total_predictions).toBe(3000);
  });
});
