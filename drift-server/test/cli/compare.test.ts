import {
  comparisonCounts,
  compareFeature,
  decideWindow,
  DEFAULT_THRESHOLDS,
  FeatureKind,
  featureTests,
} from '../../src/stats';
import { createRandom } from '../../src/demo/random';
import { csvOf, runCli, tempDir, writeFile } from '../support/cli';
import { loadOracleCases } from '../support/oracle';

const { dir, cleanup } = tempDir('driftguard-compare-');
afterAll(cleanup);

/** Oracle cases of 1500 vs 1500 rows side by side as columns of two CSV files. */
const cases = loadOracleCases().filter(
  (oracleCase) => oracleCase.reference.length === 1500 && oracleCase.production.length === 1500
);
const referenceCsv = writeFile(
  dir,
  'reference.csv',
  csvOf(Object.fromEntries(cases.map((c) => [c.name, c.reference])))
);
const productionCsv = writeFile(
  dir,
  'production.csv',
  csvOf(Object.fromEntries(cases.map((c) => [c.name, c.production])))
);

function normals(size: number, seed: number, shift = 0): number[] {
  const random = createRandom(seed);
  return Array.from({ length: size }, () => Math.round((random.normal() + shift) * 1e6) / 1e6);
}

describe('drift-server compare --format json', () => {
  const run = runCli(['compare', '--reference', referenceCsv, '--production', productionCsv, '--format', 'json']);
  const output = run.status === 0 ? JSON.parse(run.stdout) : { features: {} };

  it('exits 0 and reports every shared column', () => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(Object.keys(output.features).sort()).toEqual(cases.map((c) => c.name).sort());
    expect(output.columns).toEqual({
      compared: cases.map((c) => c.name),
      only_in_reference: [],
      only_in_production: [],
      not_compared: [],
    });
    expect(output.findings).toEqual([]);
    expect(cases.length).toBeGreaterThanOrEqual(4);
  });

  it.each(cases.map((c) => [c.name, c] as const))(
    '%s: detects the kind from the cells and gives the verdict of compareFeature over all columns',
    (_name, oracleCase) => {
      const comparisons = cases.map((c) =>
        compareFeature(c.kind as FeatureKind, c.reference as never, c.production as never)
      );
      const verdicts = decideWindow(
        comparisons.map((comparison) => featureTests(comparisonCounts(comparison), DEFAULT_THRESHOLDS)),
        DEFAULT_THRESHOLDS
      );
      const index = cases.indexOf(oracleCase);
      const feature = output.features[oracleCase.name];
      expect(feature.kind).toBe(oracleCase.kind);
      expect(feature.reference_counts).toEqual(comparisons[index].reference_counts);
      expect(feature.psi).toBeCloseTo(comparisons[index].psi, 12);
      expect([feature.severity, feature.findings]).toEqual([verdicts[index].severity, verdicts[index].findings]);
      expect(feature.counts).toBeUndefined();
    }
  );
});

describe('drift-server compare --format table', () => {
  it('prints an aligned table, most severe verdict first', () => {
    const run = runCli(['compare', '--reference', referenceCsv, '--production', productionCsv]);
    expect(run.status).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^feature\s+kind\s+severity\s+findings\s+PSI\s+PSI corr\s+noise\s+q/);
    expect(lines).toHaveLength(2 + cases.length);
    const order = { critical: 0, warning: 1, ok: 2, insufficient_data: 3 } as Record<string, number>;
    const severities = lines.slice(2).map((line) => order[line.split(/\s+/)[2]]);
    expect([...severities].sort((a, b) => a - b)).toEqual(severities);
    expect(lines[2]).toMatch(/critical\s+distribution_shift/);
  });
});

