import { DATA_QUALITY_CASES, meanShift, NO_DRIFT, runScenario } from '../../../bench/verdict-simulation';

/**
 * A small, seeded run of bench/verdicts.bench.ts (docs/BENCHMARKS.md has the full one): 20-feature
 * models (8 numeric shapes, categoricals of 2–50 levels, importance ∝ 1/rank), 30 windows per case.
 * Seeded, so the counts are exact; the bounds are the targets.
 */
const SEED = 31;
const WINDOWS = 30;

describe('verdict error rates on simulated models', () => {
  it.each([50, 1000])(
    'without drift, at %p rows a window: at most 5 % of windows flag a feature, health never below 90',
    (rows) => {
      const result = runScenario(SEED, NO_DRIFT, rows, WINDOWS);
      expect(result.windowsFlagged / WINDOWS).toBeLessThanOrEqual(0.05);
      expect(result.minHealth as number).toBeGreaterThanOrEqual(90);
      // The rule before this release flagged most windows of these models.
      if (rows === 50) expect(result.previousRule.windowsFlagged).toBeGreaterThan(WINDOWS / 2);
    }
  );

  it('detects a 0.5 SD mean shift in ≥ 90 % of windows from 200 rows, more often with more rows', () => {
    const [small, medium, large] = [50, 200, 1000].map((rows) => runScenario(SEED, meanShift(0.5), rows, WINDOWS));
    expect(medium.targetFlagged / WINDOWS).toBeGreaterThanOrEqual(0.9);
    expect(large.targetFlagged).toBe(WINDOWS);
    expect(small.targetFlagged).toBeLessThanOrEqual(medium.targetFlagged);
  });

  it.each(DATA_QUALITY_CASES.map((scenario) => [scenario.name, scenario] as const))(
    'detects “%s” in every window of 200 rows',
    (_name, scenario) => {
      expect(runScenario(SEED, scenario, 200, WINDOWS).targetFlagged).toBe(WINDOWS);
    }
  );
});
