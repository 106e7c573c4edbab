import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Limits, MetricsSettings } from '../config';
import type { SeverityThresholds } from '../stats';
import { AlertPolicy, type DriftEngine, type RetrainScheduler } from '../engine';
import type { MetricsRegistry } from '../metrics';
import { SCHEMA_VERSION } from '../store';
import type { Store } from '../store';
import { FailedAuthLimiter } from './auth-limiter';
import { EXPENSIVE_READS, QueryGate } from './query-gate';
import type { AppEnv } from './context';
import type { Logger } from '../logger';
import { countIngestion, countRequests } from './metrics-middleware';
import { auditTrail } from './audit-trail';
import { authenticate, requireScope } from './middleware';
import { requestIdentity } from './request-id';
import { requestLog } from './request-log';
import { closedBeforeRequestEnded } from './upload';
import { ApiProblem, describeIssues, problemOf, problemResponse } from './problems';
import { DeclaredRoute, declaredRoutes, UndeclaredQueryRefusal } from './query-parameters';
import { ALERT_RECEIVER_ROUTE, alertRoutes } from './routes/alerts';
import { auditRoutes } from './routes/audit';
import { dataRoutes } from './routes/data';
import { driftRoutes } from './routes/drift';
import { metricsRoutes } from './routes/metrics';
import { modelRoutes } from './routes/models';
import { reportRoutes } from './routes/reports';
import { retrainingRoutes, TRAINER_CALLBACK_ROUTE } from './routes/retraining';
import { tokenRoutes } from './routes/tokens';

/** What the app serves; the composition root (src/composition/root.ts) builds each part. */
export interface AppDependencies {
  readonly store: Store;
  readonly engine: DriftEngine;
  readonly scheduler: RetrainScheduler;
  readonly registry: MetricsRegistry;
  /** The thresholds the engine's verdicts use, exported by /metrics beside them. */
  readonly thresholds: SeverityThresholds;
  readonly limits: Limits;
  readonly logger: Logger;
  /** One log line per request; lifecycle and error lines are logged regardless. */
  readonly logRequests: boolean;
  readonly version: string;
  readonly metrics: MetricsSettings;
  /** Lets Grafana's alert webhook sign its posts instead of sending a token; undefined: tokens only. */
  readonly alertWebhookSecret: string | undefined;
  /** Failed authentications a client address may make per minute before every attempt from it gets 429; 0: no limit. */
  readonly authFailuresPerMinute: number;
  /** Expensive reads computed at once; the rest wait their turn (QueryGate). */
  readonly queryConcurrency: number;
  /** The time /metrics describes, in epoch milliseconds. */
  readonly clock: () => number;
}

const API_DESCRIPTION = `DriftGuard measures data drift of ML models in production.

Every /api/v1 route needs \`Authorization: Bearer <token>\`, except this document (GET /openapi.json: no token needed; a token sent is checked like any read), the trainer callback (POST /retrain-jobs/{jobId}/callback), which is signed with X-DriftGuard-Signature instead, and the Grafana alert receiver (POST /alerts/grafana), which accepts either; scopes: read (queries), ingest (uploads), operate (retraining), admin (everything).
Errors are RFC 9457 problem details (application/problem+json).
Drift figures: PSI = Σ (a−e)·ln(a/e), KL = Σ a·ln(a/e) with shares of 0 replaced by 1e-4; JS = Jensen–Shannon distance (base 2) on raw shares; psi_critical = χ²₀.₉₅(K−1)·(1/N + 1/M).
Verdicts: a feature is drifted in a window when a finding is both beyond sampling noise — Benjamini–Hochberg q ≤ 0.01 over every test of the model's features in that window — and practically large: bias-corrected PSI ≥ 0.1 (warning) or 0.2 (critical), a missing share up 5 or 20 points, 1 % or 5 % of the values outside the reference's bins. Health = 100·(1 − Σ importance share × damage of the decided findings). docs/STATISTICS.md has every rule.`;

const API_BASE = '/api/v1';
const OPENAPI_PATH = `${API_BASE}/openapi.json`;
/** Routes outside the OpenAPI document; none reads a query parameter. */
const UNDOCUMENTED_ROUTES: DeclaredRoute[] = ['/healthz', '/metrics', OPENAPI_PATH].map((path) => ({
  method: 'GET',
  path,
  parameters: [],
}));

/**
 * The OpenAPI document holds no secrets, so it is served without a token. A request that does
 * present one is checked like any read (401 unknown, 403 without scope read), so a client can use
 * it to test a read token.
 */
function presentedTokenHasRead(store: Store, limiter: FailedAuthLimiter): MiddlewareHandler<AppEnv> {
  const authenticated = authenticate(store, limiter);
  const canRead = requireScope('read');
  return async (c, next) => {
    if (c.req.header('authorization') === undefined) return next();
    await authenticated(c, async () => {
      await canRead(c, next);
    });
  };
}

