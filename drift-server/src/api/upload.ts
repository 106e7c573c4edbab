import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Context } from 'hono';
import { formatOfMediaType, SUPPORTED_MEDIA_TYPES, UploadFormat } from '../store';
import { ApiProblem } from './problems';

export interface UploadBody {
  readonly format: UploadFormat;
  readonly body: Readable;
}

/** The upload's format from Content-Type and its body as a stream; the store meters the bytes. */
export function uploadBody(c: Context, maxBodyBytes: number): UploadBody {
  const format = formatOfMediaType(c.req.header('content-type'));
  if (!format) {
    throw new ApiProblem(
      'unsupported-media-type',
      `Content-Type ${JSON.stringify(c.req.header('content-type') ?? '')} is not an upload format; use one of ${SUPPORTED_MEDIA_TYPES.join(', ')}`,
    );
  }
  const declared = Number(c.req.header('content-length'));
  if (Number.isFinite(declared) && declared > maxBodyBytes) {
    throw new ApiProblem('payload-too-large', `Content-Length ${declared} exceeds the limit of ${maxBodyBytes} bytes`);
  }
  const web = c.req.raw.body;
  const body = web ? Readable.fromWeb(web as unknown as WebReadableStream<Uint8Array>) : Readable.from([]);
  return { format, body };
}

export function idempotencyKey(c: Context): string | undefined {
  const key = c.req.header('idempotency-key');
  if (key === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new ApiProblem('invalid-request', 'Idempotency-Key must be 1–255 printable ASCII characters without spaces');
  }
  return key;
}
