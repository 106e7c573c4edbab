import type { Context, TypedResponse } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { JSONParsed } from 'hono/utils/types';
import { pacedBody, piecesOf } from './paced-body';

/**
 * An answer whose JSON was written elsewhere (a trend computed in a worker thread), typed as the
 * c.json(value, status) it stands for, so the OpenAPI route keeps its response type; sent a piece
 * per turn of the event loop.
 */
export function jsonBytes<T, S extends ContentfulStatusCode>(
  c: Context,
  bytes: Uint8Array<ArrayBuffer>,
  status: S
): Response & TypedResponse<JSONParsed<T>, S, 'json'> {
  return c.body(pacedBody(piecesOf(bytes)), status, {
    'content-type': 'application/json',
    'content-length': String(bytes.byteLength),
  }) as unknown as Response & TypedResponse<JSONParsed<T>, S, 'json'>;
}
