import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

/** Demo tokens the test server accepts (DRIFTGUARD_TOKENS), one per scope. */
export const TOKENS = {
  admin: 'admin-token-0123456789abcdef',
  read: 'read-token-0123456789abcdef',
  ingest: 'ingest-token-0123456789abcdef',
  operate: 'operate-token-0123456789abcdef',
};

export interface RunningDriftServer {
  url: string;
  stop(): Promise<void>;
}

const ENTRY = path.join(__dirname, 'drift-server-entry.mjs');
const START_TIMEOUT_MS = 60_000;

/** The URL from the entry's {"url": …} line; drift-server's own JSON log lines come before it. */
function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr?.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(
      () => reject(new Error(`drift-server did not start in ${START_TIMEOUT_MS} ms: ${stderr}`)),
      START_TIMEOUT_MS
    );
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const { url } = JSON.parse(line) as { url?: string };
      if (url === undefined) {
        return;
      }
      // Later log lines keep being read (and dropped) so the child never blocks on a full pipe.
      clearTimeout(timer);
      resolve(url);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`drift-server exited with ${code} before listening: ${stderr}`));
    });
  });
}

/**
 * A real drift-server (its source, via tsx) in a child process over a DuckDB file in a fresh temp
 * directory, or over `databaseFile` when given (which stays when the server stops).
 */
export async function startDriftServer(databaseFile?: string): Promise<RunningDriftServer> {
  const directory = mkdtempSync(path.join(tmpdir(), 'driftguard-plugin-test-'));
  const database = databaseFile ?? path.join(directory, 'drift.duckdb');
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, database], {
    cwd: __dirname,
    env: {
      ...process.env,
      DRIFTGUARD_TOKENS: `admin=${TOKENS.admin},read=${TOKENS.read},ingest=${TOKENS.ingest},operate=${TOKENS.operate}`,
      DRIFTGUARD_LOG_REQUESTS: 'false',
      DRIFTGUARD_DB_CONNECTIONS: '2',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await listeningUrl(child);
  return { url, stop: () => stopServer(child, directory) };
}

/** Stops a drift-server child process gracefully (SIGTERM), then removes its database directory. */
export function stopServer(child: ChildProcess, directory: string): Promise<void> {
  return new Promise<void>((resolve) => {
    child.once('exit', () => {
      rmSync(directory, { recursive: true, force: true });
      resolve();
    });
    child.kill('SIGTERM');
  });
}
