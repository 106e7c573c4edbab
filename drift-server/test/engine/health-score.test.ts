import fc from 'fast-check';
import { driftDamage, FeatureHealthInput, healthScore, MIN_POINTS_LISTED, PSI_HALF_DAMAGE } from '../../src/engine/health-score';
import type { FeatureDrift } from '../../src/engine/feature-drift';
import type { Severity } from '../../src/stats/severity';
import { EngineInputError } from '../../src/engine/errors';

const drift = (feature: string, importance: number, psi: number, psi_critical = 0.01, severity: Severity = 'ok'): FeatureHealthInput => ({
  feature,
  importance,
  psi,
  psi_critical,
  severity,
});

describe('health score by hand', () => {
  it('takes each feature’s importance share times its damage off 100', () => {
    // Weights 3/4 and 1/4. Income is 0.2 above noise: half its weight, 37.5 points.
    // Age is 0.4 above noise: 1 − ¼ = ¾ of its weight, 18.75 points.
    const score = healthScore([drift('income', 3, 0.21, 0.01, 'critical'), drift('age', 1, 0.41, 0.01, 'critical')]);
    expect(score.health).toBeCloseTo(100 - 37.5 - 18.75, 10);
    expect(score.top_features.map((feature) => feature.feature)).toEqual(['income', 'age']);
    expect(score.top_features[0].points_lost).toBeCloseTo(37.5, 10);
    expect(score.top_features[0].share_of_penalty).toBeCloseTo(37.5 / 56.25, 10);
    expect(score.top_features[1].damage).toBeCloseTo(0.75, 10);
    expect(score.top_features[1].weight).toBe(0.25);
    expect(score.drifted_features).toBe(2);
  });

  it('does not list a feature whose cost would show as 0.0 points', () => {
    // 0.0003 above noise: 1 − 2^(−0.0015) ≈ 0.001 of its weight, 0.1 points at full weight, 0.01 at a tenth.
    const score = healthScore([drift('a', 9, 0.01), drift('b', 1, 0.0103, 0.01)]);
    expect(score.health).toBeLessThan(100);
    expect(score.top_features).toEqual([]);
  });

  it('is 100 with no top feature when every PSI is within noise', () => {
    const score = healthScore([drift('income', 1, 0.005, 0.01), drift('age', 2, 0.01, 0.01)]);
    expect(score.health).toBe(100);
    expect(score.top_features).toEqual([]);
  });

  it('leaves features with insufficient data out instead of counting them as drift', () => {
    const score = healthScore([drift('income', 1, 0.21, 0.01, 'critical'), drift('age', 1, 5, 0.01, 'insufficient_data')]);
    // Only income is assessed, so it carries the whole weight: 50 points.
    expect(score.health).toBeCloseTo(50, 10);
    expect(score.insufficient_features).toEqual(['age']);
    expect(score.assessed_features).toBe(1);
    expect(score.drifted_features).toBe(1);
  });

  it('treats a feature without PSI (a side with no rows) like one with too few rows', () => {
    const noRows: FeatureHealthInput = { feature: 'age', importance: 1, psi: null, psi_critical: null, severity: 'insufficient_data' };
    const score = healthScore([drift('income', 1, 0.21, 0.01, 'critical'), noRows]);
    expect(score.health).toBeCloseTo(50, 10);
    expect(score.insufficient_features).toEqual(['age']);
  });

  it('accepts the drift engine’s per-feature results as they are', () => {
    const fromEngine: FeatureDrift = {
      feature: 'income',
      kind: 'numeric',
      importance: 2,
      psi: 0.21,
      kl: 0.1,
      js: 0.2,
      psi_critical: 0.01,
      severity: 'critical',
      reference_rows: 1000,
      production_rows: 1000,
      production_missing_share: 0,
      bins: [],
    };
    expect(healthScore([fromEngine]).health).toBeCloseTo(50, 10);
  });

  it('is null when no feature could be assessed', () => {
    const score = healthScore([drift('income', 1, 1, 0.5, 'insufficient_data')]);
    expect(score.health).toBeNull();
  });

  it('weighs features equally when every importance is 0', () => {
    expect(healthScore([drift('a', 0, 0.21), drift('b', 0, 0)]).health).toBeCloseTo(75, 10);
  });

  it('lists at most the requested number of top features, largest loss first', () => {
    const score = healthScore([drift('a', 1, 0.1), drift('b', 1, 0.5), drift('c', 1, 0.3)], 2);
    expect(score.top_features.map((feature) => feature.feature)).toEqual(['b', 'c']);
  });

  it('rejects negative or non-finite figures', () => {
    expect(() => healthScore([drift('a', -1, 0.1)])).toThrow(EngineInputError);
    expect(() => healthScore([drift('a', 1, Number.NaN)])).toThrow(EngineInputError);
  });

  it('damage is half at PSI_HALF_DAMAGE above noise and nothing at or below noise', () => {
    expect(driftDamage(0.05 + PSI_HALF_DAMAGE, 0.05)).toBeCloseTo(0.5, 12);
    expect(driftDamage(0.05, 0.05)).toBe(0);
    expect(driftDamage(0.01, 0.05)).toBe(0);
  });
});

