import { randomUUID } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import { requestId } from 'hono/request-id';
import type { AppEnv } from './context';

const HEADER = 'x-request-id';
const MAX_LENGTH = 128;
/**
 * The ids taken from clients. Hono's own check takes word characters, - and =; the generator, which
 * it calls for the others, takes dotted trace ids too (always accepted here).
 */
const SANE_ID = /^[A-Za-z0-9._=-]{1,128}$/;

function clientIdOrNew(c: Context): string {
  const offered = c.req.header(HEADER);
  return offered !== undefined && SANE_ID.test(offered) ? offered : randomUUID();
}

/**
 * Gives every request an id, `requestId` in the context: the client's X-Request-Id when it is sane
 * (at most 128 characters of letters, digits, `.`, `_`, `-`, `=`), else a new UUID, and echoes it.
 * Hono's middleware sets the header before the route answers, so the answer carries it as it is
 * made: setting a header on a finished response rebuilds it, which turns its body into a stream
 * (encoding a 14 MB trend in one stretch of over 100 ms). Answers made without the context's
 * headers (a Response built by hand) get it afterwards.
 */
export function requestIdentity(): MiddlewareHandler<AppEnv> {
  const assign = requestId({ headerName: HEADER, limitLength: MAX_LENGTH, generator: clientIdOrNew });
  return createMiddleware<AppEnv>(async (c, next) => {
    await assign(c, next);
    const id = c.get('requestId');
    if (c.res.headers.get(HEADER) !== id) c.header(HEADER, id);
  });
}
