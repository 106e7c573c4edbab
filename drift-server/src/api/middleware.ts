import type { Context, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import {
  PresentedSignature,
  SIGNATURE_HEADER,
  signatureProblem,
  SignedRequest,
  TIMESTAMP_HEADER,
  verifySignature,
} from '../engine';
import { grants, Scope } from '../scopes';
import { Store } from '../store';
import type { FailedAuthLimiter } from './auth-limiter';
import type { AppEnv } from './context';
import { ApiProblem } from './problems';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** A route that accepts a signed request in place of a bearer token, and verifies the signature itself. */
export interface SignedRoute {
  readonly method: string;
  readonly path: RegExp;
}

/** The address a request came from, the key of failed-authentication limits; `unknown` when the app is called directly. */
function clientAddress(c: Context<AppEnv>): string {
  return c.env?.incoming?.socket?.remoteAddress ?? 'unknown';
}

/**
 * Resolves the bearer token to a principal; every /api/v1 route needs one, except a request to one
 * of `signedRoutes` that carries a signature and no Authorization header: it passes on without a
 * principal, and the route must verify the signature before anything else (requireSignatureOrScope,
 * or a check of its own when the secret depends on the request). Every 401, bearer or signature,
 * counts against the client address's failed-authentication limit; an address past it gets 429.
 */
export function authenticate(
  store: Store,
  limiter: FailedAuthLimiter,
  signedRoutes: readonly SignedRoute[] = []
): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async (c, next) => {
    const address = clientAddress(c);
    const wait = limiter.retryAfterSeconds(address);
    if (wait > 0) {
      throw new ApiProblem(
        'too-many-failed-authentications',
        `more than ${limiter.perMinute} failed authentications a minute came from ${address}; every attempt from it is refused for ${wait} s`,
        { 'retry-after': String(wait) }
      );
    }
    const challenge = { 'www-authenticate': 'Bearer realm="driftguard"' };
    const header = c.req.header('authorization');
    const signed = header === undefined && c.req.header(SIGNATURE_HEADER) !== undefined;
    if (signed && signedRoutes.some((route) => route.method === c.req.method && route.path.test(c.req.path))) {
      await next();
      if (c.res.status === 401) limiter.recordFailure(address);
      return;
    }
    const match = header ? BEARER.exec(header) : null;
    const principal = match ? await store.tokens.verify(match[1]) : undefined;
    if (!principal) {
      limiter.recordFailure(address);
      if (!match) throw new ApiProblem('unauthorized', 'send an Authorization: Bearer <token> header', challenge);
      throw new ApiProblem('unauthorized', 'the bearer token is unknown or revoked', {
        ...challenge,
        'www-authenticate': 'Bearer realm="driftguard", error="invalid_token"',
      });
    }
    c.set('principal', principal);
    await next();
  });
}

/** The signature headers a request carries. */
export function presentedSignature(c: Context): PresentedSignature {
  return { signature: c.req.header(SIGNATURE_HEADER), timestamp: c.req.header(TIMESTAMP_HEADER) };
}

/** What a signature on this request must cover: its method, drift-server's path of it, the job and the raw body. */
export async function signedRequestOf(c: Context, job: string): Promise<SignedRequest> {
  return { method: c.req.method, path: c.req.path, job, body: new Uint8Array(await c.req.arrayBuffer()) };
}

/** Route guard: the token must hold `scope` (admin holds every scope). */
export function requireScope(scope: Scope): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async (c, next) => {
    const principal = c.get('principal');
    if (!grants(principal.scopes, scope)) {
      throw new ApiProblem(
        'forbidden',
        `this operation needs scope "${scope}"; the token has ${principal.scopes.map((s) => `"${s}"`).join(', ')}`
      );
    }
    await next();
  });
}

/** What a route accepting signed requests needs to verify them. */
export interface SignatureCheck {
  /** The shared secret; undefined when signed requests are not enabled. */
  readonly secret: string | undefined;
  /** What to configure to enable them, for the 401 detail. */
  readonly howToEnable: string;
  /** The audit-log actor of a correctly signed request. */
  readonly actor: string;
}

/**
 * Route guard for routes listed as SignedRoutes: a bearer principal must hold `scope`; a request
 * without one must be signed (signature.ts, no job) under the secret, and then acts as `actor`
 * with `scope`.
 */
export function requireSignatureOrScope(scope: Scope, check: SignatureCheck): MiddlewareHandler<AppEnv> {
  const scoped = requireScope(scope);
  return createMiddleware<AppEnv>(async (c, next) => {
    if (c.get('principal')) return scoped(c, next);
    if (check.secret === undefined)
      throw new ApiProblem(
        'unauthorized',
        `signed requests are not enabled here: ${check.howToEnable}, or send a bearer token`
      );
    const verdict = verifySignature(check.secret, await signedRequestOf(c, ''), presentedSignature(c), Date.now());
    if (verdict !== 'valid') throw new ApiProblem('unauthorized', signatureProblem(verdict));
    c.set('principal', { tokenId: check.actor, name: check.actor, scopes: [scope] });
    await next();
  });
}
