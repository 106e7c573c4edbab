import { Command } from 'commander';
import { CliError } from './errors';

/** Where a running drift-server is and the token to call it with (flags, else DRIFTGUARD_URL and DRIFTGUARD_TOKEN). */
export interface ServerFlags {
  server: string;
  token?: string;
}

/** Adds --server and --token, defaulting to DRIFTGUARD_URL and DRIFTGUARD_TOKEN, to a command that calls a running server. */
export function withServerOptions(command: Command, env: NodeJS.ProcessEnv, scope: string): Command {
  return command
    .option('--server <url>', 'drift-server base URL (env DRIFTGUARD_URL)', env.DRIFTGUARD_URL ?? 'http://localhost:8080')
    .option('--token <token>', `bearer token with scope ${scope} (env DRIFTGUARD_TOKEN)`, env.DRIFTGUARD_TOKEN);
}

async function problemText(response: Response): Promise<string> {
  const text = await response.text();
  try {
    const problem = JSON.parse(text) as { title?: string; detail?: string };
    return [problem.title, problem.detail].filter(Boolean).join(': ') || text;
  } catch {
    return text || response.statusText;
  }
}

/**
 * One call to the server's API under /api/v1. An unreachable server, and any answer but 2xx, end
 * the command with exit code 1 and the server's problem detail, `refused` naming what was asked.
 */
export async function callServer(flags: ServerFlags, path: string, init: RequestInit & { refused: string; scope: string }): Promise<Response> {
  const { refused, scope, headers, ...request } = init;
  if (!flags.token) throw new CliError(`no token: pass --token or set DRIFTGUARD_TOKEN (a token with scope ${scope})`);
  let response: Response;
  try {
    response = await fetch(`${flags.server.replace(/\/+$/, '')}/api/v1${path}`, { ...request, headers: { ...headers, authorization: `Bearer ${flags.token}` } });
  } catch (error) {
    throw new CliError(`cannot reach drift-server at ${flags.server}: ${(error as Error).cause ?? (error as Error).message}`, 1);
  }
  if (!response.ok) throw new CliError(`${refused} (HTTP ${response.status}) — ${await problemText(response)}`, 1);
  return response;
}