/** The routes validating a body with zod take JSON only: their refusal of another media type says what to send instead. */
function jsonBodyRequired(error: unknown, c: Context): unknown {
  if (!(error instanceof HTTPException) || error.status !== 415) return error;
  const sent = c.req.header('content-type');
  return new ApiProblem(
    'unsupported-media-type',
    `send the body as JSON with Content-Type: application/json (the request had ${sent === undefined ? 'no Content-Type' : `Content-Type ${sent}`})`
  );
}

/** Expensive reads that may wait for a turn; more are refused with 503 (a dashboard's refresh retries). */
const MAX_WAITING_READS = 200;

/** The HTTP application: /healthz, /metrics, and the authenticated API under /api/v1 with its OpenAPI document. */
export function createApp({
  store,
  engine,
  scheduler,
  registry,
  thresholds,
  limits,
  logger,
  logRequests,
  version,
  metrics,
  alertWebhookSecret,
  authFailuresPerMinute,
  queryConcurrency,
  clock,
}: AppDependencies): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw new ApiProblem('invalid-request', describeIssues(result.error, result.target));
    },
  });
  const authLimiter = new FailedAuthLimiter(authFailuresPerMinute);
  app.use('*', requestIdentity());
  // The log line is written before the audit record, and times the answer without it.
  app.use('*', auditTrail(store, logger));
  if (logRequests) app.use('*', requestLog(logger));
  app.use('*', countRequests(registry.metrics));
  const openApiDocument = () =>
    api.getOpenAPI31Document({
      openapi: '3.1.0',
      info: { title: 'DriftGuard API', version, description: API_DESCRIPTION },
      servers: [{ url: API_BASE }],
    });
  const undeclaredQuery = new UndeclaredQueryRefusal(() => [
    ...declaredRoutes(openApiDocument(), API_BASE),
    ...UNDOCUMENTED_ROUTES,
  ]);
  app.use('*', undeclaredQuery.middleware());
  app.onError((error, c) => {
    const requestId = c.get('requestId');
    const problem = closedBeforeRequestEnded(c)
      ? new ApiProblem(
          'client-closed-request',
          'the client closed the connection before its request ended; nothing of it was stored'
        )
      : problemOf(jsonBodyRequired(error, c), requestId);
    if (problem.status >= 500)
      logger.error('request failed', { request_id: requestId, error: error.stack ?? String(error) });
    return problemResponse(c, problem, requestId);
  });
  app.notFound((c) =>
    problemResponse(c, new ApiProblem('not-found', `no route for ${c.req.method} ${c.req.path}`), c.get('requestId'))
  );

  // Answered from the store's background probe, so it never waits behind expensive reads.
  app.get('/healthz', (c) => {
    const health = store.health();
    const checked = health.checkedAgoMs === undefined ? {} : { database_checked_ms_ago: health.checkedAgoMs };
    if (health.healthy) return c.json({ status: 'ok', version, schema_version: SCHEMA_VERSION, ...checked });
    logger.error('health check failed', { request_id: c.get('requestId'), error: health.detail });
    return c.json(
      { status: 'unavailable', version, schema_version: SCHEMA_VERSION, detail: health.detail, ...checked },
      503
    );
  });

  const api = new OpenAPIHono<AppEnv>();
  api.use('*', authenticate(store, authLimiter, [ALERT_RECEIVER_ROUTE, TRAINER_CALLBACK_ROUTE]));
  api.use('*', countIngestion(registry.metrics));
  const gate = new QueryGate(queryConcurrency, MAX_WAITING_READS).middleware();
  for (const path of EXPENSIVE_READS) api.use(path, gate);
  api.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'Token from `drift-server token create`, POST /api/v1/tokens, or DRIFTGUARD_TOKENS for demos',
  });
  api.route('/', modelRoutes(store));
  api.route('/', dataRoutes(store, limits));
  api.route('/', driftRoutes(engine));
  api.route('/', reportRoutes(engine));
  api.route('/', tokenRoutes(store));
  api.route(
    '/',
    alertRoutes({
      store,
      policy: new AlertPolicy(engine, scheduler),
      metrics: registry.metrics,
      webhookSecret: alertWebhookSecret,
    })
  );
  api.route('/', auditRoutes(store));
  api.route('/', retrainingRoutes({ store, scheduler }));
  // Registered before the API is mounted, so its token check does not run for the document.
  app.get(OPENAPI_PATH, presentedTokenHasRead(store, authLimiter), (c) => c.json(openApiDocument()));
  app.route(API_BASE, api);
  app.route('/', metricsRoutes({ store, engine, registry, settings: metrics, logger, authLimiter, clock, thresholds }));
  // Work every first request would otherwise do on the event loop, 150–250 ms of it, stalling
  // /healthz and everything else: writing the OpenAPI document the query rules come from, and
  // building the router's matchers (Hono builds them on the first match).
  undeclaredQuery.prepare();
  app.router.match('GET', '/healthz');
  return app;
}
