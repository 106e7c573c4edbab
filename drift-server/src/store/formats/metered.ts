import { createHash } from 'node:crypto';
import { Transform, TransformCallback } from 'node:stream';
import { PayloadTooLargeError } from '../errors';

/**
 * Passes an upload through while counting its bytes against the body limit and hashing it, so an
 * Idempotency-Key replay can be checked against the original body without keeping it.
 */
export class MeteredStream extends Transform {
  private readonly hash = createHash('sha256');
  bytes = 0;

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      callback(new PayloadTooLargeError(`request body exceeds the limit of ${this.maxBytes} bytes`));
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }

  /** Hex SHA-256 of every byte seen; call once the stream has ended. */
  fingerprint(): string {
    return this.hash.copy().digest('hex');
  }
}
