import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { runCli, tempDir } from '../support/cli';

const TOKENS = 'admin=demo-admin-token-0123456789,read=demo-read-token-0123456789';
/** Loading 90 days of demo traffic takes 40 s on a calm 2-core machine and several times that on a busy one. */
const DEMO_TIMEOUT_MS = 300_000;

function demo(args: string[]) {
  const result = spawnSync(process.execPath, [path.resolve(__dirname, '../../bin/drift-server.cjs'), 'demo', ...args], {
    encoding: 'utf8',
    timeout: DEMO_TIMEOUT_MS,
    env: { ...process.env, DRIFTGUARD_TOKENS: TOKENS },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('drift-server demo (built CLI in a child process)', () => {
  const { dir, cleanup } = tempDir('driftguard-demo-');
  const db = path.join(dir, 'demo.duckdb');
  beforeAll(() => {
    const build = spawnSync('npm', ['run', 'build'], { cwd: path.resolve(__dirname, '../..'), encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`npm run build failed: ${build.stdout}${build.stderr}`);
  });
  afterAll(cleanup);

  it(
    'loads scenario 2, prints health, top features, accuracy and the recommendation with its reasons, and exits without serving',
    () => {
      const { status, stdout, stderr } = demo(['--scenario', '2', '--db', db, '--no-serve']);
      expect(stderr).toBe('');
      expect(status).toBe(0);
      expect(stdout).toMatch(/scenario 2: Sudden drift \(attack\)/);
      expect(stdout).toMatch(
        /Loaded model credit-risk-sudden-drift: reference of 20,000 rows, 270,000 predictions over 90 days/
      );
      const health = Number(/Health score: ([\d.]+) \/ 100, 2 feature\(s\) drifted/.exec(stdout)?.[1]);
      expect(health).toBeGreaterThanOrEqual(35);
      expect(health).toBeLessThanOrEqual(55);
      expect(stdout).toMatch(
        /Top drifting features:\n {2}(income|debt_ratio) +PSI [\d.]+ +critical.*\n {2}(income|debt_ratio) +PSI [\d.]+ +critical/
      );
      const estimated = Number(/Accuracy: estimated ([\d.]+)%/.exec(stdout)?.[1]);
      const realized = Number(/realized ([\d.]+)%/.exec(stdout)?.[1]);
      expect(estimated - realized).toBeGreaterThan(20);
      expect(stdout).toMatch(
        /Recommendation: retrain_now\n {2}- Realized accuracy [\d.]+% \(95% band [\d.]+%–[\d.]+%, [\d,]+ labels\) against 78\.0% /
      );
      // Honest about the estimate: the inputs look safer than the reference, the labels say otherwise, and only the loss below the reference counts.
      expect(stdout).toMatch(/the population shift explains none of it: on these inputs the estimate expects 9\d\.\d%/);
      expect(stdout).toMatch(/concept drift, the link between inputs and outcomes changed/);
      expect(stdout).toMatch(
        /up to the reference accuracy .*: 1\d\.\d points \(of the 2\d\.\d points unexplained\) recoverable/
      );
      expect(stdout).toMatch(/payback 7\.\d days/);
      // The figures name their window, and the query that gives the same figures from the API.
      expect(stdout).toMatch(
        /Figures of the last 7 whole days\. The API answers for the last 24 hours unless asked for a window/
      );
      expect(stdout).toMatch(/GET \/api\/v1\/models\/credit-risk-sudden-drift\/summary\?from=\S+Z&to=\S+Z/);
      expect(stdout).toMatch(/estimate error \(estimated - realized\) \+\d+\.\d points/);
      expect(stdout).not.toContain('-0.0');
      // The tokens as they are named everywhere, with lines to paste into another shell.
      expect(stdout).toContain(
        'Tokens (from DRIFTGUARD_TOKENS): admin (admin), read (read). To use them from another shell, paste:'
      );
      expect(stdout).toContain(
        '  export ADMIN_TOKEN=demo-admin-token-0123456789\n  export READ_TOKEN=demo-read-token-0123456789\n'
      );
      expect(stdout).toContain('Not serving (--no-serve).');
    },
    DEMO_TIMEOUT_MS
  );

  it('keeps an existing demo model without --reset, and explains itself', () => {
    const { status, stdout } = demo(['--scenario', '2', '--db', db, '--no-serve']);
    expect(status).toBe(0);
    expect(stdout).toContain(
      'The database already holds model credit-risk-sudden-drift: showing and serving what is there (--reset reloads it).'
    );
    expect(stdout).not.toContain('Loaded model');
    expect(stdout).toMatch(/Recommendation: retrain_now/);
  });

  it(
    'replaces the demo model with --reset',
    () => {
      const { status, stdout } = demo(['--scenario', '2', '--db', db, '--no-serve', '--reset']);
      expect(status).toBe(0);
      expect(stdout).toMatch(
        /Loaded model credit-risk-sudden-drift: reference of 20,000 rows, 270,000 predictions over 90 days/
      );
      expect(stdout).toMatch(/Recommendation: retrain_now/);
    },
    DEMO_TIMEOUT_MS
  );

  it(
    'loads a scenario again when the load before it was killed part way, instead of serving the part that got stored',
    async () => {
      const killedDb = path.join(dir, 'killed.duckdb');
      const child = spawn(
        process.execPath,
        [
          path.resolve(__dirname, '../../bin/drift-server.cjs'),
          'demo',
          '--scenario',
          '2',
          '--db',
          killedDb,
          '--no-serve',
        ],
        {
          env: { ...process.env, DRIFTGUARD_TOKENS: TOKENS },
          stdio: ['ignore', 'pipe', 'inherit'],
        }
      );
      createInterface({ input: child.stdout! }).on('line', (line) => {
        if (line.includes('predictions loaded: 30,000 of 270,000')) child.kill('SIGKILL');
      });
      const [, signal] = (await once(child, 'exit')) as [number | null, string | null];
      expect(signal).toBe('SIGKILL');
      const { status, stdout } = demo(['--scenario', '2', '--db', killedDb, '--no-serve']);
      expect(status).toBe(0);
      expect(stdout).toMatch(
        /The database holds an unfinished load of model credit-risk-sudden-drift \((30|60),000 of 270,000 predictions\): loading it again\./
      );
      expect(stdout).toMatch(
        /Loaded model credit-risk-sudden-drift: reference of 20,000 rows, 270,000 predictions over 90 days/
      );
      expect(stdout).toMatch(/Recommendation: retrain_now/);
    },
    2 * DEMO_TIMEOUT_MS
  );

  it('`serve` on the demo database keeps every raw row the demo loaded: one retention for both, so a 90-day deep dive is whole', async () => {
    const child = spawn(
      process.execPath,
      [
        path.resolve(__dirname, '../../bin/drift-server.cjs'),
        'serve',
        '--db',
        db,
        '--port',
        '0',
        '--host',
        '127.0.0.1',
      ],
      {
        env: { ...process.env, DRIFTGUARD_TOKENS: TOKENS, DRIFTGUARD_RAW_RETENTION_DAYS: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      }
    );
    try {
      const logs: Record<string, unknown>[] = [];
      const port = await new Promise<number>((resolve, reject) => {
        createInterface({ input: child.stdout }).on('line', (line) => {
          const entry = JSON.parse(line) as Record<string, unknown>;
          logs.push(entry);
          if (entry.message === 'listening') resolve(Number(entry.port));
        });
        child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
      });
      expect(logs.filter((entry) => entry.message === 'raw rows purged')).toEqual([]);
      const toMs = Math.floor(Date.now() / 3_600_000) * 3_600_000;
      const response = await fetch(
        `http://127.0.0.1:${port}/api/v1/models/credit-risk-sudden-drift/features/income?from=${toMs - 90 * 86_400_000}&to=${toMs}`,
        {
          headers: { authorization: 'Bearer demo-read-token-0123456789' },
        }
      );
      const detail = (await response.json()) as {
        drift: { production_rows: number };
        raw_rows: { production: number };
        coverage: { complete: boolean };
      };
      expect(detail.raw_rows.production).toBe(detail.drift.production_rows);
      expect(detail.coverage.complete).toBe(true);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });

  it('--live serves the loaded scenario, sends its predictions as they come due with an ingest token of its own, and stops cleanly', async () => {
    const child = spawn(
      process.execPath,
      [
        path.resolve(__dirname, '../../bin/drift-server.cjs'),
        'demo',
        '--scenario',
        '2',
        '--db',
        db,
        '--port',
        '0',
        '--live',
        '--stream-minutes',
        '5',
      ],
      {
        env: { ...process.env, DRIFTGUARD_TOKENS: TOKENS, DRIFTGUARD_HOST: '127.0.0.1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      }
    );
    try {
      const lines: string[] = [];
      const port = await new Promise<number>((resolve, reject) => {
        let listening: number | undefined;
        createInterface({ input: child.stdout }).on('line', (line) => {
          lines.push(line);
          if (line.startsWith('{') && (JSON.parse(line) as { message: string }).message === 'listening')
            listening = Number((JSON.parse(line) as { port: number }).port);
          if (line.startsWith('Live feed:') && listening !== undefined) resolve(listening);
        });
        child.once('exit', (code) => reject(new Error(`demo --live exited with ${code}: ${lines.join('\n')}`)));
      });
      expect(lines.join('\n')).toMatch(
        /Live feed: predictions of scenario 2 sent as they come due \(3,000 a day, every 10 s\), each label 10 minutes after its prediction; the model counts as stale after 10 minutes without one\./
      );
      // The feed's token is not among those printed for people.
      expect(lines.join('\n')).toContain('Tokens (from DRIFTGUARD_TOKENS): admin (admin), read (read).');
      const model = await fetch(`http://127.0.0.1:${port}/api/v1/models/credit-risk-sudden-drift`, {
        headers: { authorization: 'Bearer demo-read-token-0123456789' },
      });
      expect(((await model.json()) as { monitoring: unknown }).monitoring).toEqual({ stale_after_minutes: 10 });
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toContain('driftguard_model_stale_after_seconds{model="credit-risk-sudden-drift"} 600');
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('refuses --live without serving, and --stream-minutes without --live', () => {
    expect(runCli(['demo', '--scenario', '2', '--live', '--no-serve'])).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('--live streams into the served API: drop --no-serve'),
    });
    expect(runCli(['demo', '--scenario', '2', '--stream-minutes', '3'])).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('--stream-minutes needs --live'),
    });
  });

  it('refuses an unknown scenario', () => {
    const { status, stderr } = runCli(['demo', '--scenario', '4', '--no-serve']);
    expect(status).toBe(2);
    expect(stderr).toMatch(/expected 1 \(baseline\), 2 \(sudden drift\) or 3 \(gradual decay\)/);
  });
});
