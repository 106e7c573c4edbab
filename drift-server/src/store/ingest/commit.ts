import { VARCHAR } from '@duckdb/node-api';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Connection, Database } from '../database';
import { IdempotencyMismatchError } from '../errors';
import { UploadStream } from './parse/upload-stream';
import type { ChangeCounter } from '../changes';
import type { KeyedMutex } from '../locks';
import { requireModel } from '../models';

export type BatchKind = 'predictions' | 'labels';

export interface BatchOutcome<T> {
  readonly result: T;
  /** True when an earlier batch with the same Idempotency-Key and body already stored this. */
  readonly replayed: boolean;
}

export interface BatchWork<T> {
  (connection: Connection, body: UploadStream, batchId: string): Promise<T>;
}

/** Drains a stream, for hashing a retried body that will not be stored again. */
async function drain(stream: Readable): Promise<void> {
  for await (const chunk of stream) void chunk;
}

/**
 * Runs one upload as one transaction under the model's lock and records it in `batches`. With an
 * Idempotency-Key, a retry of the same body replays the stored result without writing anything;
 * the same key with a different body is refused. A body the client cut off fails its batch, so
 * nothing of it is stored and its key stays free for the full retry.
 */
export class BatchRunner {
  constructor(
    private readonly database: Database,
    private readonly locks: KeyedMutex,
    private readonly maxBodyBytes: number,
    private readonly changes: ChangeCounter
  ) {}

  run<T>(
    modelId: string,
    kind: BatchKind,
    body: Readable,
    idempotencyKey: string | undefined,
    work: BatchWork<T>
  ): Promise<BatchOutcome<T>> {
    const upload = UploadStream.of(body, this.maxBodyBytes);
    return this.locks
      .run(modelId, async () => {
        // The client may have gone, or the body failed to decode, while the batch waited for the lock.
        if (upload.errored) throw upload.errored;
        if (idempotencyKey !== undefined) {
          const earlier = await this.database.rows<{ fingerprint: string; result: string }>(
            'SELECT fingerprint, result FROM batches WHERE model_id = $model AND kind = $kind AND idempotency_key = $key',
            { model: modelId, kind, key: idempotencyKey }
          );
          if (earlier.length > 0) {
            await drain(upload);
            if (upload.fingerprint() !== earlier[0].fingerprint) {
              throw new IdempotencyMismatchError(
                `Idempotency-Key ${JSON.stringify(idempotencyKey)} was already used with a different body; use a new key for new data`
              );
            }
            return { result: JSON.parse(earlier[0].result) as T, replayed: true };
          }
        }
        const batchId = randomUUID();
        const result = await this.changes.writing(modelId, () =>
          this.database.transaction(async (connection) => {
            await requireModel(connection, modelId);
            const stored = await work(connection, upload, batchId);
            upload.assertWhole();
            await connection.run(
              `INSERT INTO batches (id, model_id, kind, idempotency_key, fingerprint, received_ms, result)
               VALUES ($id, $model, $kind, $key, $fingerprint, $received, $result)`,
              {
                id: batchId,
                model: modelId,
                kind,
                key: idempotencyKey ?? null,
                fingerprint: upload.fingerprint(),
                received: BigInt(Date.now()),
                result: JSON.stringify(stored),
              },
              { key: VARCHAR }
            );
            return stored;
          })
        );
        return { result, replayed: false };
      })
      .finally(() => upload.destroy());
  }
}
