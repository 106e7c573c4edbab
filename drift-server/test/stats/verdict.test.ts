import {
  BinCounts,
  checkThresholds,
  comparisonCounts,
  compareFeature,
  decideWindow,
  DEFAULT_THRESHOLDS,
  FeatureCounts,
  FeatureKind,
  featureTests,
  FeatureVerdict,
  NumericBinning,
  StatsInputError,
} from '../../src/stats';
import { createRandom } from '../../src/demo/random';

const numeric = (
  reference: BinCounts,
  production: BinCounts,
  binning: NumericBinning = 'quantiles'
): FeatureCounts => ({ kind: 'numeric', binning, reference, production });
const decideOne = (counts: FeatureCounts, thresholds = DEFAULT_THRESHOLDS): FeatureVerdict =>
  decideWindow([featureTests(counts, thresholds)], thresholds)[0];

/** Values drawn from a seeded stream: every run judges the same rows. */
function normals(size: number, seed: number, shift = 0): number[] {
  const random = createRandom(seed);
  return Array.from({ length: size }, () => random.normal() + shift);
}

function verdictOf(
  kind: FeatureKind,
  reference: (number | string | null)[],
  production: (number | string | null)[]
): FeatureVerdict {
  return decideOne(comparisonCounts(compareFeature(kind, reference as never, production as never)));
}

/** Frozen edges of a normal reference: a tail bin, ten quantile bins, a tail bin. */
const TEN_EQUAL = { counts: [0, 2000, 2000, 2000, 2000, 2000, 2000, 2000, 2000, 2000, 2000, 0], missing: 0 };

describe('a drifted verdict needs a practically large shift beyond noise', () => {
  it('leaves a noisy small window ok where raw PSI is far above 0.2', () => {
    // 50 rows over ten equal bins, as a calm window can fall: raw PSI 0.43 with the 1e-4 floor, within noise.
    const production = { counts: [0, 9, 2, 7, 3, 8, 0, 6, 4, 5, 6, 0], missing: 0 };
    const verdict = decideOne(numeric(TEN_EQUAL, production));
    expect(verdict.severity).toBe('ok');
    expect(verdict.shift_p_value as number).toBeGreaterThan(0.01);
    expect(verdict.psi_noise as number).toBeGreaterThan(0.15);
  });

  it('leaves a trivial shift on a huge window ok, however significant', () => {
    const huge = { counts: [0, ...new Array(10).fill(200_000), 0], missing: 0 };
    const production = {
      counts: [0, 190_000, 200_000, 200_000, 200_000, 200_000, 200_000, 200_000, 200_000, 200_000, 210_000, 0],
      missing: 0,
    };
    const verdict = decideOne(numeric(huge, production));
    expect(verdict.shift_q_value as number).toBeLessThan(1e-6);
    expect(verdict.psi_corrected as number).toBeLessThan(0.01);
    expect(verdict).toMatchObject({ severity: 'ok', drifted: false, findings: [] });
  });

  it('flags a half-standard-deviation mean shift (PSI ≈ 0.24) as critical at 200 rows and at 20 000', () => {
    const reference = normals(20_000, 1);
    for (const [size, seed] of [
      [200, 2],
      [20_000, 3],
    ]) {
      const verdict = verdictOf('numeric', reference, normals(size, seed, 0.5));
      expect([size, verdict.severity, verdict.findings.map((finding) => finding.name)]).toEqual([
        size,
        'critical',
        ['distribution_shift'],
      ]);
      expect(verdict.psi_corrected as number).toBeGreaterThan(0.15);
    }
  });

  it('does not flag a 0.3 standard-deviation shift (PSI ≈ 0.086, below the warning threshold) on a large window', () => {
    const verdict = verdictOf('numeric', normals(20_000, 4), normals(20_000, 5, 0.3));
    expect(verdict.psi_corrected as number).toBeGreaterThan(0.07);
    expect(verdict.psi_corrected as number).toBeLessThan(0.1);
    expect(verdict.severity).toBe('ok');
  });

  it('grades the shift by its bias-corrected PSI: warning from 0.1, critical from 0.2', () => {
    const reference = normals(50_000, 6);
    const warning = verdictOf('numeric', reference, normals(50_000, 7, 0.38));
    expect(warning.psi_corrected as number).toBeGreaterThanOrEqual(0.1);
    expect(warning.psi_corrected as number).toBeLessThan(0.2);
    expect(warning.severity).toBe('warning');
  });
});

