import { Command, Option } from 'commander';
import { loadConfig } from '../config';
import { Scope, SCOPES } from '../scopes';
import { Store } from '../store';
import { CliError } from './errors';
import { CliIo } from './io';

interface DatabaseFlags {
  db?: string;
}

/** Opens the database file directly; DuckDB allows one process, so this fails while a server holds it. */
async function withStore<T>(
  flags: DatabaseFlags,
  env: NodeJS.ProcessEnv,
  work: (store: Store) => Promise<T>
): Promise<T> {
  const config = loadConfig(env, { dbPath: flags.db });
  let store: Store;
  try {
    store = await Store.open({ ...config, demoTokens: [] });
  } catch (error) {
    const message = (error as Error).message;
    if (/lock/i.test(message)) {
      throw new CliError(
        `${config.dbPath} is in use by a running drift-server: stop it, or create the token with POST /api/v1/tokens and an admin token`
      );
    }
    throw error;
  }
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

const dbOption = () => new Option('--db <path>', 'database file (env DRIFTGUARD_DB, default ./driftguard.duckdb)');

/** `drift-server token create|list|revoke`: bearer tokens stored hashed in the database. */
export function tokenCommand(io: CliIo, env: NodeJS.ProcessEnv = process.env): Command {
  const token = new Command('token').description('Manage API bearer tokens (stored as SHA-256 hashes)');
  token
    .command('create')
    .description('Create a token and print it once')
    .addOption(new Option('--scope <scope...>', 'scopes granted').choices(SCOPES).makeOptionMandatory())
    .option('--name <name>', 'what the token is for', 'cli')
    .addOption(dbOption())
    .option('--json', 'print the token and its metadata as JSON')
    .action(async (flags: DatabaseFlags & { scope: Scope[]; name: string; json?: boolean }) => {
      const created = await withStore(flags, env, (store) => store.tokens.create(flags.name, flags.scope));
      io.out(flags.json ? `${JSON.stringify(created)}\n` : `${created.token}\n`);
    });
  token
    .command('list')
    .description('List tokens without their secrets')
    .addOption(dbOption())
    .action(async (flags: DatabaseFlags) => {
      const tokens = await withStore(flags, env, (store) => store.tokens.list());
      for (const info of tokens) {
        io.out(
          `${info.id}\t${info.name}\t${info.scopes.join('+')}\t${info.created_at}\t${info.revoked_at ? `revoked ${info.revoked_at}` : 'active'}\n`
        );
      }
    });
  token
    .command('revoke')
    .description('Revoke a token by id')
    .argument('<id>', 'token id (the 16 hex digits after dg_)')
    .addOption(dbOption())
    .action(async (id: string, flags: DatabaseFlags) => {
      await withStore(flags, env, (store) =>
        store.tokens.revoke(id).catch((error: Error) => Promise.reject(new CliError(error.message)))
      );
      io.out(`revoked ${id}\n`);
    });
  // Subcommands made here do not inherit the settings main() gives its direct children.
  for (const command of token.commands) command.exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err });
  return token;
}
