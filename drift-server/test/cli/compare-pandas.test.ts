import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { agreement, PANDAS_SCRIPT, PYTHON } from '../../../bench/compare-pandas';
import { JANUARY, JUNE, writeFlightsCsv } from '../../../bench/flights-data';
import { runCli, tempDir } from '../support/cli';
import { pValueMatches } from '../support/tolerance';

/**
 * A small run of bench/compare.bench.ts's data through both of its sides: the pandas script the
 * benchmark times compare against must compute what compare prints, or the ratio means nothing.
 */
describe('bench/compare_pandas.py', () => {
  const { dir, cleanup } = tempDir('driftguard-compare-pandas-');
  afterAll(cleanup);

  it('computes the figures drift-server compare prints on flights-shaped data', async () => {
    const [reference, production] = [path.join(dir, 'january.csv'), path.join(dir, 'june.csv')];
    await writeFlightsCsv(reference, 4000, JANUARY, 1);
    await writeFlightsCsv(production, 3000, JUNE, 2);
    const cli = runCli(['compare', '--reference', reference, '--production', production, '--format', 'json']);
    expect(cli.status).toBe(0);
    const pandas = spawnSync(PYTHON, [PANDAS_SCRIPT, reference, production], { encoding: 'utf8' });
    expect(pandas.stderr).toBe('');
    const ours = JSON.parse(cli.stdout);
    const theirs = JSON.parse(pandas.stdout);
    expect(Object.keys(theirs.features)).toEqual(['dep_delay', 'distance', 'origin']);
    expect(theirs.features.origin.categories).toHaveLength(223);
    expect(ours.features.dep_delay.reference_stats.missing).toBeGreaterThan(0);
    const { mismatches, relative } = agreement(ours, theirs);
    expect(mismatches).toEqual([]);
    const { ks_pvalue: _pvalue, ...figures } = relative;
    expect(Object.entries(figures).filter(([, difference]) => difference > 1e-9)).toEqual([]);
    for (const column of ['dep_delay', 'distance'])
      expect(pValueMatches(ours.features[column].ks_pvalue, theirs.features[column].ks_pvalue)).toBe(true);
  });
});
