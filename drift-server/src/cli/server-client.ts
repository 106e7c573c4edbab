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
    .option(
      '--server <url>',
      'drift-server base URL (env DRIFTGUARD_URL)',
      env.DRIFTGUARD_URL ?? 'http://localhost:8080'
    )
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

/** Delay before the first resend; doubled for each further one. */
const RESEND_DELAY_MS = 500;

export interface Resend {
  readonly why: string;
  readonly delayMs: number;
  readonly resend: number;
  readonly resends: number;
}

export interface ServerCall extends Omit<RequestInit, 'body'> {
  /** Names what was asked, for the message when the server refuses it. */
  readonly refused: string;
  /** The scope the token needs, for the message when there is none. */
  readonly scope: string;
  /** The body, or a function making it anew for each attempt (a stream is read once). */
  readonly body?: RequestInit['body'] | (() => RequestInit['body']);
  /**
   * Sends again after a dropped connection or a 5xx answer, waiting 500 ms and doubling: only for
   * requests the server cannot store twice (an Idempotency-Key).
   */
  readonly resends?: number;
  /** Told before each resend: why, after how long, and which resend of how many. */
  readonly onResend?: (resend: Resend) => void;
  /** Appended to the message when the server cannot be reached at all. */
  readonly unreachableAdvice?: string;
}

/** One POST, GET, … of the call; a failure to connect or a connection dropped mid-body comes back as the error. */
async function attempt(url: string, init: RequestInit): Promise<Response | Error> {
  try {
    return await fetch(url, init);
  } catch (error) {
    const cause = (error as Error & { cause?: Error }).cause;
    return new Error(String(cause?.message ?? cause ?? (error as Error).message));
  }
}

/**
 * One call to the server's API under /api/v1, resent as `resends` allows. An unreachable server,
 * and any answer but 2xx, end the command with exit code 1 and the server's problem detail.
 */
export async function callServer(flags: ServerFlags, path: string, call: ServerCall): Promise<Response> {
  const { refused, scope, headers, body, resends = 0, onResend, unreachableAdvice = '', ...request } = call;
  if (!flags.token) throw new CliError(`no token: pass --token or set DRIFTGUARD_TOKEN (a token with scope ${scope})`);
  const url = `${flags.server.replace(/\/+$/, '')}/api/v1${path}`;
  const send = () =>
    attempt(url, {
      ...request,
      headers: { ...headers, authorization: `Bearer ${flags.token}` },
      body: typeof body === 'function' ? body() : body,
    });
  let answer = await send();
  for (let resend = 1; resend <= resends && (answer instanceof Error || answer.status >= 500); resend += 1) {
    const delay = RESEND_DELAY_MS * 2 ** (resend - 1);
    onResend?.({
      why: answer instanceof Error ? answer.message : `HTTP ${answer.status}`,
      delayMs: delay,
      resend,
      resends,
    });
    await new Promise((resolve) => setTimeout(resolve, delay));
    answer = await send();
  }
  if (answer instanceof Error)
    throw new CliError(`cannot reach drift-server at ${flags.server}: ${answer.message}${unreachableAdvice}`, 1);
  if (!answer.ok) throw new CliError(`${refused} (HTTP ${answer.status}) — ${await problemText(answer)}`, 1);
  return answer;
}
