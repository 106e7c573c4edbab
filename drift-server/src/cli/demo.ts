import { randomBytes } from 'node:crypto';
import { Command, InvalidArgumentError } from 'commander';
import { jsonLogger } from '../logger';
import { Config, DemoToken } from '../config';
import { DEMO_PREDICTIONS, demoScenario, loadDemoScenario, ScenarioNumber, unfinishedLoad } from '../demo';
import { modelHealth, resolveWindow, TimeWindow } from '../engine';
import { openCore } from '../composition';
import { closeOnSignals, startServer } from '../server';
import { NotFoundError, Store } from '../store';
import { healthReport } from './demo-report';
import { feedToken, LivePlan, planLiveFeed, startLiveFeed } from './demo-live';
import { CliError } from './errors';
import { CliIo } from './io';
import { wholeNumber } from './options';
import { cliConfig, openDatabase, rawRetentionOption } from './serve';
import { HOUR_MS, DAY_MS } from '../time';

interface DemoFlags {
  scenario: ScenarioNumber;
  db?: string;
  port?: number;
  serve: boolean;
  reset?: boolean;
  rawRetentionDays?: number;
  live?: boolean;
  labelDelay: number;
  streamMinutes?: number;
}

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
  return {
    tokens: [
      { name: 'admin', token: token(), scopes: ['admin'] },
      { name: 'read', token: token(), scopes: ['read'] },
    ],
    generated: true,
  };
}

