import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { silentLogger } from '../../src/logger';
import { tokenLines } from '../../src/cli/demo';
import { DemoToken, loadConfig } from '../../src/config';
import { RunningServer, startServer } from '../../src/server';

const ROOT = path.resolve(__dirname, '../../..');
const EXAMPLE = path.join(ROOT, 'docs/examples/loan-default');
const SECTION = '## Your own model in five minutes';

/** The commands of the README's walkthrough, as a reader copies them: every line of its sh block but comments. */
function walkthroughCommands(): string[] {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(
    readme.indexOf(SECTION),
    readme.indexOf('\n## ', readme.indexOf(SECTION) + SECTION.length)
  );
  const block = /```sh\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error(`README.md has no sh block under "${SECTION}"`);
  return block[1].split('\n').filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
}

/**
 * Runs one line in bash at the repository root after the export lines the demo prints, as a second
 * shell would; asynchronously, as the server answering it runs in this process.
 */
function run(command: string, exports: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', `${exports}\n${command}`], {
      cwd: ROOT,
      env: { ...process.env, DRIFTGUARD_URL: '', DRIFTGUARD_TOKEN: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('README "Your own model in five minutes", run command by command against a real server', () => {
  const directory = mkdtempSync(path.join(tmpdir(), 'driftguard-readme-'));
  const tokens: DemoToken[] = [
    { name: 'admin', token: 'readme-admin-token-0123456789', scopes: ['admin'] },
    { name: 'read', token: 'readme-read-token-0123456789', scopes: ['read'] },
  ];
  let server: RunningServer;
  const outputs: { command: string; stdout: string }[] = [];
  const pdfs = () => readdirSync(ROOT).filter((name) => /^driftguard-loan-default-.*\.pdf$/.test(name));

  beforeAll(async () => {
    const build = spawnSync('npm', ['run', 'build'], { cwd: path.resolve(__dirname, '../..'), encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`npm run build failed: ${build.stdout}${build.stderr}`);
    // The demo's server: the generated tokens, and raw rows kept 91 days.
    const config = loadConfig({ DRIFTGUARD_RAW_RETENTION_DAYS: '91' }, { port: 0, host: '127.0.0.1' }, directory);
    server = await startServer({ ...config, demoTokens: tokens }, { logger: silentLogger });
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    rmSync(directory, { recursive: true, force: true });
    for (const name of pdfs()) rmSync(path.join(ROOT, name));
    for (const name of ['reference.csv', 'predictions.csv', 'labels.csv'])
      rmSync(path.join(EXAMPLE, name), { force: true });
  });

  it('every command succeeds in order, and the summary shows the model, its rows and its drift', async () => {
    // What the demo prints for a second shell: export lines, taken from the demo's own printout.
    const printed = tokenLines(tokens, true, server.url);
    const exports = printed
      .split('\n')
      .filter((line) => line.startsWith('  export ') && !line.includes('DRIFTGUARD_TOKENS='))
      .join('\n');
    expect(exports).toMatch(/export ADMIN_TOKEN=/);
    expect(exports).toMatch(/export READ_TOKEN=/);
    expect(exports).toMatch(/export DRIFTGUARD_URL=http:\/\/127\.0\.0\.1:\d+ DRIFTGUARD_TOKEN=\$ADMIN_TOKEN/);

    const commands = walkthroughCommands();
    expect(commands.length).toBeGreaterThanOrEqual(8);
    for (const command of commands) {
      const result = await run(command, exports);
      expect([command, result.status, result.stderr]).toEqual([command, 0, '']);
      outputs.push({ command, stdout: result.stdout });
    }
    const output = (pattern: RegExp) => outputs.find(({ command }) => pattern.test(command))!.stdout;
    expect(output(/model create/)).toBe(
      'Registered model loan-default (Loan default (example)) with 4 features: income, debt_ratio, age, employment\n'
    );
    expect(output(/--kind reference/)).toMatch(
      /^Stored reference version 1 of loan-default: 2,000 rows, bins frozen for 4 features, calibration fitted/
    );
    expect(output(/ingest --model loan-default docs/)).toMatch(/^Stored 1,440 predictions of loan-default from /);
    expect(output(/--kind labels/)).toMatch(/^Stored 960 labels of loan-default: 960 matched stored predictions/);
    const summary = JSON.parse(output(/\/summary"/));
    expect(summary.model_id).toBe('loan-default');
    expect(summary.total_predictions).toBe(1440);
    expect(summary.realized_accuracy.rows).toBe(960);
    expect(
      summary.features
        .slice(0, 2)
        .map((feature: { feature: string; severity: string }) => [feature.feature, feature.severity])
        .sort()
    ).toEqual([
      ['debt_ratio', 'critical'],
      ['income', 'critical'],
    ]);
    expect(JSON.parse(output(/\/recommendation"/)).recommendation).toMatch(
      /^(retrain_now|schedule_retrain|monitor|no_action)$/
    );
    expect(pdfs()).toHaveLength(1);
    expect(readFileSync(path.join(ROOT, pdfs()[0])).subarray(0, 5).toString()).toBe('%PDF-');
    expect(output(/model show/)).toMatch(/References: v1 \(2,000 rows/);
    expect(existsSync(path.join(EXAMPLE, 'predictions.csv'))).toBe(true);
  });
});
