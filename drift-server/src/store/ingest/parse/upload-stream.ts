import { createHash } from 'node:crypto';
import { Readable, Transform, TransformCallback } from 'node:stream';
import { ClientAbortError, InvalidDataError, PayloadTooLargeError } from '../../errors';

/** An upload's body and what its transport knows about it besides the bytes. */
export interface UploadSource {
  readonly body: Readable;
  /** The length the client declared (Content-Length): a body ending short of it was cut off. */
  readonly declaredBytes?: number;
  /** Whether the transport received the whole message (HTTP: its parser saw the message end). */
  readonly received?: () => boolean;
  /** Decodes the body's Content-Encoding; the size limit and the fingerprint apply to what it yields. */
  readonly decoder?: Transform;
}

/** Counts the bytes as they arrive and refuses to end unless the transport delivered the whole body. */
class ReceivedBody extends Transform {
  bytes = 0;

  constructor(private readonly source: UploadSource) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    const { declaredBytes, received } = this.source;
    if (declaredBytes !== undefined && this.bytes !== declaredBytes) {
      callback(
        new ClientAbortError(
          `the body ended after ${this.bytes} of the ${declaredBytes} bytes its Content-Length declared`
        )
      );
    } else if (received !== undefined && !received()) {
      callback(new ClientAbortError(`the connection ended after ${this.bytes} bytes, before the request did`));
    } else {
      callback();
    }
  }
}

/**
 * An upload as the store reads it: the body's bytes, counted against the size limit and hashed (so
 * an Idempotency-Key replay can be checked against the original body without keeping it), that end
 * only when the transport delivered the whole body. It is wired up, with a listener for every error,
 * the moment it is opened, so a client that drops its connection while its upload waits for the
 * model's lock fails that upload instead of the process; the error reaches whoever reads it.
 */
export class UploadStream extends Transform {
  private readonly hash = createHash('sha256');
  /** Bytes seen after decoding. */
  bytes = 0;

  private constructor(private readonly maxBytes: number) {
    super();
  }

  /** `source` as an upload; an UploadStream is returned as it is. */
  static of(source: UploadSource | Readable, maxBytes: number): UploadStream {
    if (source instanceof UploadStream) return source;
    const described: UploadSource = source instanceof Readable ? { body: source } : source;
    const upload = new UploadStream(maxBytes);
    const received = new ReceivedBody(described);
    const { body, decoder } = described;
    // Whoever reads the upload sees its errors; unread, it must still never raise one unheard.
    upload.on('error', () => undefined);
    // Once the upload is closed (read, failed or dropped) the body stops flowing in; the HTTP server drains or closes what is left of it.
    upload.once('close', () => {
      body.unpipe(received);
      received.destroy();
      decoder?.destroy();
    });
    const fail = (error: Error) => upload.destroy(error);
    const cutOff = (cause?: Error) =>
      fail(
        new ClientAbortError(`the client closed the connection after ${received.bytes} bytes, before the body ended`, {
          cause,
        })
      );
    body.on('error', cutOff);
    body.on('close', () => {
      if (!body.readableEnded) cutOff();
    });
    // A connection that closed before the upload was opened (while its request was authenticated) emits nothing more.
    if (body.destroyed && !body.readableEnded) cutOff(body.errored ?? undefined);
    received.on('error', fail);
    if (decoder) {
      decoder.on('error', (error) =>
        fail(new InvalidDataError(`the body cannot be decoded as its Content-Encoding says: ${error.message}`))
      );
      body.pipe(received).pipe(decoder).pipe(upload);
    } else {
      body.pipe(received).pipe(upload);
    }
    return upload;
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

  /** Raises unless the whole upload was read: a batch is stored only from a body that ended. */
  assertWhole(): void {
    if (!this.readableEnded) throw new ClientAbortError('the upload was not read to its end');
  }
}
