import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type Config, RETRY_BACKOFF_MAX_MS } from './config';
import { createApp } from './api/app';
import { jsonLogger, Logger } from './api/logger';
import { RetrainRunner } from './engine';
import { Store } from './store';

const PACKAGE_VERSION: string = (require('../package.json') as { version: string }).version;
const RETENTION_SWEEP_MS = 3_600_000;

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly store: Store;
  /**
   * Stops the retrain job runner (letting deliveries under way finish), stops accepting connections,
   * lets in-flight requests finish, checkpoints and closes the database.
   */
  close(): Promise<void>;
}

export interface StartOptions {
  readonly logger?: Logger;
}

/** Opens the store, purges expired raw rows (then hourly), serves the API and runs due retrain jobs. */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? jsonLogger();
  const store = await Store.open(config);
  const sweep = async () => {
    try {
      const deleted = await store.purgeRawRows(config.rawRetentionDays);
      if (deleted > 0) logger.info('raw rows purged', { deleted, retention_days: config.rawRetentionDays });
    } catch (error) {
      logger.error('raw row purge failed', { error: (error as Error).message });
    }
  };
  await sweep();
  const timer = setInterval(sweep, RETENTION_SWEEP_MS);
  timer.unref();

  const app = createApp({
    store,
    limits: config.limits,
    queryCacheSize: config.queryCacheMb * 1024 * 1024,
    logger,
    logRequests: config.logRequests,
    version: PACKAGE_VERSION,
    metrics: config.metrics,
    alertWebhookSecret: config.alertWebhookSecret,
    retrainWindowDays: config.retraining.windowDays,
    authFailuresPerMinute: config.authFailuresPerMinute,
  });
  const server = await new Promise<Server>((resolve) => {
    const started = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(started as Server));
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  logger.info('listening', { port, db: config.dbPath });
  const url = `http://${host}:${port}`;
  const runner = new RetrainRunner(store, {
    pollIntervalMs: config.retraining.pollIntervalMs,
    publicUrl: config.retraining.publicUrl ?? url,
    backoff: { baseMs: config.retraining.backoffBaseMs, maxMs: RETRY_BACKOFF_MAX_MS },
    log: logger,
  });
  await runner.start();

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      clearInterval(timer);
      await runner.stop();
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), config.shutdownTimeoutMs);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
      await store.close();
      logger.info('stopped', {});
    })();
    return closing;
  };
  return { url, port, store, close };
}

/** Resolves once SIGTERM or SIGINT has closed the server gracefully (in-flight requests finished, database checkpointed). */
export function closeOnSignals(server: RunningServer, logger: Logger): Promise<void> {
  return new Promise((resolve, reject) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      logger.info('shutting down', { signal });
      server.close().then(resolve, reject);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
