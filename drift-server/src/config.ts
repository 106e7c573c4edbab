import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Scope, SCOPES } from './scopes';

/**
 * Idle keep-alive connections stay open longer than the clients that pool them keep them: Grafana's
 * data proxy keeps an idle connection 90 s (conf/defaults.ini, [dataproxy] idle_conn_timeout_seconds),
 * Node's own default closes it after 5 s, and a request the proxy sends on a connection the server has
 * just closed fails (a POST is not retried: the panel's Schedule would show a proxy error).
 */
export const DEFAULT_KEEP_ALIVE_SECONDS = 95;
/** Hours in the window the drift gauges describe, unless the server is configured otherwise. */
export const DEFAULT_METRICS_WINDOW_HOURS = 6;

/** Ceilings on what one request may make the server hold or store. */
export interface Limits {
  /** Largest request body in bytes; uploads are streamed, so this bounds disk, not memory. */
  readonly maxBodyBytes: number;
  readonly maxRowsPerBatch: number;
  readonly maxFeatures: number;
  /** Longest string accepted for ids, names, categories and labels. */
  readonly maxStringLength: number;
  /** Longest row of an upload in bytes, in every format: a CSV record, an NDJSON line, a JSON array element, a Parquet row's text. */
  readonly maxRowBytes: number;
  /** Most raw values read per side for the exact KS test and descriptive statistics of a deep dive. */
  readonly maxDeepDiveRows: number;
}

export interface DemoToken {
  /** What logs, the audit log and GET /whoami call the token: given in DRIFTGUARD_TOKENS, else its scopes. */
  readonly name: string;
  readonly token: string;
  readonly scopes: Scope[];
}

export interface Config {
  readonly dbPath: string;
  readonly host: string;
  readonly port: number;
  /** Raw production rows older than this many days are deleted; aggregates are kept. */
  readonly rawRetentionDays: number;
  readonly connectionPoolSize: number;
  /** DuckDB memory_limit: what DuckDB may buffer before spilling to disk. */
  readonly duckdbMemoryLimit: string;
  /** Threads DuckDB runs queries on; by default one fewer than the machine's cores, leaving one to the event loop. */
  readonly duckdbThreads: number;
  /** Read queries running longer are interrupted (503); 0 disables the timeout. */
  readonly queryTimeoutMs: number;
  /** Megabytes (of JSON) of drift results kept for repeated identical queries until the model's data changes; 0 disables. */
  readonly queryCacheMb: number;
  readonly limits: Limits;
  readonly demoTokens: DemoToken[];
  readonly shutdownTimeoutMs: number;
  /** How long an idle keep-alive connection stays open. */
  readonly keepAliveTimeoutMs: number;
  readonly logRequests: boolean;
  readonly metrics: MetricsSettings;
  /** Shared secret with which Grafana's alert webhook may sign its posts instead of sending a token; unset disables signed posts. */
  readonly alertWebhookSecret: string | undefined;
  readonly retraining: RetrainingConfig;
  /** Failed authentications one client address may make per minute (bucket size and refill rate) before every attempt from it gets 429; 0: no limit. */
  readonly authFailuresPerMinute: number;
  /** Expensive reads (summaries, trends, deep dives, reports) computed at once; the others wait their turn. */
  readonly queryConcurrency: number;
  /** Worker threads computing trend answers off the event loop. */
  readonly trendThreads: number;
}

export interface RetrainingConfig {
  /** How often the job runner looks for due retrain jobs. */
  readonly pollIntervalMs: number;
  /** Delay before a failed delivery's first retry; it doubles per attempt up to 10 minutes, with jitter. */
  readonly backoffBaseMs: number;
  /** Base URL trainers reach this server at, for their callback URLs; the listening address when unset. */
  readonly publicUrl: string | undefined;
  /** Days of production data a job's training window spans unless the request names one. */
  readonly windowDays: number;
}

export const RETRY_BACKOFF_MAX_MS = 600_000;

export interface MetricsSettings {
  /** Hours of production data the drift gauges of GET /metrics describe, the current hour included. */
  readonly windowHours: number;
  /** GET /metrics needs a bearer token with scope read; open otherwise, as Prometheus scrapes usually are. */
  readonly tokenRequired: boolean;
}

export type Environment = Readonly<Record<string, string | undefined>>;

