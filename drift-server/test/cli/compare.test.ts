import { compareFeature, FeatureKind } from '../../src/stats';
import { csvOf, runCli, tempDir, writeFile } from '../support/cli';
import { loadOracleCases } from '../support/oracle';
import { withinRelative } from '../support/tolerance';

const { dir, cleanup } = tempDir('driftguard-compare-');
afterAll(cleanup);

/** Oracle cases of 1500 vs 1500 rows side by side as columns of two CSV files. */
const cases = loadOracleCases().filter((oracleCase) => oracleCase.reference.length === 1500 && oracleCase.production.length === 1500);
const referenceCsv = writeFile(dir, 'reference.csv', csvOf(Object.fromEntries(cases.map((c) => [c.name, c.reference]))));
const productionCsv = writeFile(dir, 'production.csv', csvOf(Object.fromEntries(cases.map((c) => [c.name, c.production]))));

describe('drift-server compare --format json', () => {
  const run = runCli(['compare', '--reference', referenceCsv, '--production', productionCsv, '--format', 'json']);
  const features = run.status === 0 ? JSON.parse(run.stdout).features : {};

  it('exits 0 and reports every shared column', () => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(Object.keys(features).sort()).toEqual(cases.map((c) => c.name).sort());
    expect(cases.length).toBeGreaterThanOrEqual(4);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s: detects the kind from the cells and matches the oracle', (_name, oracleCase) => {
    const feature = features[oracleCase.name];
    expect(feature.kind).toBe(oracleCase.kind);
    expect(feature.reference_counts).toEqual(oracleCase.expected.reference_counts);
    expect(feature.production_counts).toEqual(oracleCase.expected.production_counts);
    expect(withinRelative(feature.psi, oracleCase.expected.psi as number, 1e-9)).toBe(true);
    expect(feature.severity).toBe(compareFeature(oracleCase.kind as FeatureKind, oracleCase.reference as never, oracleCase.production as never).severity);
  });
});

describe('drift-server compare --format table', () => {
  it('prints an aligned table, most drifted column first', () => {
    const run = runCli(['compare', '--reference', referenceCsv, '--production', productionCsv]);
    expect(run.status).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^feature\s+kind\s+severity\s+PSI\s+PSI crit/);
    expect(lines).toHaveLength(2 + cases.length);
    const psiColumnEnd = lines[0].indexOf('PSI crit') - 2;
    const psis = lines.slice(2).map((line) => Number(line.slice(0, psiColumnEnd).trim().split(/\s+/).pop()));
    expect([...psis].sort((a, b) => b - a)).toEqual(psis);
    const mostDrifted = cases.reduce((a, b) => ((a.expected.psi as number) > (b.expected.psi as number) ? a : b));
    expect(lines[2].startsWith(mostDrifted.name)).toBe(true);
  });
});

describe('drift-server compare options', () => {
  const reference = writeFile(dir, 'codes-ref.csv', csvOf({ code: [1, 2, 3, 1, 2, 3], score: [1, 2, 3, 4, 5, 6] }));
  const production = writeFile(dir, 'codes-prod.csv', csvOf({ code: [1, 1, 1, 1, 2, 9], score: [1, 2, 3, 4, 5, 6], extra: [1, 1, 1, 1, 1, 1] }));

  it('--categorical treats numeric-looking columns as categories and warns about unshared columns', () => {
    const run = runCli(['compare', '--reference', reference, '--production', production, '--categorical', 'code', '--format', 'json']);
    expect(run.status).toBe(0);
    const { code, score } = JSON.parse(run.stdout).features;
    expect(code.kind).toBe('categorical');
    expect(code.categories).toEqual(['1', '2', '3', '9']);
    expect(score.kind).toBe('numeric');
    expect(run.stderr).toContain('warning: column "extra" is only in the production file: skipped');
  });

  it('--fail-on critical exits 1 when a column has drifted, 0 otherwise', () => {
    const drifted = runCli(['compare', '--reference', referenceCsv, '--production', productionCsv, '--fail-on', 'critical']);
    expect(drifted.status).toBe(1);
    const same = runCli(['compare', '--reference', referenceCsv, '--production', referenceCsv, '--fail-on', 'warning']);
    expect(same.status).toBe(0);
  });
});

describe('drift-server compare errors', () => {
  const ok = writeFile(dir, 'ok.csv', csvOf({ x: [1, 2, 3] }));

  it.each<[string, string, RegExp]>([
    ['a missing file', 'nope.csv', /nope\.csv.*(ENOENT|no such file)/],
    ['a ragged row', 'x,y\n1,2\n3\n', /Invalid Record Length: expect 2, got 1 on line 3/],
    ['an infinite value', 'x\n1\n-inf\n', /column "x": production sample holds a non-finite value \(-Infinity\)/],
    ['an empty file', '', /is empty: a header row/],
    ['a duplicated header', 'x,x\n1,2\n', /column "x" appears twice/],
  ])('reports %s with a message and exit code 2', (_what, content, message) => {
    const production = content.endsWith('.csv') ? `${dir}/${content}` : writeFile(dir, 'bad.csv', content);
    const run = runCli(['compare', '--reference', ok, '--production', production]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });

  it('rejects an all-missing reference column', () => {
    const run = runCli(['compare', '--reference', writeFile(dir, 'empty-col.csv', 'x\n\n""\n'), '--production', ok]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/column "x": reference/);
  });

  it.each([['--buckets', '1'], ['--format', 'xml'], ['--fail-on', 'ok']])('rejects %s %s', (flag, value) => {
    const run = runCli(['compare', '--reference', ok, '--production', ok, flag, value]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/error: option/);
  });
});
