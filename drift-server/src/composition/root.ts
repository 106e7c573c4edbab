/**
 * The composition root: every command that works on a database (`serve`, `demo`, `report`) gets its
 * store, engine, scheduler, metrics registry and app from here, so they are wired one way.
 */
import { createApp } from '../api';
import { type Config, RETRY_BACKOFF_MAX_MS } from '../config';
import { DriftEngine, RetrainRunner, RetrainScheduler } from '../engine';
import type { Logger } from '../logger';
import { createMetricsRegistry } from '../metrics';
import { DEFAULT_THRESHOLDS, SeverityThresholds } from '../stats';
import { Store } from '../store';
import { StartupError } from './errors';

export const PACKAGE_VERSION: string = (require('../../package.json') as { version: string }).version;

/** The parts every command works with, over one opened and checked database file. */
export interface Core {
  readonly store: Store;
  /** Its result cache holds `queryCacheMb` of JSON. */
  readonly engine: DriftEngine;
  /** One set for the verdicts and for the threshold series /metrics exports beside them. */
  readonly thresholds: SeverityThresholds;
  /** Stops the engine's worker threads, then checkpoints and closes the database. */
  close(): Promise<void>;
}

/** Opens, migrates and checks the database, or fails with a StartupError naming the file and the problem. */
async function openStore(config: Config): Promise<Store> {
  let store: Store;
  try {
    store = await Store.open(config);
  } catch (error) {
    const message = (error as Error).message.split('\n')[0];
    if (/lock/i.test(message))
      throw new StartupError(`${config.dbPath} is in use by another process (DuckDB allows one)`);
    throw new StartupError(`cannot open the database ${config.dbPath}: ${message}`);
  }
  try {
    await store.verify();
  } catch (error) {
    await store.close().catch(() => undefined);
    throw new StartupError(
      `the database ${config.dbPath} is damaged: ${(error as Error).message.split('\n')[0]}; restore it from a backup`
    );
  }
  return store;
}

/** Opens and checks the database (`openStore`), with the engine over it. */
export async function openCore(config: Config): Promise<Core> {
  const store = await openStore(config);
  const thresholds = DEFAULT_THRESHOLDS;
  const engine = new DriftEngine(store, {
    cacheSize: config.queryCacheMb * 1024 * 1024,
    thresholds,
    trendThreads: config.trendThreads,
  });
  return {
    store,
    engine,
    thresholds,
    close: async () => {
      await engine.close();
      await store.close();
    },
  };
}

export interface AppContext {
  readonly logger: Logger;
  /** The time /metrics describes, in epoch milliseconds. */
  readonly clock: () => number;
}

/** The HTTP application over a core: its retrain scheduler and metrics registry are made here, one each. */
export function composeApp(
  { store, engine, thresholds }: Core,
  config: Config,
  { logger, clock }: AppContext
): ReturnType<typeof createApp> {
  return createApp({
    store,
    engine,
    scheduler: new RetrainScheduler(store, { windowDays: config.retraining.windowDays }),
    registry: createMetricsRegistry(),
    thresholds,
    limits: config.limits,
    logger,
    logRequests: config.logRequests,
    version: PACKAGE_VERSION,
    metrics: config.metrics,
    alertWebhookSecret: config.alertWebhookSecret,
    authFailuresPerMinute: config.authFailuresPerMinute,
    queryConcurrency: config.queryConcurrency,
    clock,
  });
}

/** The runner that delivers due retrain jobs; `url` is where trainers call back unless the configuration names one. */
export function composeRunner(store: Store, config: Config, url: string, logger: Logger): RetrainRunner {
  return new RetrainRunner(store, {
    pollIntervalMs: config.retraining.pollIntervalMs,
    publicUrl: config.retraining.publicUrl ?? url,
    backoff: { baseMs: config.retraining.backoffBaseMs, maxMs: RETRY_BACKOFF_MAX_MS },
    log: logger,
  });
}
