import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { runCli, tempDir } from '../support/cli';

const TOKENS = 'admin=demo-admin-token-0123456789,read=demo-read-token-0123456789';

function demo(args: string[]) {
  const result = spawnSync(process.execPath, [path.resolve(__dirname, '../../bin/drift-server.cjs'), 'demo', ...args], {
    encoding: 'utf8',
    timeout: 60_000,
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

  it('loads scenario 2, prints health, top features, accuracy and the recommendation with its reasons, and exits without serving', () => {
    const { status, stdout, stderr } = demo(['--scenario', '2', '--db', db, '--no-serve']);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toMatch(/scenario 2: Sudden drift \(attack\)/);
    expect(stdout).toMatch(/Loaded model credit-risk-sudden-drift: reference of 20,000 rows, 270,000 predictions over 90 days/);
    const health = Number(/Health score: ([\d.]+) \/ 100, 2 feature\(s\) drifted/.exec(stdout)?.[1]);
    expect(health).toBeGreaterThanOrEqual(35);
    expect(health).toBeLessThanOrEqual(55);
    expect(stdout).toMatch(/Top drifting features:\n {2}(income|debt_ratio) +PSI [\d.]+ +critical.*\n {2}(income|debt_ratio) +PSI [\d.]+ +critical/);
    const estimated = Number(/Accuracy: estimated ([\d.]+)%/.exec(stdout)?.[1]);
    const realized = Number(/realized ([\d.]+)%/.exec(stdout)?.[1]);
    expect(estimated - realized).toBeGreaterThan(20);
    expect(stdout).toMatch(/Recommendation: retrain_now\n {2}- Realized accuracy [\d.]+% \(95% band [\d.]+%–[\d.]+%, [\d,]+ labels\) against 78\.0% /);
    // Honest about the estimate: the inputs look safer than the reference, the labels say otherwise, and only the loss below the reference counts.
    expect(stdout).toMatch(/the population shift explains none of it: on these inputs the estimate expects 9\d\.\d%/);
    expect(stdout).toMatch(/concept drift, the link between inputs and outcomes changed/);
    expect(stdout).toMatch(/up to the reference accuracy .*: 1\d\.\d points \(of the 2\d\.\d points unexplained\) recoverable/);
    expect(stdout).toMatch(/payback 7\.\d days/);
    expect(stdout).toContain(`DRIFTGUARD_TOKENS=${TOKENS}`);
    expect(stdout).toContain('Not serving (--no-serve).');
  });

  it('keeps an existing demo model without --reset, and explains itself', () => {
    const { status, stdout } = demo(['--scenario', '2', '--db', db, '--no-serve']);
    expect(status).toBe(0);
    expect(stdout).toContain('The database already holds model credit-risk-sudden-drift: showing and serving what is there (--reset reloads it).');
    expect(stdout).not.toContain('Loaded model');
    expect(stdout).toMatch(/Recommendation: retrain_now/);
  });

  it('replaces the demo model with --reset', () => {
    const { status, stdout } = demo(['--scenario', '2', '--db', db, '--no-serve', '--reset']);
    expect(status).toBe(0);
    expect(stdout).toMatch(/Loaded model credit-risk-sudden-drift: reference of 20,000 rows, 270,000 predictions over 90 days/);
    expect(stdout).toMatch(/Recommendation: retrain_now/);
  });

  it('refuses an unknown scenario', () => {
    const { status, stderr } = runCli(['demo', '--scenario', '4', '--no-serve']);
    expect(status).toBe(2);
    expect(stderr).toMatch(/expected 1 \(baseline\), 2 \(sudden drift\) or 3 \(gradual decay\)/);
  });
});