/** Values given on the command line; each one overrides its environment variable. */
export interface ConfigOverrides {
  readonly dbPath?: string;
  readonly host?: string;
  readonly port?: number;
  readonly rawRetentionDays?: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Days raw production rows are kept, for `serve` and `demo` alike: the longest dashboard range (90
 * days) plus the day in progress, so a deep dive over it reads KS and statistics from every row.
 */
export const DEFAULT_RAW_RETENTION_DAYS = 91;

export const DEFAULT_LIMITS: Limits = {
  maxBodyBytes: 2 * 1024 ** 3,
  maxRowsPerBatch: 20_000_000,
  maxFeatures: 500,
  maxStringLength: 1024,
  maxRowBytes: 2 * 1024 ** 2,
  maxDeepDiveRows: 1_000_000,
};

function booleanFrom(env: Environment, name: string, fallback: boolean): boolean {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  if (text === 'true' || text === 'false') return text === 'true';
  throw new ConfigError(`${name} must be true or false, got ${JSON.stringify(text)}`);
}

function integerFrom(env: Environment, name: string, fallback: number, min: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min) {
    throw new ConfigError(`${name} must be a whole number ≥ ${min}, got ${JSON.stringify(text)}`);
  }
  return value;
}

/** A shared secret: unset or empty means none; a short one is refused rather than silently weak. */
function secretFrom(env: Environment, name: string): string | undefined {
  const text = env[name];
  if (text === undefined || text === '') return undefined;
  if (text.length < 16) throw new ConfigError(`${name} must be at least 16 characters long`);
  return text;
}

const SIZE_UNITS: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};
const SIZE = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/i;
/** Below this DuckDB cannot even open a database file. */
const MIN_MEMORY_LIMIT_BYTES = 16 * 1024 ** 2;

/** A DuckDB size such as 256MB or 1GiB, checked here so a bad one names its variable instead of failing inside DuckDB. */
function memoryLimitFrom(env: Environment, name: string, fallback: string): string {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const match = SIZE.exec(text.trim());
  const bytes =
    match && SIZE_UNITS[match[2].toLowerCase()] !== undefined
      ? Number(match[1]) * SIZE_UNITS[match[2].toLowerCase()]
      : Number.NaN;
  if (!(bytes >= MIN_MEMORY_LIMIT_BYTES)) {
    throw new ConfigError(
      `${name} must be a size of at least 16MiB such as 256MB or 1GiB (units B, KB, MB, GB, TB, KiB, MiB, GiB, TiB), got ${JSON.stringify(text)}`
    );
  }
  return text.trim();
}

function httpUrlFrom(env: Environment, name: string): string | undefined {
  const text = env[name];
  if (text === undefined || text === '') return undefined;
  const url = URL.parse(text);
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    throw new ConfigError(`${name} must be an http or https URL, got ${JSON.stringify(text)}`);
  return text;
}

/** Token names as DRIFTGUARD_TOKENS gives them: safe in logs, shell variable names aside. */
const TOKEN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * DRIFTGUARD_TOKENS holds demo tokens as comma-separated `[name:]scope[+scope…]=token` entries, for
 * example `grafana:read=abc…,ingest+read=def…`. A token without a name is named after its scopes
 * (`ingest+read`), with `-2`, `-3`… for repeats. They are hashed in memory and never written to
 * the database.
 */
export function parseDemoTokens(text: string | undefined): DemoToken[] {
  if (text === undefined || text.trim() === '') return [];
  const names = new Set<string>();
  return text.split(',').map((entry) => {
    const separator = entry.indexOf('=');
    const token = entry.slice(separator + 1).trim();
    if (separator <= 0 || token.length < 16) {
      throw new ConfigError(
        'DRIFTGUARD_TOKENS entries must look like [name:]scope[+scope]=token with a token of at least 16 characters'
      );
    }
    const grant = entry.slice(0, separator).trim();
    const colon = grant.indexOf(':');
    const givenName = colon < 0 ? undefined : grant.slice(0, colon).trim();
    const scopes = grant
      .slice(colon + 1)
      .split('+')
      .map((scope) => scope.trim());
    for (const scope of scopes) {
      if (!(SCOPES as readonly string[]).includes(scope)) {
        throw new ConfigError(
          `DRIFTGUARD_TOKENS names unknown scope ${JSON.stringify(scope)}; scopes are ${SCOPES.join(', ')}`
        );
      }
    }
    if (givenName !== undefined && !TOKEN_NAME.test(givenName)) {
      throw new ConfigError(
        `DRIFTGUARD_TOKENS token name ${JSON.stringify(givenName)} must be 1–64 letters, digits, '.', '_' or '-', starting with a letter or digit`
      );
    }
    if (givenName !== undefined && names.has(givenName))
      throw new ConfigError(`DRIFTGUARD_TOKENS names two tokens ${JSON.stringify(givenName)}`);
    let name = givenName ?? scopes.join('+');
    for (let repeat = 2; givenName === undefined && names.has(name); repeat += 1)
      name = `${scopes.join('+')}-${repeat}`;
    names.add(name);
    return { name, token, scopes: scopes as Scope[] };
  });
}

