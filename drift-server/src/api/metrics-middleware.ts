import type { Context, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import { matchedRoutes } from 'hono/route';
import type { DriftGuardMetrics } from '../metrics';
import type { AppEnv } from './context';
import { PROBLEM_MEDIA_TYPE, ProblemType } from './problems';

/** Route label of requests no route answers: their raw paths would let clients mint series at will. */
export const UNMATCHED_ROUTE = 'unmatched';

/** Middleware is registered for every method ("ALL"); the handler the request was for has its own. */
function routePattern(c: Context): string {
  const routes = matchedRoutes(c);
  for (let index = routes.length - 1; index >= 0; index -= 1) {
    if (routes[index].method !== 'ALL') return routes[index].path;
  }
  return UNMATCHED_ROUTE;
}

/** Counts and times every request by method, route pattern and status. */
export function countRequests(metrics: DriftGuardMetrics): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async (c, next) => {
    const started = performance.now();
    await next();
    const route = routePattern(c);
    metrics.httpRequestDuration.observe({ method: c.req.method, route }, (performance.now() - started) / 1000);
    metrics.httpRequests.inc({ method: c.req.method, route, status: String(c.res.status) });
  });
}

const UPLOAD_ROUTE = /\/models\/:modelId\/(references|predictions|labels)$/;
const KIND_OF_UPLOAD: Readonly<Record<string, string>> = {
  references: 'reference',
  predictions: 'predictions',
  labels: 'labels',
};

/**
 * Problems that refuse a batch of a registered model. Bad model ids, unknown models and failed
 * authentication are not counted: they name no stored model, so counting them would let any
 * client create series.
 */
const BATCH_REFUSALS: ReadonlySet<ProblemType> = new Set([
  'invalid-data',
  'conflict',
  'payload-too-large',
  'unsupported-media-type',
  'idempotency-key-reused',
]);

/**
 * Counts uploaded rows and refused batches from the upload routes' answers: a 201 stores rows
 * (`row_count` of a reference, `rows` of a batch), a replay (200) stores nothing, and a problem
 * of BATCH_REFUSALS means nothing of the batch was stored.
 */
export function countIngestion(metrics: DriftGuardMetrics): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async (c, next) => {
    await next();
    const upload = c.req.method === 'POST' ? UPLOAD_ROUTE.exec(routePattern(c)) : null;
    if (!upload) return;
    const model = c.req.param('modelId') as string;
    if (c.res.status === 201) {
      const stored = (await c.res.clone().json()) as { rows?: number; row_count?: number };
      metrics.ingestedRows.inc({ model, kind: KIND_OF_UPLOAD[upload[1]] }, stored.row_count ?? stored.rows ?? 0);
    } else if (c.res.headers.get('content-type') === PROBLEM_MEDIA_TYPE) {
      const problem = (await c.res.clone().json()) as { type: string };
      if (BATCH_REFUSALS.has(problem.type.slice(problem.type.lastIndexOf('/') + 1) as ProblemType))
        metrics.ingestBatchesRejected.inc({ model });
    }
  });
}
