import { Hono } from 'hono';
import type { MetricsSettings } from '../../config';
import type { DriftEngine } from '../../engine';
import { DriftGaugeRefresh, MetricsRegistry } from '../../metrics';
import type { SeverityThresholds } from '../../stats';
import type { Store } from '../../store';
import type { AppEnv } from '../context';
import type { Logger } from '../../logger';
import type { FailedAuthLimiter } from '../auth-limiter';
import { authenticate, requireScope } from '../middleware';

export interface MetricsRouteDependencies {
  readonly store: Store;
  readonly engine: DriftEngine;
  readonly registry: MetricsRegistry;
  readonly settings: MetricsSettings;
  readonly logger: Logger;
  /** The API's failed-authentication limit, which a token-protected /metrics shares. */
  readonly authLimiter: FailedAuthLimiter;
  /** The time the gauges describe, in epoch milliseconds. */
  readonly clock: () => number;
  /** The thresholds the engine's verdicts use. */
  readonly thresholds: SeverityThresholds;
}

/**
 * GET /metrics in the Prometheus text format: the drift gauges, refreshed from the engine's
 * summaries on each scrape, and the server's own HTTP and ingestion counters. Open unless the
 * settings require a token with scope read.
 */
export function metricsRoutes({
  store,
  engine,
  registry,
  settings,
  logger,
  authLimiter,
  clock,
  thresholds,
}: MetricsRouteDependencies): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const driftGauges = new DriftGaugeRefresh(engine, registry.metrics, {
    windowHours: settings.windowHours,
    thresholds,
    clock,
    onKsError: (error) => logger.error('KS figures for /metrics failed', { error: error.stack ?? String(error) }),
  });
  if (settings.tokenRequired) app.use('/metrics', authenticate(store, authLimiter), requireScope('read'));
  app.get('/metrics', async (c) => {
    await driftGauges.refresh();
    const { contentType, body } = await registry.render();
    return c.body(body, 200, { 'content-type': contentType });
  });
  return app;
}
