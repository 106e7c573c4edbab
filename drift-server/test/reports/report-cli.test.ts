import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { CREDIT_RISK_FEATURES, loadDemoScenario } from '../../src/demo';
import { Store } from '../../src/store';
import { startTestServer, TOKENS } from '../api/harness';
import { END_MS, LAST_WEEK, WINDOW_DAYS } from '../demo/served-scenario';
import { tempDir } from '../support/cli';
import { parseCsv, pdfText } from './report-files';

const MODEL = 'credit-risk-baseline';
const FROM = new Date(END_MS - WINDOW_DAYS * 86_400_000).toISOString();
const TO = new Date(END_MS).toISOString();

/** `drift-server …` from source in a child process (no build needed), with its exit code and output. */
function cli(args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'cli-main.ts'), ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('drift-server report', () => {
  const { dir, cleanup } = tempDir('driftguard-report-cli-');
  const db = path.join(dir, 'demo.duckdb');
  const output = (name: string) => path.join(dir, name);
  const report = (...args: string[]) => cli(['report', '--db', db, ...args]);
  beforeAll(async () => {
    const store = await Store.open({ ...loadConfig({}, { dbPath: db }), demoTokens: [] });
    try {
      await loadDemoScenario(store, 1, END_MS);
    } finally {
      await store.close();
    }
    // 290 000 rows through the real ingestion: about a minute on a busy two-core machine.
  }, 240_000);
  afterAll(cleanup);

  it('writes the features and trends CSV and the PDF; the CSV files equal what the API serves for the window', async () => {
    const features = report(
      '--model',
      MODEL,
      '--from',
      FROM,
      '--to',
      TO,
      '--format',
      'csv',
      '-o',
      output('features.csv')
    );
    expect(features.stderr).toBe('');
    expect(features.status).toBe(0);
    expect(features.stdout).toMatch(
      new RegExp(
        `^Wrote ${output('features.csv')}: ${MODEL}, ${FROM} to ${TO}, SHA-256 of report data [0-9a-f]{64}\\n$`
      )
    );
    const trends = report(
      '--model',
      MODEL,
      '--from',
      FROM,
      '--to',
      TO,
      '--format',
      'csv',
      '--table',
      'trends',
      '-o',
      output('trends.csv')
    );
    expect(trends.status).toBe(0);
    const pdf = report(
      '--model',
      MODEL,
      '--from',
      FROM,
      '--to',
      TO,
      '--reference',
      '1',
      '--format',
      'pdf',
      '-o',
      output('report.pdf')
    );
    expect(pdf.stderr).toBe('');
    expect(pdf.status).toBe(0);

    expect(parseCsv(readFileSync(output('features.csv'), 'utf8')).records).toHaveLength(CREDIT_RISK_FEATURES.length);
    expect(parseCsv(readFileSync(output('trends.csv'), 'utf8')).records).toHaveLength(WINDOW_DAYS);
    const text = pdfText(output('report.pdf'));
    expect(text).toContain(`(${MODEL})`);
    expect(text).toContain('No action');
    const printedHash = / ([0-9a-f]{64})\n$/.exec(pdf.stdout)![1];
    expect(text).toContain(`SHA-256 of report data ${printedHash}`);

    // Raw rows of the scenario lie in the past: the server's retention sweep must leave them.
    const server = await startTestServer({ DRIFTGUARD_RAW_RETENTION_DAYS: '36500' }, { dbPath: db });
    try {
      for (const table of ['features', 'trends']) {
        const served = await server.call(`/api/v1/models/${MODEL}/report.csv?${LAST_WEEK}&table=${table}`, {
          token: TOKENS.read,
        });
        expect([table, await served.text()]).toEqual([table, readFileSync(output(`${table}.csv`), 'utf8')]);
      }
    } finally {
      await server.stop();
    }
  });

  it.each([
    [
      ['--model', 'no-such-model', '--from', FROM, '--to', TO, '--format', 'pdf'],
      /^drift-server: model "no-such-model" does not exist\n$/,
    ],
    [
      ['--model', MODEL, '--from', 'last tuesday', '--to', TO, '--format', 'csv'],
      /^drift-server: from must be an ISO 8601 time or epoch milliseconds, got "last tuesday"\n$/,
    ],
    [['--model', MODEL, '--from', TO, '--to', FROM, '--format', 'csv'], /^drift-server: from \(.+\) must be before to/],
    [
      ['--model', MODEL, '--from', FROM, '--to', TO, '--reference', '9', '--format', 'csv'],
      /^drift-server: .*reference version 9/,
    ],
    [
      ['--model', MODEL, '--from', FROM, '--to', TO, '--format', 'pdf', '--table', 'trends'],
      /^drift-server: --table applies to --format csv only\n$/,
    ],
    [
      ['--model', MODEL, '--from', FROM, '--to', TO, '--format', 'xlsx'],
      /argument 'xlsx' is invalid. Allowed choices are csv, pdf/,
    ],
  ])('refuses %j with a clear message, a non-zero exit and no file', (args, message) => {
    const file = output('refused.out');
    const { status, stdout, stderr } = report(...args, '-o', file);
    expect(stderr).toMatch(message);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(existsSync(file)).toBe(false);
  });

  it('refuses a database file that does not exist rather than creating one', () => {
    const missing = output('missing.duckdb');
    const { status, stderr } = cli([
      'report',
      '--db',
      missing,
      '--model',
      MODEL,
      '--from',
      FROM,
      '--to',
      TO,
      '--format',
      'csv',
      '-o',
      output('x.csv'),
    ]);
    expect(status).toBe(2);
    expect(stderr).toBe(`drift-server: no database at ${missing} (set --db or DRIFTGUARD_DB)\n`);
    expect(existsSync(missing)).toBe(false);
  });
});