describe('drift-server compare reads cells as ingestion does', () => {
  it('takes NA, null and NULL in a numeric column as missing values, not as categories', () => {
    // 500 vs 500 N(0, 1) rows, 2 % of the production cells written NA / null / NULL.
    const spellings = ['NA', 'null', 'NULL', 'NaN', 'nan'];
    const production = normals(500, 2).map((value, index) =>
      index % 50 === 0 ? spellings[(index / 50) % spellings.length] : value
    );
    const reference = writeFile(dir, 'na-ref.csv', csvOf({ x: normals(500, 1) }));
    const run = runCli([
      'compare',
      '--reference',
      reference,
      '--production',
      writeFile(dir, 'na-prod.csv', csvOf({ x: production })),
      '--format',
      'json',
    ]);
    expect(run.status).toBe(0);
    const { x } = JSON.parse(run.stdout).features;
    expect(x.kind).toBe('numeric');
    expect(x.production_stats).toMatchObject({ count: 490, missing: 10 });
    expect(x.psi).toBeLessThan(0.2);
    expect(x.severity).toBe('ok');
  });

  it.each([
    ['1e400', 4],
    ['-inf', 3],
    ['Infinity', 5],
  ])('stops at %s with the file, line and column named, exit code 2', (cell, line) => {
    const production = writeFile(
      dir,
      'overflow.csv',
      `id,x\n1,1.5\n2,${line === 3 ? cell : 2}\n3,${line === 4 ? cell : 3}\n4,${line === 5 ? cell : 4}\n`
    );
    const reference = writeFile(dir, 'overflow-ref.csv', 'id,x\n1,1\n2,2\n3,3\n');
    const run = runCli(['compare', '--reference', reference, '--production', production, '--exclude', 'id']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`${production}, line ${line}, column "x": "${cell}" is not a finite number`);
    expect(run.stdout).toBe('');
  });

  it('names the line of a bad number after a BOM and skipped blank lines', () => {
    const production = writeFile(dir, 'blank-lines.csv', '\ufeffid,x\n1,1\n\n\n2,1e400\n3,3\n');
    const reference = writeFile(dir, 'blank-lines-ref.csv', 'id,x\n1,1\n2,2\n3,3\n');
    const run = runCli(['compare', '--reference', reference, '--production', production, '--exclude', 'id']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`${production}, line 5, column "x": "1e400" is not a finite number`);
  });

  it('gives the same figures for a file quoted, with CRLF line ends and padded cells as for the same cells plain', () => {
    const random = createRandom(9);
    const rows = Array.from({ length: 600 }, (_, index) => [
      Math.round(random.normal() * 1000) / 100,
      ['ORD', 'SFO', 'JFK', 'São Paulo'][index % 4],
      index % 37 === 0 ? 'NA' : String(index % 11),
    ]);
    const header = 'amount,airport,code';
    const plain = writeFile(dir, 'plain.csv', `${header}\n${rows.map((row) => row.join(',')).join('\n')}\n`);
    const quoted = writeFile(
      dir,
      'quoted.csv',
      `${header}\r\n${rows.map(([amount, airport, code]) => `"${amount}", ${airport} ,"${code}"`).join('\r\n')}\r\n`
    );
    const reference = writeFile(
      dir,
      'quoted-ref.csv',
      `${header}\n${rows.map(([amount, airport, code], index) => [Number(amount) + (index % 3), airport, code].join(',')).join('\n')}\n`
    );
    const [fromPlain, fromQuoted] = [plain, quoted].map((production) =>
      runCli(['compare', '--reference', reference, '--production', production, '--format', 'json'])
    );
    expect(fromPlain.status).toBe(0);
    expect(JSON.parse(fromPlain.stdout).features.amount.kind).toBe('numeric');
    expect(JSON.parse(fromPlain.stdout).features.code).toMatchObject({
      kind: 'numeric',
      production_stats: { missing: 17 },
    });
    expect(JSON.parse(fromQuoted.stdout)).toEqual(JSON.parse(fromPlain.stdout));
  });

  it('treats a numeric-looking column named --categorical as categories', () => {
    const reference = writeFile(dir, 'codes-ref.csv', csvOf({ code: [1, 2, 3, 1, 2, 3] }));
    const production = writeFile(dir, 'codes-prod.csv', csvOf({ code: [1, 1, 1, 1, 2, 9] }));
    const run = runCli([
      'compare',
      '--reference',
      reference,
      '--production',
      production,
      '--categorical',
      'code',
      '--format',
      'json',
    ]);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).features.code).toMatchObject({
      kind: 'categorical',
      categories: ['1', '2', '3', '9'],
    });
  });
});

