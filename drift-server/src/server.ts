import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { Http2Bindings, HttpBindings } from '@hono/node-server';
import { composeApp, composeRunner, Core, openCore, PACKAGE_VERSION, StartupError } from './composition';
import type { Config } from './config';
import { jsonLogger, Logger } from './logger';
import type { Store } from './store';

const RETENTION_SWEEP_MS = 3_600_000;

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly store: Store;
  readonly engine: Core['engine'];
  /**
   * Stops the retrain job runner (letting deliveries under way finish), stops accepting connections,
   * lets in-flight requests finish, checkpoints and closes the database.
   */
  close(): Promise<void>;
  /** During close(): cuts the connections still open at once instead of waiting for their requests; the checkpoint still runs. */
  cutConnections(): void;
}

export interface StartOptions {
  readonly logger?: Logger;
  /**
   * The time /metrics describes and the raw-row retention counts from, in epoch milliseconds
   * (default Date.now): tests run the server through simulated hours on a clock they control.
   */
  readonly clock?: () => number;
}

/** Listens on the configured address, or fails with a StartupError naming it. */
function listen(server: Server, config: Config): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const where = `${config.host}:${config.port}`;
      if (error.code === 'EADDRINUSE')
        reject(
          new StartupError(
            `port ${config.port} on ${config.host} is already in use; stop what holds it or choose another (DRIFTGUARD_PORT, --port)`
          )
        );
      else if (error.code === 'EACCES')
        reject(
          new StartupError(
            `not allowed to listen on ${where}; ports below 1024 need privileges (DRIFTGUARD_PORT, --port)`
          )
        );
      else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND')
        reject(new StartupError(`cannot listen on ${config.host}: no such local address (DRIFTGUARD_HOST, --host)`));
      else reject(new StartupError(`cannot listen on ${where}: ${error.message}`));
    };
    server.once('error', onError);
    server.listen(config.port, config.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** What a request gets while the database is still being opened: the port is bound, nothing is served yet. */
function starting(request: Request): Response {
  const healthz = new URL(request.url).pathname === '/healthz';
  const body = healthz
    ? { status: 'starting', version: PACKAGE_VERSION }
    : {
        type: 'https://driftguard.dev/problems/starting',
        title: 'drift-server is starting',
        status: 503,
        detail: 'the database is being opened and migrated; retry shortly',
      };
  return new Response(JSON.stringify(body), {
    status: 503,
    headers: { 'content-type': healthz ? 'application/json' : 'application/problem+json', 'retry-after': '1' },
  });
}

/**
 * Binds the port first (so a port in use fails before the database is touched), then opens,
 * migrates and checks the database (answering 503 meanwhile), then serves the API, purges expired
 * raw rows (then hourly) and runs due retrain jobs.
 */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? jsonLogger();
  const clock = options.clock ?? Date.now;
  let serveApi: ((request: Request, env: HttpBindings | Http2Bindings) => Response | Promise<Response>) | undefined;
  const server = createAdaptorServer({
    fetch: (request, env) => (serveApi ? serveApi(request, env) : starting(request)),
  }) as Server;
  server.keepAliveTimeout = config.keepAliveTimeoutMs;
  // A request's headers may take as long as an idle connection may last (Node's default is 60 s).
  server.headersTimeout = Math.max(server.headersTimeout, config.keepAliveTimeoutMs + 1000);
  await listen(server, config);
  let core: Core;
  try {
    core = await openCore(config);
  } catch (error) {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    throw error;
  }
  const { store } = core;
  const sweep = async () => {
    try {
      const deleted = await store.purgeRawRows(config.rawRetentionDays, clock());
      if (deleted > 0) logger.info('raw rows purged', { deleted, retention_days: config.rawRetentionDays });
    } catch (error) {
      logger.error('raw row purge failed', { error: (error as Error).message });
    }
  };
  await sweep();
  const timer = setInterval(sweep, RETENTION_SWEEP_MS);
  timer.unref();

  const app = composeApp(core, config, { logger, clock });
  serveApi = (request, env) => app.fetch(request, env as HttpBindings);
  const { port } = server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  logger.info('listening', { port, db: config.dbPath });
  const url = `http://${host}:${port}`;
  const runner = composeRunner(store, config, url, logger);
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
      await core.close();
      logger.info('stopped', {});
    })();
    return closing;
  };
  return { url, port, store, engine: core.engine, close, cutConnections: () => server.closeAllConnections() };
}

/**
 * Resolves once SIGTERM or SIGINT has closed the server gracefully (in-flight requests finished,
 * database checkpointed). A further signal during the shutdown cuts the open connections at once
 * (their uploads roll back, nothing of them is stored) and the checkpoint still runs.
 */
export function closeOnSignals(server: RunningServer, logger: Logger): Promise<void> {
  return new Promise((resolve, reject) => {
    let closing = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (closing) {
        logger.info('cutting open connections', { signal });
        server.cutConnections();
        return;
      }
      closing = true;
      logger.info('shutting down', { signal });
      server.close().then(() => {
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
        resolve();
      }, reject);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
