import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { modelBody, rows, toCsv, toNdjson } from '../api/data';
import { cutUpload } from '../support/raw-http';
import { ADMIN, ChildServer, startChild } from './child-server';

const APRIL = Date.UTC(2026, 3, 1);
const MODEL = 'crash';

/** A prediction batch of its own prediction ids, under its own Idempotency-Key. */
function batch(key: string, count: number): string {
  return toNdjson(rows(count, key.length * 31 + count, { startMs: APRIL, idPrefix: `${key}-` }));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function query<T>(dbPath: string, sql: string): Promise<T[]> {
  const instance = await DuckDBInstance.create(dbPath);
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRowObjectsJS() as T[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe('drift-server in a child process, killed and cut off', () => {
  const directory = mkdtempSync(join(tmpdir(), 'driftguard-crash-'));
  const dbPath = join(directory, 'crash.duckdb');
  let server: ChildServer;
  afterAll(async () => {
    server?.process.kill('SIGKILL');
    rmSync(directory, { recursive: true, force: true });
  });

  const upload = (key: string, body: string, kind = 'predictions') =>
    server.call(`/api/v1/models/${MODEL}/${kind}`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-ndjson', 'idempotency-key': key },
    });

  /** Every batch the test sent: its rows, and whether a 201 or 200 acknowledged it. */
  const sent = new Map<string, { rows: number; acknowledged: boolean; kind: string }>();
  const send = async (key: string, count: number, kind = 'predictions') => {
    sent.set(key, { rows: count, acknowledged: false, kind });
    const body =
      kind === 'labels'
        ? toNdjson(Array.from({ length: count }, (_, index) => ({ prediction_id: `a-${index}`, label: index % 2 })))
        : batch(key, count);
    const response = await upload(key, body, kind).catch(() => undefined);
    if (response && (response.status === 201 || response.status === 200)) sent.get(key)!.acknowledged = true;
    return response;
  };
  const kill = async () => {
    server.process.kill('SIGKILL');
    expect(await server.exited).toBe('SIGKILL');
    server = await startChild(dbPath);
  };

  it('stays up when clients drop uploads at several byte offsets, also while the uploads wait for the model lock (#1)', async () => {
    server = await startChild(dbPath);
    expect(
      (
        await server.call('/api/v1/models', {
          method: 'POST',
          body: JSON.stringify({
            ...modelBody(MODEL),
            retraining: { policy: 'manual', trainer: { kind: 'simulated', delay_ms: 0 } },
          }),
          headers: { 'content-type': 'application/json' },
        })
      ).status
    ).toBe(201);
    expect(
      (
        await server.call(`/api/v1/models/${MODEL}/references`, {
          method: 'POST',
          body: toCsv(rows(500, 1)),
          headers: { 'content-type': 'text/csv' },
        })
      ).status
    ).toBe(201);
    const body = Buffer.from(toCsv(rows(20_000, 2, { startMs: APRIL, idPrefix: 'cut' })));
    const offsets = [0, 1, 1000, Math.floor(body.length * 0.1), Math.floor(body.length / 2), body.length - 1];
    // A slow upload holds the model's lock while the cut ones wait for it.
    const slow = batch('slow', 3000);
    let offset = 0;
    const holder = server.call(`/api/v1/models/${MODEL}/predictions`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', 'idempotency-key': 'slow' },
      duplex: 'half',
      body: new ReadableStream({
        async pull(controller) {
          if (offset >= slow.length) return controller.close();
          controller.enqueue(new TextEncoder().encode(slow.slice(offset, offset + 20_000)));
          offset += 20_000;
          await sleep(100);
        },
      }),
    } as RequestInit);
    sent.set('slow', { rows: 3000, acknowledged: false, kind: 'predictions' });
    // Cut at once, and after the server began reading the body (while the upload waits for the lock).
    for (const holdMs of [0, 150]) {
      for (const ending of ['close', 'half-close'] as const) {
        await Promise.all(
          offsets.map(
            (sendBytes, index) =>
              cutUpload({
                url: server.url,
                path: `/api/v1/models/${MODEL}/predictions`,
                headers: {
                  authorization: `Bearer ${ADMIN}`,
                  'content-type': 'text/csv',
                  'idempotency-key': `cut-${holdMs}-${ending}-${index}`,
                },
                body,
                sendBytes,
                ending,
                holdMs,
              }).cut
          )
        );
      }
    }
    expect((await holder).status).toBe(201);
    sent.get('slow')!.acknowledged = true;
    await sleep(200);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect(server.process.exitCode).toBeNull();
  }, 120_000);

  it('keeps every acknowledged batch exactly once and nothing half-written across SIGKILLs at several points', async () => {
    // Right after a 201.
    expect((await send('acked', 2000))?.status).toBe(201);
    await kill();
    // In the middle of a streamed upload.
    const partial = send('mid-upload', 50_000);
    await sleep(300);
    await kill();
    await partial;
    // During a long batch.
    const long = send('long', 120_000);
    await sleep(1500);
    await kill();
    await long;
    // During a label batch.
    const labels = send('labels', 30_000, 'labels');
    await sleep(200);
    await kill();
    await labels;
    // During a retrain job: the simulated trainer promotes the window's rows to a new reference.
    const job = (await (
      await server.call(`/api/v1/models/${MODEL}/retrain-jobs`, {
        method: 'POST',
        body: JSON.stringify({ from: APRIL, to: APRIL + 30 * 86_400_000 }),
        headers: { 'content-type': 'application/json' },
      })
    ).json()) as { id: string };
    await sleep(400);
    await kill();
    // Retried after the restarts with the same keys, every unacknowledged batch is stored once.
    for (const [key, batchSent] of sent) if (!batchSent.acknowledged) await send(key, batchSent.rows, batchSent.kind);
    expect([...sent.values()].every((batchSent) => batchSent.acknowledged)).toBe(true);
    const settled = (await (await server.call(`/api/v1/retrain-jobs/${job.id}`)).json()) as { status: string };
    server.process.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(existsSync(`${dbPath}.wal`)).toBe(false);

    const stored = await query<{ key: string; rows: number }>(
      dbPath,
      `SELECT b.idempotency_key AS key, (SELECT count(*) FROM production_rows_${MODEL} p WHERE p.batch_id = b.id)::INTEGER AS rows FROM batches b WHERE b.model_id = '${MODEL}' AND b.kind = 'predictions'`
    );
    const expected = [...sent]
      .filter(([, batchSent]) => batchSent.kind === 'predictions')
      .map(([key, batchSent]) => ({ key, rows: batchSent.rows }));
    expect(stored.sort((a, b) => a.key.localeCompare(b.key))).toEqual(
      expected.sort((a, b) => a.key.localeCompare(b.key))
    );
    const [totals] = await query<{ raw: number; counted: number; batches: number }>(
      dbPath,
      `SELECT (SELECT count(*) FROM production_rows_${MODEL})::INTEGER AS raw,
              (SELECT sum(n) FROM agg_volume WHERE model_id = '${MODEL}')::INTEGER AS counted,
              (SELECT count(*) FROM batches WHERE model_id = '${MODEL}')::INTEGER AS batches`
    );
    expect(totals).toEqual({
      raw: expected.reduce((sum, { rows: count }) => sum + count, 0),
      counted: expected.reduce((sum, { rows: count }) => sum + count, 0),
      batches: sent.size,
    });
    // The job ended one way or the other; a reference version exists for it only if it succeeded.
    const versions = await query<{ n: number }>(
      dbPath,
      `SELECT count(*)::INTEGER AS n FROM reference_versions WHERE model_id = '${MODEL}'`
    );
    expect(['failed', 'succeeded']).toContain(settled.status);
    expect(versions[0].n).toBe(settled.status === 'succeeded' ? 2 : 1);
  }, 300_000);
});