/** A word for the shell as it is, or single-quoted when it holds anything the shell would act on. */
const shellWord = (text: string) =>
  /^[A-Za-z0-9_.:+=,/@-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;

/** The shell variable a token is exported as: `read` → READ_TOKEN, `read+operate` → READ_OPERATE_TOKEN. */
export function tokenVariable(name: string): string {
  const stem = name.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
  return `${/^[0-9]/.test(stem) ? `T${stem}` : stem}_TOKEN`;
}

/**
 * The tokens as lines to paste into another shell: one variable per token (what the README's curl
 * lines use), DRIFTGUARD_URL and DRIFTGUARD_TOKEN for the CLI's `model` and `ingest` commands
 * (the token that can do most), and DRIFTGUARD_TOKENS to keep the same tokens next time.
 */
export function tokenLines(tokens: readonly DemoToken[], generated: boolean, url: string | undefined): string {
  const setting = tokens.map(({ name, scopes, token }) => `${name}:${scopes.join('+')}=${token}`).join(',');
  const strongest =
    tokens.find(({ scopes }) => scopes.includes('admin')) ??
    tokens.find(({ scopes }) => scopes.includes('ingest')) ??
    tokens[0];
  const lines = [
    `Tokens (${generated ? 'generated for this run' : 'from DRIFTGUARD_TOKENS'}): ${tokens.map(({ name, scopes }) => `${name} (${scopes.join('+')})`).join(', ')}. To use them from another shell, paste:`,
    ...tokens.map(({ name, token }) => `  export ${tokenVariable(name)}=${shellWord(token)}`),
  ];
  if (url !== undefined)
    lines.push(`  export DRIFTGUARD_URL=${url} DRIFTGUARD_TOKEN=$${tokenVariable(strongest.name)}`);
  if (generated)
    lines.push(
      'To keep these tokens for the next run, start it with:',
      `  export DRIFTGUARD_TOKENS=${shellWord(setting)}`
    );
  return `${lines.join('\n')}\n`;
}

/**
 * Loads the scenario unless the database already holds its model; with --reset it replaces it. A
 * model left by a load that did not finish is loaded again: serving part of a scenario would show
 * figures of days that are not there.
 */
async function ensureLoaded(store: Store, number: ScenarioNumber, reset: boolean, io: CliIo): Promise<void> {
  const { modelId, title, story } = demoScenario(number);
  io.out(`DriftGuard demo, scenario ${number}: ${title}\n  ${story}\n`);
  const present = await store.models.get(modelId).then(
    () => true,
    (error: unknown) => (error instanceof NotFoundError ? false : Promise.reject(error))
  );
  const unfinished = present && !reset ? await unfinishedLoad(store, modelId) : undefined;
  if (present && !reset && unfinished === undefined) {
    io.out(`The database already holds model ${modelId}: showing and serving what is there (--reset reloads it).\n`);
    return;
  }
  if (unfinished !== undefined)
    io.out(`The database holds an unfinished load of model ${modelId} (${unfinished}): loading it again.\n`);
  if (present) await store.models.delete(modelId);
  const started = Date.now();
  const loaded = await loadDemoScenario(store, number, started, (predictions) =>
    io.out(
      `  predictions loaded: ${predictions.toLocaleString('en-US')} of ${DEMO_PREDICTIONS.toLocaleString('en-US')}\n`
    )
  );
  io.out(
    `Loaded model ${modelId}: reference of ${loaded.referenceRows.toLocaleString('en-US')} rows, ` +
      `${loaded.predictions.toLocaleString('en-US')} predictions over ${loaded.scenario.days} days ending now, with labels (${((Date.now() - started) / 1000).toFixed(1)} s).\n`
  );
}

/** The printed figures cover a week, the API's default window a day: say so, with the query that gives the same figures. */
function windowNote(modelId: string, window: TimeWindow): string {
  const query = `from=${new Date(window.fromMs).toISOString()}&to=${new Date(window.toMs).toISOString()}`;
  return (
    `Figures of the last ${REPORT_DAYS} whole days. The API answers for the last 24 hours unless asked for a window; these figures are\n` +
    `  GET /api/v1/models/${modelId}/summary?${query}   (and /recommendation with the same query)\n`
  );
}

/** Stops the feed before the server closes, so no batch is sent to a server shutting down. */
function stopOnSignals(stop: () => Promise<void>): void {
  const onSignal = () => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    void stop();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/**
 * `drift-server demo --scenario N`: a synthetic credit-risk model with 90 days of traffic, loaded
 * through the store's ingestion, its health report printed, then served like `serve`; with
 * `--live`, the scenario goes on in real time: predictions sent as they come due, labels later.
 */
export function demoCommand(io: CliIo, env: NodeJS.ProcessEnv = process.env): Command {
  return new Command('demo')
    .description(
      'Load a demo scenario (synthetic credit-risk model, 90 days of traffic ending now), print its health and recommendation, and serve it'
    )
    .requiredOption('--scenario <n>', '1 baseline (healthy), 2 sudden drift (attack), 3 gradual decay', scenarioNumber)
    .option('--db <path>', 'database file (env DRIFTGUARD_DB, default ./driftguard.duckdb)')
    .option('--port <port>', 'port, 0 for any free one (env DRIFTGUARD_PORT, default 8080)', wholeNumber(0, 65535))
    .option('--no-serve', 'load and report, then exit')
    .option('--reset', 'replace the scenario’s model when the database already holds it')
    .option(
      '--live',
      'keep the scenario going in real time while serving: predictions as they come due, each label after --label-delay'
    )
    .option(
      '--label-delay <minutes>',
      'with --live: minutes from a prediction to its label',
      wholeNumber(0, 10_080),
      10
    )
    .option(
      '--stream-minutes <minutes>',
      'with --live: stop sending after this many minutes and keep serving (to watch the staleness alert)',
      wholeNumber(1, 525_600)
    )
    .addOption(rawRetentionOption())
    .action(async (flags: DemoFlags) => {
      if (flags.live && !flags.serve) throw new CliError('--live streams into the served API: drop --no-serve');
      if (!flags.live && flags.streamMinutes !== undefined) throw new CliError('--stream-minutes needs --live');
      const configured = cliConfig(env, {
        dbPath: flags.db,
        port: flags.port,
        rawRetentionDays: flags.rawRetentionDays,
      });
      const { tokens, generated } = demoTokens(configured);
      const feed = flags.live ? feedToken() : undefined;
      const config: Config = { ...configured, demoTokens: feed ? [...tokens, feed] : tokens };
      const core = await openDatabase(() => openCore(config));
      const { store, engine } = core;
      const { modelId } = demoScenario(flags.scenario);
      let plan: LivePlan | undefined;
      try {
        await ensureLoaded(store, flags.scenario, flags.reset === true, io);
        if (flags.live) plan = await planLiveFeed(store, flags.scenario, modelId, Date.now());
        // Whole hours only: the hour in progress would dilute the measured predictions per day.
        const toMs = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
        const window = resolveWindow(new Date(toMs - REPORT_DAYS * DAY_MS).toISOString(), new Date(toMs).toISOString());
        io.out(windowNote(modelId, window));
        io.out(healthReport(await modelHealth(engine, modelId, window, { kind: 'reference' })));
      } finally {
        await core.close();
      }
      if (!flags.serve) {
        io.out(tokenLines(tokens, generated, undefined));
        io.out('Not serving (--no-serve).\n');
        return;
      }
      const logger = jsonLogger(io.out);
      const server = await openDatabase(() => startServer(config, { logger }));
      io.out(tokenLines(tokens, generated, server.url));
      io.out(
        `Serving ${server.url}/api/v1 (OpenAPI, no token needed: ${server.url}/api/v1/openapi.json); Ctrl-C stops.\n`
      );
      if (feed && plan)
        stopOnSignals(
          startLiveFeed(
            server,
            feed,
            plan,
            { labelDelayMinutes: flags.labelDelay, streamMinutes: flags.streamMinutes },
            io,
            logger
          ).stop
        );
      await closeOnSignals(server, logger);
    });
}