describe('health score properties', () => {
  const severities: Severity[] = ['ok', 'warning', 'critical', 'insufficient_data'];
  const featureDrift = fc.record({
    feature: fc.string(),
    importance: fc.integer({ min: 0, max: 1000 }).map((hundredths) => hundredths / 100),
    psi: fc.double({ min: 0, max: 20, noNaN: true }),
    psi_critical: fc.double({ min: 0, max: 1, noNaN: true }),
    severity: fc.constantFrom(...severities),
  });
  const features = fc.array(featureDrift, { minLength: 1, maxLength: 12 });

  it('stays within [0, 100]', () => {
    fc.assert(
      fc.property(features, (drifts) => {
        const { health } = healthScore(drifts);
        if (health !== null) expect(health >= 0 && health <= 100).toBe(true);
      }),
    );
  });

  it('is 100 when no PSI exceeds its noise level', () => {
    fc.assert(
      fc.property(features, (drifts) => {
        const calm = drifts.map((feature) => ({ ...feature, psi: Math.min(feature.psi, feature.psi_critical) }));
        const { health } = healthScore(calm);
        if (health !== null) expect(health).toBe(100);
      }),
    );
  });

  it('never rises when one feature’s PSI rises', () => {
    fc.assert(
      fc.property(features, fc.nat(), fc.double({ min: 0, max: 5, noNaN: true }), (drifts, pick, increase) => {
        const index = pick % drifts.length;
        const worse = drifts.map((feature, position) => (position === index ? { ...feature, psi: feature.psi + increase } : feature));
        const before = healthScore(drifts).health;
        const after = healthScore(worse).health;
        if (before !== null && after !== null) expect(after).toBeLessThanOrEqual(before + 1e-9);
      }),
    );
  });

  it('depends on importances only through their ratios', () => {
    fc.assert(
      fc.property(features, fc.double({ min: 0.01, max: 100, noNaN: true }), (drifts, factor) => {
        const scaled = drifts.map((feature) => ({ ...feature, importance: feature.importance * factor }));
        const before = healthScore(drifts).health;
        const after = healthScore(scaled).health;
        if (before === null) expect(after).toBeNull();
        else expect(after).toBeCloseTo(before, 6);
      }),
    );
  });

  it('gives each listed feature its share of all points lost, and lists every feature costing a visible amount', () => {
    fc.assert(
      fc.property(features, (drifts) => {
        const score = healthScore(drifts, drifts.length);
        if (score.health === null) return;
        const totalLost = 100 - score.health;
        for (const feature of score.top_features) expect(feature.share_of_penalty).toBeCloseTo(feature.points_lost / totalLost, 9);
        const listedLost = score.top_features.reduce((sum, feature) => sum + feature.points_lost, 0);
        const unlisted = score.assessed_features - score.top_features.length;
        expect(totalLost - listedLost).toBeLessThan(unlisted * MIN_POINTS_LISTED + 1e-9);
      }),
    );
  });

  it('lists features by points lost, largest first', () => {
    fc.assert(
      fc.property(features, (drifts) => {
        const listed = healthScore(drifts, drifts.length).top_features.map((feature) => feature.points_lost);
        expect(listed).toEqual([...listed].sort((left, right) => right - left));
      }),
    );
  });
});
