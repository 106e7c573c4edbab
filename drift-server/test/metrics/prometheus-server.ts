import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface PrometheusServer {
  /** Instant query through Prometheus' HTTP API; resolves to the result vector. */
  query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  /** The stored samples of a range selector such as `metric{label="x"}[1m]`, with their scrape times (seconds). */
  samples(rangeSelector: string): Promise<{ metric: Record<string, string>; values: [number, string][] }[]>;
  /** Polls `expr` until it returns at least one series, or fails after `timeoutMs`. */
  waitFor(expr: string, timeoutMs?: number): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Debian's Prometheus (`apt-get install prometheus`) scraping `target` (host:port) every second,
 * with its data in a temporary folder; listens on loopback only.
 */
export async function startPrometheus(target: string, metricsPath = '/metrics'): Promise<PrometheusServer> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'driftguard-prometheus-'));
  const config = path.join(directory, 'prometheus.yml');
  fs.writeFileSync(
    config,
    `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: driftguard\n    metrics_path: ${metricsPath}\n    static_configs:\n      - targets: ['${target}']\n`
  );
  const port = await freePort();
  const args = [
    `--config.file=${config}`,
    `--storage.tsdb.path=${path.join(directory, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
  ];
  const child: ChildProcess = spawn('prometheus', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const spawned = await new Promise<Error | undefined>((resolve) => {
    child.once('spawn', () => resolve(undefined));
    child.once('error', resolve);
  });
  if (spawned) {
    fs.rmSync(directory, { recursive: true });
    if ((spawned as NodeJS.ErrnoException).code === 'ENOENT')
      throw new Error('prometheus not found: install the Debian package "prometheus" (apt-get install -y prometheus)');
    throw spawned;
  }

  const base = `http://127.0.0.1:${port}`;
  const instant = async <T>(expr: string): Promise<T[]> => {
    const response = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(expr)}`);
    const body = (await response.json()) as { status: string; data: { result: T[] } };
    if (body.status !== 'success') throw new Error(`query ${expr} failed: ${JSON.stringify(body)}`);
    return body.data.result;
  };
  const query = (expr: string) => instant<{ metric: Record<string, string>; value: [number, string] }>(expr);
  const samples = (rangeSelector: string) =>
    instant<{ metric: Record<string, string>; values: [number, string][] }>(rangeSelector);
  const waitFor = async (expr: string, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const result = await query(expr).catch(() => []);
      if (result.length > 0) return result;
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error(`no series for ${expr} within ${timeoutMs} ms; prometheus said: ${stderr}`);
      await sleep(250);
    }
  };
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(directory, { recursive: true, force: true });
  };
  return { query, samples, waitFor, stop };
}
