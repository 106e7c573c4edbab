import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { DriftEngine, parseBaseline, parseInterval, resolveWindow } from '../../engine';
import type { AppEnv } from '../context';
import { requireScope } from '../middleware';
import { jsonBody, problems, SECURITY } from '../openapi';
import { FeatureDetailSchema, ModelIdParam, SummarySchema, TrendQuery, TrendsSchema, WindowQuery } from '../schemas';

const ModelParams = z.object({ modelId: ModelIdParam });
const FeatureParams = ModelParams.extend({
  feature: z.string().min(1).openapi({ param: { name: 'feature', in: 'path' }, description: 'Feature name, URL-encoded' }),
});
const QUERY_PROBLEMS = problems('invalid-request', 'not-found', 'conflict', 'query-timeout');

/** Drift queries: all figures from hourly aggregates, except the raw-row KS and statistics of a deep dive. */
export function driftRoutes(engine: DriftEngine): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/models/{modelId}/summary',
      tags: ['drift'],
      summary: 'Model drift summary for a window',
      description: 'Total predictions, importance-weighted average PSI, per-feature PSI/KL/JS with severity, and data volume, from hourly aggregates.',
      security: SECURITY,
      middleware: [requireScope('read')],
      request: { params: ModelParams, query: WindowQuery },
      responses: { 200: jsonBody(SummarySchema, 'The summary'), ...QUERY_PROBLEMS },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const window = resolveWindow(query.from, query.to);
      return c.json(await engine.summary(c.req.valid('param').modelId, window, parseBaseline(query.reference)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/models/{modelId}/features/{feature}',
      tags: ['drift'],
      summary: 'Feature deep dive: histogram of both sides, every metric, descriptive statistics, per-bin PSI contribution',
      description: 'PSI, KL, JS and the histogram come from aggregates (equal to the statistics on the raw rows); KS and descriptive statistics read raw rows, kept for the configured retention.',
      security: SECURITY,
      middleware: [requireScope('read')],
      request: { params: FeatureParams, query: WindowQuery },
      responses: { 200: jsonBody(FeatureDetailSchema, 'The feature detail'), ...QUERY_PROBLEMS },
    }),
    async (c) => {
      const { modelId, feature } = c.req.valid('param');
      const query = c.req.valid('query');
      const window = resolveWindow(query.from, query.to);
      const detail = await engine.featureDetail(modelId, feature, window, parseBaseline(query.reference));
      return c.json({ ...detail, stats: { reference: detail.stats.reference && { ...detail.stats.reference }, production: detail.stats.production && { ...detail.stats.production } } }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/models/{modelId}/trends',
      tags: ['drift'],
      summary: 'Drift metrics per feature per interval over a window (time series for Grafana)',
      security: SECURITY,
      middleware: [requireScope('read')],
      request: { params: ModelParams, query: TrendQuery },
      responses: { 200: jsonBody(TrendsSchema, 'One series per feature, one point per interval'), ...QUERY_PROBLEMS },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const window = resolveWindow(query.from, query.to);
      const features = query.features?.split(',').filter((name) => name !== '');
      const trends = await engine.trends(c.req.valid('param').modelId, window, parseInterval(query.interval, window), parseBaseline(query.reference), features);
      return c.json(trends, 200);
    },
  );

  return app;
}
