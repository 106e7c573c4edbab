import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/** What bench/event-loop-monitor.ts measured in the server from its last reset until it exited. */
export interface EventLoopFigures {
  readonly delay_p50_ms: number;
  readonly delay_p99_ms: number;
  readonly delay_max_ms: number;
  readonly gc_pauses: number;
  readonly gc_total_ms: number;
  readonly gc_p99_ms: number;
  readonly gc_max_ms: number;
}

export interface ServerChild {
  readonly child: ChildProcess;
  readonly url: string;
  readonly exited: Promise<number | null>;
  /** The event-loop figures, once the process has exited. */
  readonly eventLoop: Promise<EventLoopFigures | undefined>;
  /** Starts the event-loop figures afresh (at the start of a phase). */
  resetEventLoop(): void;
}

/**
 * Starts server-process.ts over `dbPath` with an admin `token`, resolving once it logs the port it
 * listens on. `checkout` is the repository whose bench/server-process.ts (and so whose drift-server)
 * runs: this one by default, or another build to compare against. The event-loop monitor is always
 * this checkout's; BENCH_SERVER_NODE_ARGS adds node options (e.g. `--cpu-prof --cpu-prof-dir=/tmp/p`).
 */
export async function startServerChild(
  dbPath: string,
  token: string,
  env: Record<string, string> = {},
  checkout = join(__dirname, '..')
): Promise<ServerChild> {
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter((arg) => arg !== '');
  const child = spawn(
    process.execPath,
    [
      ...nodeArgs,
      '--import',
      'tsx',
      '--import',
      join(__dirname, 'event-loop-monitor.ts'),
      join(checkout, 'bench', 'server-process.ts'),
    ],
    {
      env: {
        ...process.env,
        DRIFTGUARD_DB: dbPath,
        DRIFTGUARD_TOKENS: `admin=${token}`,
        DRIFTGUARD_RAW_RETENTION_DAYS: '3650',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    }
  );
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  let buffered = '';
  child.stdout!.on('data', (chunk: Buffer) => (buffered += chunk.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', () => {
      const match = /"message":"listening","port":(\d+)/.exec(buffered);
      if (match) resolve(Number(match[1]));
    });
    exited.then((code) => reject(new Error(`server exited early with ${code}`)));
  });
  const eventLoop = new Promise<EventLoopFigures | undefined>((resolve) =>
    child.stdout!.on('close', () => {
      const line = buffered.split('\n').find((text) => text.includes('"message":"event loop"'));
      if (line === undefined) return resolve(undefined);
      const { message: _message, ...figures } = JSON.parse(line) as EventLoopFigures & { message: string };
      resolve(figures);
    })
  );
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    exited,
    eventLoop,
    resetEventLoop: () => child.kill('SIGUSR2'),
  };
}
