import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import { grants, Scope, Store } from '../store';
import type { AppEnv } from './context';
import type { Logger } from './logger';
import { ApiProblem } from './problems';

const CLIENT_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;
const BEARER = /^Bearer\s+(\S+)\s*$/i;
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Gives every request an id (the client's X-Request-Id when it is sane), logs one JSON line when
 * it ends, and records state-changing API calls in the audit log.
 */
export function requestContext(logger: Logger, logRequests: boolean, store: Store): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async (c, next) => {
    const started = performance.now();
    const offered = c.req.header('x-request-id');
    const requestId = offered && CLIENT_REQUEST_ID.test(offered) ? offered : randomUUID();
    c.set('requestId', requestId);
    await next();
    c.header('x-request-id', requestId);
    const principal = c.get('principal');
    if (logRequests) logger.info('request', {
      request_id: requestId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      duration_ms: Math.round((performance.now() - started) * 100) / 100,
      token_id: principal?.tokenId ?? null,
    });
    if (principal && STATE_CHANGING.has(c.req.method)) {
      await store.audit
        .record({ requestId, actor: principal.tokenId, method: c.req.method, path: c.req.path, status: c.res.status })
        .catch((error: Error) => logger.error('audit log write failed', { request_id: requestId, error: error.message }));
    }
  });
}

/** Resolves the bearer token to a principal; every /api/v1 route needs one. */
export function authenticate(store: Store): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async (c, next) => {
    const challenge = { 'www-authenticate': 'Bearer realm="driftguard"' };
    const header = c.req.header('authorization');
    const match = header ? BEARER.exec(header) : null;
    if (!match) throw new ApiProblem('unauthorized', 'send an Authorization: Bearer <token> header', challenge);
    const principal = await store.tokens.verify(match[1]);
    if (!principal) {
      throw new ApiProblem('unauthorized', 'the bearer token is unknown or revoked', { ...challenge, 'www-authenticate': 'Bearer realm="driftguard", error="invalid_token"' });
    }
    c.set('principal', principal);
    await next();
  });
}

/** Route guard: the token must hold `scope` (admin holds every scope). */
export function requireScope(scope: Scope): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async (c, next) => {
    const principal = c.get('principal');
    if (!grants(principal.scopes, scope)) {
      throw new ApiProblem('forbidden', `this operation needs scope "${scope}"; the token has ${principal.scopes.map((s) => `"${s}"`).join(', ')}`);
    }
    await next();
  });
}
