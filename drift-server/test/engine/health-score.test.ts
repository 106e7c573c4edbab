import fc from 'fast-check';
import {
  DAMAGE_BANDS,
  FeatureHealthInput,
  findingDamage,
  healthScore,
  MIN_POINTS_LISTED,
  shiftDamage,
} from '../../src/engine/health-score';
import { decideFeatures, FeatureComparer } from '../../src/engine/feature-drift';
import { EngineInputError } from '../../src/engine/errors';
import {
  BinCounts,
  decideWindow,
  DEFAULT_THRESHOLDS,
  featureTests,
  Finding,
  FindingName,
  Severity,
} from '../../src/stats';

type HealthFinding = Pick<Finding, 'name' | 'severity' | 'effect'>;

const feature = (
  name: string,
  importance: number,
  findings: HealthFinding[] = [],
  severity?: Severity
): FeatureHealthInput => ({
  feature: name,
  importance,
  psi: 0.5,
  findings,
  severity:
    severity ??
    (findings.some((finding) => finding.severity === 'critical') ? 'critical' : findings.length > 0 ? 'warning' : 'ok'),
});
const shift = (effect: number): HealthFinding => ({
  name: 'distribution_shift',
  severity: effect >= 0.2 ? 'critical' : 'warning',
  effect,
});

describe('health score by hand', () => {
  it('takes each feature’s importance share times the damage of its worst finding off 100', () => {
    // Weights ¾ and ¼. Income shifted by a corrected PSI of 0.2: half its weight, 37.5 points.
    // Age is all missing: its whole weight, 25 points.
    const score = healthScore([
      feature('income', 3, [shift(0.2)]),
      feature('age', 1, [{ name: 'all_missing', severity: 'critical', effect: 1 }]),
    ]);
    expect(score.health).toBeCloseTo(100 - 37.5 - 25, 10);
    expect(score.top_features.map((contribution) => [contribution.feature, contribution.finding])).toEqual([
      ['income', 'distribution_shift'],
      ['age', 'all_missing'],
    ]);
    expect(score.top_features[0].points_lost).toBeCloseTo(37.5, 10);
    expect(score.top_features[0].share_of_penalty).toBeCloseTo(37.5 / 62.5, 10);
    expect(score.top_features[1]).toMatchObject({ damage: 1, weight: 0.25 });
    expect(score.drifted_features).toBe(2);
  });

  it('is 100 when nothing is decided, whatever the PSI: only verdicts cost health', () => {
    const score = healthScore([feature('income', 1), feature('age', 2)]);
    expect(score).toMatchObject({ health: 100, top_features: [], drifted_features: 0 });
  });

  it('holds each finding’s damage in its severity’s band', () => {
    // 5 % of values out of range is critical: it costs at least half the weight, not 5 %.
    expect(findingDamage({ name: 'out_of_range', severity: 'critical', effect: 0.05 })).toBe(0.5);
    expect(findingDamage({ name: 'missing_share_change', severity: 'warning', effect: 0.06 })).toBeCloseTo(
      shiftDamage(0.1),
      12
    );
    expect(findingDamage({ name: 'mostly_missing', severity: 'critical', effect: 0.95 })).toBeCloseTo(0.95, 12);
    expect(findingDamage(shift(0.15))).toBeCloseTo(1 - 2 ** -0.75, 12);
    expect(DAMAGE_BANDS.warning).toEqual([shiftDamage(0.1), 0.5]);
  });

  it('keeps the weight of a feature that cannot be judged, instead of spreading it over the others', () => {
    const score = healthScore([feature('income', 1, [shift(0.2)]), feature('age', 1, [], 'insufficient_data')]);
    // Income carries half the weight, not all of it: 25 points.
    expect(score.health).toBeCloseTo(75, 10);
    expect(score.insufficient_features).toEqual(['age']);
    expect(score.assessed_features).toBe(1);
  });

  it('is null when no feature could be judged', () => {
    expect(healthScore([feature('income', 1, [], 'insufficient_data')]).health).toBeNull();
  });

  it('weighs features equally when every importance is 0', () => {
    expect(healthScore([feature('a', 0, [shift(0.2)]), feature('b', 0)]).health).toBeCloseTo(75, 10);
  });

  it('lists at most the requested number of top features, largest loss first', () => {
    const score = healthScore(
      [feature('a', 1, [shift(0.1)]), feature('b', 1, [shift(0.5)]), feature('c', 1, [shift(0.3)])],
      2
    );
    expect(score.top_features.map((contribution) => contribution.feature)).toEqual(['b', 'c']);
  });

  it('rejects negative or non-finite figures', () => {
    expect(() => healthScore([feature('a', -1)])).toThrow(EngineInputError);
    expect(() => healthScore([feature('a', 1, [shift(Number.NaN)])])).toThrow(EngineInputError);
  });
});

const FINDING_NAMES: FindingName[] = [
  'distribution_shift',
  'discrete_shift',
  'missing_share_change',
  'mostly_missing',
  'all_missing',
  'out_of_range',
  'unseen_categories',
  'constant_changed',
];
const finding = fc.record({
  name: fc.constantFrom(...FINDING_NAMES),
  severity: fc.constantFrom('warning' as const, 'critical' as const),
  effect: fc.double({ min: 0, max: 3, noNaN: true }),
});
const healthFeature = fc.record({
  feature: fc.string(),
  importance: fc.integer({ min: 0, max: 1000 }).map((hundredths) => hundredths / 100),
  findings: fc.array(finding, { maxLength: 3 }),
});
const model = fc
  .array(healthFeature, { minLength: 1, maxLength: 12 })
  .map((features) => features.map((item): FeatureHealthInput => feature(item.feature, item.importance, item.findings)));