export function loadConfig(
  env: Environment = process.env,
  overrides: ConfigOverrides = {},
  cwd = process.cwd()
): Config {
  const port = overrides.port ?? integerFrom(env, 'DRIFTGUARD_PORT', 8080, 0);
  if (port > 65535) throw new ConfigError(`port must be at most 65535, got ${port}`);
  return {
    dbPath: path.resolve(cwd, overrides.dbPath ?? env.DRIFTGUARD_DB ?? 'driftguard.duckdb'),
    host: overrides.host ?? env.DRIFTGUARD_HOST ?? '0.0.0.0',
    port,
    rawRetentionDays:
      overrides.rawRetentionDays ?? integerFrom(env, 'DRIFTGUARD_RAW_RETENTION_DAYS', DEFAULT_RAW_RETENTION_DAYS, 1),
    connectionPoolSize: integerFrom(env, 'DRIFTGUARD_DB_CONNECTIONS', 4, 1),
    duckdbMemoryLimit: memoryLimitFrom(env, 'DRIFTGUARD_DUCKDB_MEMORY_LIMIT', '256MB'),
    duckdbThreads: integerFrom(env, 'DRIFTGUARD_DUCKDB_THREADS', Math.max(1, availableParallelism() - 1), 1),
    queryTimeoutMs: integerFrom(env, 'DRIFTGUARD_QUERY_TIMEOUT_MS', 15_000, 0),
    queryCacheMb: integerFrom(env, 'DRIFTGUARD_QUERY_CACHE_MB', 32, 0),
    limits: {
      maxBodyBytes: integerFrom(env, 'DRIFTGUARD_MAX_BODY_BYTES', DEFAULT_LIMITS.maxBodyBytes, 1024),
      maxRowsPerBatch: integerFrom(env, 'DRIFTGUARD_MAX_ROWS_PER_BATCH', DEFAULT_LIMITS.maxRowsPerBatch, 1),
      maxFeatures: integerFrom(env, 'DRIFTGUARD_MAX_FEATURES', DEFAULT_LIMITS.maxFeatures, 1),
      maxStringLength: integerFrom(env, 'DRIFTGUARD_MAX_STRING_LENGTH', DEFAULT_LIMITS.maxStringLength, 16),
      maxRowBytes: integerFrom(env, 'DRIFTGUARD_MAX_ROW_BYTES', DEFAULT_LIMITS.maxRowBytes, 1024),
      maxDeepDiveRows: integerFrom(env, 'DRIFTGUARD_MAX_DEEP_DIVE_ROWS', DEFAULT_LIMITS.maxDeepDiveRows, 100),
    },
    demoTokens: parseDemoTokens(env.DRIFTGUARD_TOKENS),
    shutdownTimeoutMs: integerFrom(env, 'DRIFTGUARD_SHUTDOWN_TIMEOUT_MS', 30_000, 0),
    keepAliveTimeoutMs: 1000 * integerFrom(env, 'DRIFTGUARD_KEEP_ALIVE_SECONDS', DEFAULT_KEEP_ALIVE_SECONDS, 1),
    logRequests: env.DRIFTGUARD_LOG_REQUESTS !== 'false',
    metrics: {
      windowHours: integerFrom(env, 'DRIFTGUARD_METRICS_WINDOW_HOURS', DEFAULT_METRICS_WINDOW_HOURS, 1),
      tokenRequired: booleanFrom(env, 'DRIFTGUARD_METRICS_TOKEN_REQUIRED', false),
    },
    alertWebhookSecret: secretFrom(env, 'DRIFTGUARD_ALERT_WEBHOOK_SECRET'),
    authFailuresPerMinute: integerFrom(env, 'DRIFTGUARD_AUTH_FAILURES_PER_MINUTE', 30, 0),
    queryConcurrency: integerFrom(env, 'DRIFTGUARD_QUERY_CONCURRENCY', 2, 1),
    trendThreads: integerFrom(env, 'DRIFTGUARD_TREND_THREADS', 1, 1),
    retraining: {
      pollIntervalMs: integerFrom(env, 'DRIFTGUARD_RETRAIN_POLL_MS', 1000, 10),
      backoffBaseMs: integerFrom(env, 'DRIFTGUARD_RETRAIN_BACKOFF_MS', 5000, 1),
      publicUrl: httpUrlFrom(env, 'DRIFTGUARD_PUBLIC_URL'),
      windowDays: integerFrom(env, 'DRIFTGUARD_RETRAIN_WINDOW_DAYS', 7, 1),
    },
  };
}
