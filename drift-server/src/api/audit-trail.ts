import type { Context, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { Logger } from '../logger';
import type { Store } from '../store';
import type { AppEnv } from './context';
import { MODEL_ID_PATTERN } from './schemas/common';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Grafana's data proxy names the signed-in user in this header when `[dataproxy] send_user_header` is on. */
const GRAFANA_USER_HEADER = 'x-grafana-user';
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const GRAFANA_USER = /^[^\u0000-\u001f\u007f]{1,256}$/;
const MODEL_PATH = /^\/api\/v1\/models\/([^/]+)/;

/** The Grafana user a call was made for; null without the header, or when it is not a plausible login. */
export function grafanaUserOf(c: Context): string | null {
  const user = c.req.header(GRAFANA_USER_HEADER)?.trim();
  return user !== undefined && GRAFANA_USER.test(user) ? user : null;
}

/** The model a call changed: the one its path names, unless the route said otherwise (a body naming the model). */
function modelOf(c: Context<AppEnv>): string | null {
  const named = c.get('auditModelId');
  if (named !== undefined) return named;
  const match = MODEL_PATH.exec(c.req.path);
  if (!match) return null;
  const id = decodeURIComponent(match[1]);
  return MODEL_ID_PATTERN.test(id) ? id : null;
}

/**
 * Records every authenticated state-changing API call once it has been answered: the token's name,
 * the Grafana user Grafana forwarded, the model concerned and the status. A failed audit write is
 * logged and does not change the answer, which has been made already.
 */
export function auditTrail(store: Store, logger: Logger): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async (c, next) => {
    await next();
    const principal = c.get('principal');
    if (!principal || !STATE_CHANGING.has(c.req.method)) return;
    const requestId = c.get('requestId');
    await store.audit
      .record({
        requestId,
        actor: principal.name,
        grafanaUser: grafanaUserOf(c),
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        modelId: modelOf(c),
      })
      .catch((error: Error) => logger.error('audit log write failed', { request_id: requestId, error: error.message }));
  });
}
