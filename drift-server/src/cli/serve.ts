import { Command, Option } from 'commander';
import { jsonLogger } from '../logger';
import { Config, ConfigError, ConfigOverrides, DEFAULT_RAW_RETENTION_DAYS, loadConfig } from '../config';
import { StartupError } from '../composition';
import { closeOnSignals, startServer } from '../server';
import { CliError } from './errors';
import { wholeNumber } from './options';
import { CliIo } from './io';

interface ServeFlags {
  db?: string;
  host?: string;
  port?: number;
  rawRetentionDays?: number;
}

/** `drift-server serve`: runs the API until SIGTERM/SIGINT, then shuts down gracefully. Flags override DRIFTGUARD_* variables. */
export function serveCommand(io: CliIo, env: NodeJS.ProcessEnv = process.env): Command {
  return new Command('serve')
    .description(
      'Serve the REST API over a DuckDB file (settings from DRIFTGUARD_* environment variables, overridden by flags)'
    )
    .option('--db <path>', 'database file (env DRIFTGUARD_DB, default ./driftguard.duckdb)')
    .option('--host <host>', 'interface to listen on (env DRIFTGUARD_HOST, default 0.0.0.0)')
    .option('--port <port>', 'port, 0 for any free one (env DRIFTGUARD_PORT, default 8080)', wholeNumber(0, 65535))
    .addOption(rawRetentionOption())
    .action(async (flags: ServeFlags) => {
      const config = cliConfig(env, {
        dbPath: flags.db,
        host: flags.host,
        port: flags.port,
        rawRetentionDays: flags.rawRetentionDays,
      });
      const logger = jsonLogger(io.out);
      await closeOnSignals(await openDatabase(() => startServer(config, { logger })), logger);
    });
}

/** One raw-row retention for `serve` and `demo`, so serving what the demo loaded purges nothing the demo showed. */
export function rawRetentionOption(): Option {
  return new Option(
    '--raw-retention-days <days>',
    `days raw production rows are kept (env DRIFTGUARD_RAW_RETENTION_DAYS, default ${DEFAULT_RAW_RETENTION_DAYS})`
  ).argParser(wholeNumber(1, 36500));
}

/** The configuration, with a bad setting reported as a one-line CLI error. */
export function cliConfig(env: NodeJS.ProcessEnv, overrides: ConfigOverrides): Config {
  try {
    return loadConfig(env, overrides);
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message);
    throw error;
  }
}

/**
 * Runs `open` (the composition root's openCore, or a server), with a failure to start (port in use,
 * damaged database, the file held by another process) as a one-line CLI error.
 */
export async function openDatabase<T>(open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (error) {
    if (error instanceof StartupError) throw new CliError(error.message, 1);
    throw error;
  }
}