describe('drift-server compare columns', () => {
  const drifted = normals(800, 4, 1);
  const reference = writeFile(
    dir,
    'cols-ref.csv',
    csvOf({ income: normals(800, 3), age: normals(800, 5), prediction: normals(800, 6), label: new Array(800).fill(1) })
  );
  const renamed = writeFile(
    dir,
    'cols-renamed.csv',
    csvOf({ income_eur: drifted, age: normals(800, 7), prediction: normals(800, 8, 3) })
  );

  it('reports a column only one file has as a finding, and --fail-on fails on it', () => {
    const run = runCli([
      'compare',
      '--reference',
      reference,
      '--production',
      renamed,
      '--fail-on',
      'critical',
      '--format',
      'json',
    ]);
    expect(run.status).toBe(1);
    const output = JSON.parse(run.stdout);
    expect(output.findings).toEqual([
      { column: 'income', name: 'column_only_in_reference', severity: 'critical' },
      { column: 'income_eur', name: 'column_only_in_production', severity: 'critical' },
    ]);
    expect(output.columns).toMatchObject({
      compared: ['age'],
      only_in_reference: ['income'],
      only_in_production: ['income_eur'],
    });
    expect(output.columns.not_compared.sort()).toEqual(['label', 'prediction']);
    const table = runCli(['compare', '--reference', reference, '--production', renamed]);
    expect(table.stdout).toContain('critical: column "income" is only in the reference file');
  });

  it('--allow-missing-columns reports the finding but lets the gate pass', () => {
    const run = runCli([
      'compare',
      '--reference',
      reference,
      '--production',
      renamed,
      '--fail-on',
      'warning',
      '--allow-missing-columns',
      '--format',
      'json',
    ]);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).findings).toHaveLength(2);
  });

  it('leaves the model’s own columns out unless named, and --columns / --exclude choose the rest', () => {
    const named = runCli([
      'compare',
      '--reference',
      reference,
      '--production',
      renamed,
      '--columns',
      'age,prediction',
      '--format',
      'json',
    ]);
    expect(Object.keys(JSON.parse(named.stdout).features)).toEqual(['age', 'prediction']);
    expect(JSON.parse(named.stdout).features.prediction.severity).toBe('critical');
    const excluded = runCli([
      'compare',
      '--reference',
      reference,
      '--production',
      renamed,
      '--exclude',
      'income,income_eur',
      '--fail-on',
      'critical',
      '--format',
      'json',
    ]);
    expect(excluded.status).toBe(0);
    expect(JSON.parse(excluded.stdout).columns.compared).toEqual(['age']);
    const ownNames = runCli([
      'compare',
      '--reference',
      reference,
      '--production',
      renamed,
      '--model-columns',
      'label',
      '--exclude',
      'income,income_eur',
      '--format',
      'json',
    ]);
    expect(JSON.parse(ownNames.stdout).columns.compared).toEqual(['age', 'prediction']);
  });

  it('rejects a column name that neither file has', () => {
    for (const option of ['--columns', '--exclude', '--categorical']) {
      const run = runCli(['compare', '--reference', reference, '--production', renamed, option, 'salary']);
      expect([option, run.status]).toEqual([option, 2]);
      expect(run.stderr).toContain(`${option} names column "salary", which neither file has`);
    }
  });
});

describe('drift-server compare gate', () => {
  it('--fail-on critical exits 1 when a column has drifted, 0 otherwise', () => {
    const drifted = runCli([
      'compare',
      '--reference',
      referenceCsv,
      '--production',
      productionCsv,
      '--fail-on',
      'critical',
    ]);
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

  it.each([
    ['--buckets', '1'],
    ['--format', 'xml'],
    ['--fail-on', 'ok'],
  ])('rejects %s %s', (flag, value) => {
    const run = runCli(['compare', '--reference', ok, '--production', ok, flag, value]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/error: option/);
  });
});
