import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { stopServer } from '../../datasource-plugin/src/test-support/driftServer';

/** Tokens the demo server accepts: read, read+operate (the data source's two slots) and admin. */
export const DEMO_TOKENS = {
  read: 'host-read-token-0123456789',
  operate: 'host-operate-token-0123456789',
  admin: 'host-admin-token-0123456789',
};

export interface DemoServer {
  url: string;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 180_000;

/**
 * `drift-server demo --scenario N` itself, on a fresh DuckDB file: the 90 days of the scenario
 * loaded, then served on a free port (the URL read from its "Serving …" line).
 */
export async function startDemoServer(scenario: number): Promise<DemoServer> {
  const directory = mkdtempSync(path.join(tmpdir(), 'driftguard-host-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(__dirname, 'drift-server-cli.mjs'),
      'demo',
      '--scenario',
      String(scenario),
      '--db',
      path.join(directory, 'demo.duckdb'),
      '--port',
      '0',
    ],
    {
      cwd: __dirname,
      env: {
        ...process.env,
        DRIFTGUARD_TOKENS: `read=${DEMO_TOKENS.read},read+operate=${DEMO_TOKENS.operate},admin=${DEMO_TOKENS.admin}`,
        DRIFTGUARD_HOST: '127.0.0.1',
        DRIFTGUARD_LOG_REQUESTS: 'false',
        DRIFTGUARD_DB_CONNECTIONS: '2',
        // Jobs stay scheduled while the test runs, so Cancel is always there and no job retrains the demo model.
        DRIFTGUARD_RETRAIN_POLL_MS: '600000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    }
  );
  let output = '';
  child.stderr?.on('data', (chunk) => (output += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`drift-server demo did not serve in ${START_TIMEOUT_MS} ms: ${output}`)),
      START_TIMEOUT_MS
    );
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output += `${line}\n`;
      const serving = /^Serving (\S+)\/api\/v1 /.exec(line);
      if (serving) {
        clearTimeout(timer);
        resolve(serving[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`drift-server demo exited with ${code}: ${output}`));
    });
  });
  return { url, stop: () => stopServer(child, directory) };
}