const RANK: Record<Severity, number> = { insufficient_data: 0, ok: 0, warning: 1, critical: 2 };

describe('health score properties', () => {
  it('stays within [0, 100]', () => {
    fc.assert(
      fc.property(model, (features) => {
        const { health } = healthScore(features);
        if (health !== null) expect(health >= 0 && health <= 100).toBe(true);
      })
    );
  });

  it('never rises when a feature’s severity rises, whatever its findings were and become', () => {
    fc.assert(
      fc.property(model, fc.nat(), fc.array(finding, { minLength: 1, maxLength: 3 }), (features, pick, replacement) => {
        const index = pick % features.length;
        const changed = feature(features[index].feature, features[index].importance, replacement);
        fc.pre(RANK[changed.severity] > RANK[features[index].severity]);
        const before = healthScore(features).health as number;
        const after = healthScore(features.map((item, position) => (position === index ? changed : item)))
          .health as number;
        expect(after).toBeLessThanOrEqual(before + 1e-9);
      })
    );
  });

  it('never rises when a finding’s effect grows at the same severity', () => {
    fc.assert(
      fc.property(model, fc.nat(), fc.double({ min: 0, max: 2, noNaN: true }), (features, pick, growth) => {
        const index = pick % features.length;
        fc.pre(features[index].findings.length > 0);
        const worse = features.map((item, position) =>
          position === index
            ? { ...item, findings: item.findings.map((found) => ({ ...found, effect: found.effect + growth })) }
            : item
        );
        expect(healthScore(worse).health as number).toBeLessThanOrEqual(
          (healthScore(features).health as number) + 1e-9
        );
      })
    );
  });

  it('depends on importances only through their ratios', () => {
    fc.assert(
      fc.property(model, fc.double({ min: 0.01, max: 100, noNaN: true }), (features, factor) => {
        const scaled = features.map((item) => ({ ...item, importance: item.importance * factor }));
        expect(healthScore(scaled).health as number).toBeCloseTo(healthScore(features).health as number, 6);
      })
    );
  });

  it('gives each listed feature its share of all points lost, and lists every feature costing a visible amount', () => {
    fc.assert(
      fc.property(model, (features) => {
        const score = healthScore(features, features.length);
        const totalLost = 100 - (score.health as number);
        for (const contribution of score.top_features)
          expect(contribution.share_of_penalty).toBeCloseTo(contribution.points_lost / totalLost, 9);
        const listedLost = score.top_features.reduce((sum, contribution) => sum + contribution.points_lost, 0);
        expect(totalLost - listedLost).toBeLessThan(
          (features.length - score.top_features.length) * MIN_POINTS_LISTED + 1e-9
        );
      })
    );
  });
});

/** Counts of a model's features in one window: ten equal frozen bins and their tails, and a missing count. */
const binCounts = fc.record({
  counts: fc
    .tuple(fc.nat({ max: 3 }), fc.array(fc.nat({ max: 400 }), { minLength: 10, maxLength: 10 }))
    .map(([below, inner]) => [below, ...inner, 0]),
  missing: fc.nat({ max: 300 }),
});
const REFERENCE: BinCounts = { counts: [0, ...new Array(10).fill(1000), 0], missing: 100 };

function windowHealth(windows: BinCounts[], importances: number[]): number | null {
  const tests = windows.map((production) =>
    featureTests({ kind: 'numeric', binning: 'quantiles', reference: REFERENCE, production }, DEFAULT_THRESHOLDS)
  );
  const verdicts = decideWindow(tests, DEFAULT_THRESHOLDS);
  return healthScore(
    verdicts.map((verdict, index) => ({ feature: `f${index}`, importance: importances[index], psi: 0, ...verdict }))
  ).health;
}

describe('health from decided verdicts, end to end', () => {
  it('never rises when missing values are added to a feature (through the tests, the FDR family and the score)', () => {
    fc.assert(
      fc.property(
        fc.array(binCounts, { minLength: 1, maxLength: 6 }),
        fc.nat(),
        fc.integer({ min: 1, max: 2000 }),
        (windows, pick, added) => {
          const importances = windows.map((_, index) => 1 / (index + 1));
          const index = pick % windows.length;
          const before = windowHealth(windows, importances);
          const withMissing = windows.map((window, position) =>
            position === index ? { ...window, missing: window.missing + added } : window
          );
          const after = windowHealth(withMissing, importances);
          if (before !== null && after !== null) expect(after).toBeLessThanOrEqual(before + 1e-9);
          if (before !== null) expect(after).not.toBeNull();
        }
      ),
      { numRuns: 300 }
    );
  });

  it('accepts the engine’s per-feature results as they are', () => {
    const comparer = new FeatureComparer(
      { name: 'income', kind: 'numeric', importance: 2 },
      { kind: 'numeric', cuts: [1, 2], counts: [500, 500, 0], missing: 0 },
      DEFAULT_THRESHOLDS
    );
    const drifted = decideFeatures(
      [
        comparer.compare(
          comparer.frozenReference,
          new Map([
            [0, 100],
            [2, 400],
          ]),
          false
        ),
      ],
      DEFAULT_THRESHOLDS
    );
    expect(drifted[0].findings.map((found) => found.name)).toEqual(['distribution_shift', 'out_of_range']);
    expect(healthScore(drifted).health).toBeLessThan(0.1);
  });
});
