import type { IncomingMessage } from 'node:http';
import { Readable, Transform } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { createGunzip } from 'node:zlib';
import type { Context } from 'hono';
import { formatOfMediaType, SUPPORTED_MEDIA_TYPES, UploadFormat, UploadStream } from '../store';
import type { AppEnv } from './context';
import { ApiProblem } from './problems';

export interface UploadBody {
  readonly format: UploadFormat;
  readonly body: UploadStream;
}

/** Content-Encodings an upload may carry; `identity` (or none) is the body as it is. */
const DECODERS: Readonly<Record<string, () => Transform>> = { gzip: createGunzip, 'x-gzip': createGunzip };

/** The decoder of the request's Content-Encoding, undefined for none; 415 for one it cannot decode. */
function decoderOf(c: Context): Transform | undefined {
  const encoding = c.req.header('content-encoding')?.trim().toLowerCase();
  if (encoding === undefined || encoding === '' || encoding === 'identity') return undefined;
  const decoder = DECODERS[encoding];
  if (!decoder) {
    throw new ApiProblem(
      'unsupported-media-type',
      `Content-Encoding ${JSON.stringify(encoding)} is not supported; send the body as it is or gzip-encoded`
    );
  }
  return decoder();
}

/** The Node request the body arrives on, unless it was already read (or there is none, as under app.request). */
export function incomingOf(c: Context<AppEnv>): IncomingMessage | undefined {
  const incoming = c.env?.incoming;
  return incoming && !incoming.readableDidRead ? incoming : undefined;
}

/**
 * The upload's format from Content-Type, and its body as an UploadStream opened at once: bytes
 * counted against the limit after any gzip decoding (so a compression bomb is a 413), and an end
 * only when the HTTP parser saw the whole request and Content-Length was met, so a body the client
 * cut off never reads as a shorter, or empty, upload.
 */
export function uploadBody(c: Context<AppEnv>, maxBodyBytes: number): UploadBody {
  const format = formatOfMediaType(c.req.header('content-type'));
  if (!format) {
    throw new ApiProblem(
      'unsupported-media-type',
      `Content-Type ${JSON.stringify(c.req.header('content-type') ?? '')} is not an upload format; use one of ${SUPPORTED_MEDIA_TYPES.join(', ')}`
    );
  }
  const decoder = decoderOf(c);
  const length = c.req.header('content-length');
  const declared = length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined;
  if (declared !== undefined && declared > maxBodyBytes) {
    throw new ApiProblem('payload-too-large', `Content-Length ${declared} exceeds the limit of ${maxBodyBytes} bytes`);
  }
  const incoming = incomingOf(c);
  const body = incoming ?? webBody(c);
  return {
    format,
    body: UploadStream.of(
      { body, declaredBytes: declared, received: incoming && (() => incoming.complete), decoder },
      maxBodyBytes
    ),
  };
}

/**
 * Whether the client closed its connection before its whole request, body included, arrived:
 * whatever then failed, the request is answered (and logged and counted) as closed by the client.
 */
export function closedBeforeRequestEnded(c: Context<AppEnv>): boolean {
  const incoming = c.env?.incoming;
  return incoming !== undefined && !incoming.complete && (incoming.destroyed || incoming.readableAborted);
}

function webBody(c: Context): Readable {
  const web = c.req.raw.body;
  return web ? Readable.fromWeb(web as unknown as WebReadableStream<Uint8Array>) : Readable.from([]);
}

export function idempotencyKey(c: Context): string | undefined {
  const key = c.req.header('idempotency-key');
  if (key === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new ApiProblem('invalid-request', 'Idempotency-Key must be 1–255 printable ASCII characters without spaces');
  }
  return key;
}
