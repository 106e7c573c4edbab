import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

export interface ServerChild {
  readonly child: ChildProcess;
  readonly url: string;
  readonly exited: Promise<number | null>;
}

/**
 * Starts server-process.ts over `dbPath` with an admin `token`, resolving once it logs the port it
 * listens on. `checkout` is the repository whose bench/server-process.ts (and so whose drift-server)
 * runs: this one by default, or another build to compare against.
 */
export async function startServerChild(
  dbPath: string,
  token: string,
  env: Record<string, string> = {},
  checkout = join(__dirname, '..')
): Promise<ServerChild> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(checkout, 'bench', 'server-process.ts')], {
    env: {
      ...process.env,
      DRIFTGUARD_DB: dbPath,
      DRIFTGUARD_TOKENS: `admin=${token}`,
      DRIFTGUARD_RAW_RETENTION_DAYS: '3650',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const port = await new Promise<number>((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const match = /"message":"listening","port":(\d+)/.exec(buffered);
      if (match) resolve(Number(match[1]));
    });
    exited.then((code) => reject(new Error(`server exited early with ${code}`)));
  });
  return { child, url: `http://127.0.0.1:${port}`, exited };
}
