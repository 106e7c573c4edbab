import { randomBytes } from 'node:crypto';
import { Command, InvalidArgumentError } from 'commander';
import { jsonLogger } from '../api/logger';
import { Config, DemoToken } from '../config';
import { demoScenario, loadDemoScenario, ScenarioNumber } from '../demo';
import { DriftEngine, modelHealth, resolveWindow } from '../engine';
import { closeOnSignals, startServer } from '../server';
import { HOUR_MS, NotFoundError, Store } from '../store';
import { healthReport } from './demo-report';
import { CliIo } from './io';
import { wholeNumber } from './options';
import { cliConfig, openDatabase, rawRetentionOption } from './serve';

interface DemoFlags {
  scenario: ScenarioNumber;
  db?: string;
  port?: number;
  serve: boolean;
  reset?: boolean;
  rawRetentionDays?: number;
}

const DAY_MS = 24 * HOUR_MS;
/** The report covers the last week: long enough for thousands of labelled rows, short enough to show the attack of scenario 2. */
const REPORT_DAYS = 7;

function scenarioNumber(value: string): ScenarioNumber {
  if (value === '1' || value === '2' || value === '3') return Number(value) as ScenarioNumber;
  throw new InvalidArgumentError('expected 1 (baseline), 2 (sudden drift) or 3 (gradual decay)');
}

/** Tokens from DRIFTGUARD_TOKENS, else an admin and a read token made for this run. */
function demoTokens(config: Config): { tokens: DemoToken[]; generated: boolean } {
  if (config.demoTokens.length > 0) return { tokens: config.demoTokens, generated: false };
  const token = () => `dg_demo_${randomBytes(24).toString('base64url')}`;
  return { tokens: [{ token: token(), scopes: ['admin'] }, { token: token(), scopes: ['read'] }], generated: true };
}

function tokenLines(tokens: readonly DemoToken[], generated: boolean): string {
  const setting = tokens.map(({ scopes, token }) => `${scopes.join('+')}=${token}`).join(',');
  const origin = generated ? 'generated for this run; set them to keep them' : 'from DRIFTGUARD_TOKENS';
  return [`Tokens (${origin}):`, ...tokens.map(({ scopes, token }) => `  ${scopes.join('+').padEnd(12)} ${token}`), `  DRIFTGUARD_TOKENS=${setting}`].join('\n') + '\n';
}

/** Loads the scenario unless the database already holds its model; with --reset it replaces it. */
async function ensureLoaded(store: Store, number: ScenarioNumber, reset: boolean, io: CliIo): Promise<void> {
  const { modelId, title, story } = demoScenario(number);
  io.out(`DriftGuard demo, scenario ${number}: ${title}\n  ${story}\n`);
  const present = await store.models.get(modelId).then(
    () => true,
    (error: unknown) => (error instanceof NotFoundError ? false : Promise.reject(error)),
  );
  if (present && !reset) {
    io.out(`The database already holds model ${modelId}: showing and serving what is there (--reset reloads it).\n`);
    return;
  }
  if (present) await store.models.delete(modelId);
  const started = Date.now();
  const loaded = await loadDemoScenario(store, number, started);
  io.out(
    `Loaded model ${modelId}: reference of ${loaded.referenceRows.toLocaleString('en-US')} rows, ` +
      `${loaded.predictions.toLocaleString('en-US')} predictions over ${loaded.scenario.days} days ending now, with labels (${((Date.now() - started) / 1000).toFixed(1)} s).\n`,
  );
}

/**
 * `drift-server demo --scenario N`: a synthetic credit-risk model with 90 days of traffic, loaded
 * through the store's ingestion, its health report printed, then served like `serve`.
 */
export function demoCommand(io: CliIo, env: NodeJS.ProcessEnv = process.env): Command {
  return new Command('demo')
    .description('Load a demo scenario (synthetic credit-risk model, 90 days of traffic ending now), print its health and recommendation, and serve it')
    .requiredOption('--scenario <n>', '1 baseline (healthy), 2 sudden drift (attack), 3 gradual decay', scenarioNumber)
    .option('--db <path>', 'database file (env DRIFTGUARD_DB, default ./driftguard.duckdb)')
    .option('--port <port>', 'port, 0 for any free one (env DRIFTGUARD_PORT, default 8080)', wholeNumber(0, 65535))
    .option('--no-serve', 'load and report, then exit')
    .option('--reset', 'replace the scenario’s model when the database already holds it')
    .addOption(rawRetentionOption())
    .action(async (flags: DemoFlags) => {
      const configured = cliConfig(env, { dbPath: flags.db, port: flags.port, rawRetentionDays: flags.rawRetentionDays });
      const { tokens, generated } = demoTokens(configured);
      const config: Config = { ...configured, demoTokens: tokens };
      const store = await openDatabase(config, () => Store.open(config));
      try {
        await ensureLoaded(store, flags.scenario, flags.reset === true, io);
        // Whole hours only: the hour in progress would dilute the measured predictions per day.
        const toMs = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
        const window = resolveWindow(new Date(toMs - REPORT_DAYS * DAY_MS).toISOString(), new Date(toMs).toISOString());
        io.out(healthReport(await modelHealth(new DriftEngine(store), demoScenario(flags.scenario).modelId, window, { kind: 'reference' })));
      } finally {
        await store.close();
      }
      io.out(tokenLines(tokens, generated));
      if (!flags.serve) {
        io.out('Not serving (--no-serve).\n');
        return;
      }
      const logger = jsonLogger(io.out);
      const server = await openDatabase(config, () => startServer(config, { logger }));
      io.out(`Serving ${server.url}/api/v1 (OpenAPI at ${server.url}/api/v1/openapi.json); Ctrl-C stops.\n`);
      await closeOnSignals(server, logger);
    });
}