describe('data-quality findings', () => {
  const reference = normals(5_000, 10);

  it('calls a feature whose values all went missing all_missing, critical, never healthy', () => {
    const verdict = verdictOf('numeric', reference, new Array(500).fill(null));
    expect(verdict.severity).toBe('critical');
    expect(verdict.findings).toMatchObject([{ name: 'all_missing', severity: 'critical', effect: 1 }]);
  });

  it('calls 99.5 % missing all_missing (too few values left) and 95 % mostly_missing', () => {
    const mostly = (share: number) => normals(1_000, 11).map((value, index) => (index < share * 1000 ? null : value));
    expect(verdictOf('numeric', reference, mostly(0.995)).findings.map((finding) => finding.name)).toEqual([
      'all_missing',
    ]);
    const ninetyFive = verdictOf('numeric', reference, mostly(0.95));
    expect(ninetyFive.findings).toMatchObject([{ name: 'mostly_missing', severity: 'critical' }]);
    expect(ninetyFive.findings[0].effect).toBeCloseTo(0.95, 12);
  });

  it('grades a rise of the missing share: 10 points warning, 25 points critical, fewer missing values nothing', () => {
    const withMissing = (share: number, seed: number) =>
      normals(4_000, seed).map((value, index) => (index < share * 4000 ? null : value));
    expect(verdictOf('numeric', reference, withMissing(0.1, 12)).findings).toMatchObject([
      { name: 'missing_share_change', severity: 'warning' },
    ]);
    expect(verdictOf('numeric', reference, withMissing(0.25, 13)).findings).toMatchObject([
      { name: 'missing_share_change', severity: 'critical' },
    ]);
    expect(verdictOf('numeric', withMissing(0.3, 14), normals(4_000, 15)).findings).toEqual([]);
  });

  it('finds 5 % of the values beyond the reference maximum at 200 rows, critical, and ignores a single stray one', () => {
    const max = Math.max(...reference);
    const beyond = normals(200, 16).map((value, index) => (index < 10 ? max + 1 + index : value));
    const verdict = verdictOf('numeric', reference, beyond);
    expect(verdict.findings.map((finding) => [finding.name, finding.severity])).toContainEqual([
      'out_of_range',
      'critical',
    ]);
    expect(verdict.outside_share).toBeCloseTo(0.05, 12);
    const stray = normals(200, 17).map((value, index) => (index === 0 ? max + 1 : value));
    expect(verdictOf('numeric', reference, stray).findings).toEqual([]);
  });

  it('names a constant that changed value: constant_changed', () => {
    const verdict = verdictOf('numeric', new Array(1000).fill(5), new Array(300).fill(6));
    expect(verdict.findings).toMatchObject([{ name: 'constant_changed', severity: 'critical', effect: 1 }]);
  });

  it('sees Poisson(0.5) values moved up by 2 (quantile bins alone gave PSI 0.007): discrete_shift', () => {
    const random = createRandom(18);
    const poisson = (size: number) => Array.from({ length: size }, () => random.poisson(0.5));
    const moved = poisson(1000).map((value) => (value > 0 ? value + 2 : value));
    const verdict = verdictOf('numeric', poisson(5000), moved);
    expect(verdict.findings.map((finding) => finding.name)).toContain('discrete_shift');
    expect(verdict.severity).toBe('critical');
  });

  it('finds unseen categories by their share of the window', () => {
    const categories = (size: number, seed: number, fresh = 0) => {
      const random = createRandom(seed);
      return Array.from({ length: size }, (_, index) =>
        index < fresh ? 'new' : ['a', 'b', 'c'][Math.floor(random.uniform() * 3)]
      );
    };
    const verdict = verdictOf('categorical', categories(3000, 19), categories(1000, 20, 30));
    expect(verdict.findings).toMatchObject([{ name: 'unseen_categories', severity: 'warning' }]);
    expect(verdict.outside_share).toBeCloseTo(0.03, 12);
  });
});

describe('the window family', () => {
  it('adjusts every feature’s tests together (Benjamini–Hochberg): q = 3p for one feature, 60p among 20 calm ones', () => {
    const counts = numeric(TEN_EQUAL, { counts: [0, 26, 50, 50, 50, 50, 50, 50, 50, 50, 80, 0], missing: 0 });
    const alone = featureTests(counts, DEFAULT_THRESHOLDS);
    const p = alone.shift?.p_value as number;
    expect(p).toBeGreaterThan(1e-4);
    expect(p).toBeLessThan(0.01 / 3);
    const calm = featureTests(
      numeric(TEN_EQUAL, { counts: [0, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 0], missing: 0 }),
      DEFAULT_THRESHOLDS
    );
    const [single] = decideWindow([alone], DEFAULT_THRESHOLDS);
    const family = decideWindow([alone, ...new Array(19).fill(calm)], DEFAULT_THRESHOLDS);
    expect(single.shift_q_value).toBeCloseTo(3 * p, 12);
    expect(family[0].shift_q_value).toBeCloseTo(60 * p, 12);
  });

  it('reports too small a window or baseline as insufficient_data, not as a verdict', () => {
    const small = decideOne(numeric(TEN_EQUAL, { counts: [0, 5, 5, 0, 0, 0, 0, 0, 0, 0, 10, 0], missing: 0 }));
    expect(small).toMatchObject({ severity: 'insufficient_data', drifted: false, findings: [], psi_corrected: null });
    const sparseBaseline = decideOne(
      numeric({ counts: [0, 10, 10, 0], missing: 5000 }, { counts: [0, 500, 500, 0], missing: 0 })
    );
    expect(sparseBaseline.severity).toBe('insufficient_data');
  });

  it('checks its thresholds', () => {
    expect(() => checkThresholds({ ...DEFAULT_THRESHOLDS, psiWarning: 0.3 })).toThrow(/warning ≤ critical/);
    expect(() => checkThresholds({ ...DEFAULT_THRESHOLDS, falseDiscoveryRate: 0 })).toThrow(StatsInputError);
    expect(() => checkThresholds({ ...DEFAULT_THRESHOLDS, minRows: 0 })).toThrow(/minimum rows/);
    expect(() => checkThresholds({ ...DEFAULT_THRESHOLDS, outsideShareCritical: 2 })).toThrow(/outside-share/);
  });
});
