import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const BIN = path.resolve(__dirname, '../../bin/drift-server.cjs');
export const ADMIN = 'admin-token-for-fault-tests';

/** The built CLI's `serve` in a child process (`npm run build` first), as an operator runs it. */
export interface ChildServer {
  readonly process: ChildProcess;
  readonly url: string;
  /** Log lines (JSON) so far. */
  readonly lines: Record<string, unknown>[];
  readonly stderr: () => string;
  /** Exit code, or the signal's name when a signal ended it. */
  readonly exited: Promise<number | string>;
  call(route: string, init?: RequestInit): Promise<Response>;
}

export interface ChildRun {
  readonly code: number | string;
  readonly stdout: string;
  readonly stderr: string;
}

function spawnServe(dbPath: string, args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [BIN, 'serve', '--db', dbPath, '--host', '127.0.0.1', ...args], {
    env: {
      ...process.env,
      DRIFTGUARD_TOKENS: `admin=${ADMIN}`,
      DRIFTGUARD_RETRAIN_POLL_MS: '50',
      DRIFTGUARD_AUTH_FAILURES_PER_MINUTE: '0',
      DRIFTGUARD_RAW_RETENTION_DAYS: '36500',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function exitOf(child: ChildProcess): Promise<number | string> {
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
}

/** Starts `serve` on an ephemeral port and resolves once it logs "listening". */
export async function startChild(dbPath: string, env: Record<string, string> = {}): Promise<ChildServer> {
  const child = spawnServe(dbPath, ['--port', '0'], env);
  const lines: Record<string, unknown>[] = [];
  let pending = '';
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = exitOf(child);
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      const parts = (pending + chunk.toString()).split('\n');
      pending = parts.pop() as string;
      for (const part of parts) {
        const line = JSON.parse(part) as Record<string, unknown>;
        lines.push(line);
        if (line.message === 'listening') resolve(line.port as number);
      }
    });
    exited.then((code) => reject(new Error(`drift-server exited with ${code}: ${stderr}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    process: child,
    url,
    lines,
    stderr: () => stderr,
    exited,
    call: (route, init = {}) =>
      fetch(`${url}${route}`, {
        ...init,
        headers: { authorization: `Bearer ${ADMIN}`, ...(init.headers as Record<string, string>) },
      }),
  };
}

/** Runs `serve` until it exits by itself (a failure to start), with a deadline. */
export async function runChild(
  dbPath: string,
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 30_000
): Promise<ChildRun> {
  const child = spawnServe(dbPath, args, env);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await exitOf(child);
  clearTimeout(timer);
  return { code, stdout, stderr };
}
