import {
  CLASS_NO_DRIFT,
  classShare,
  runOutputScenario,
  SCORE_NO_DRIFT,
  scoreShift,
} from '../../../bench/prediction-drift-simulation';

/**
 * A small, seeded run of bench/prediction-drift.bench.ts (docs/STATISTICS.md has the full one):
 * the output verdict on simulated probability scores and class mixes, 100 windows per case. Seeded,
 * so the counts are exact; the bounds are the verdict targets.
 */
const SEED = 37;
const WINDOWS = 100;

describe('prediction-drift verdict error rates on simulated model outputs', () => {
  it.each([
    [SCORE_NO_DRIFT.name, 50, SCORE_NO_DRIFT],
    [SCORE_NO_DRIFT.name, 1000, SCORE_NO_DRIFT],
    [CLASS_NO_DRIFT.name, 50, CLASS_NO_DRIFT],
    [CLASS_NO_DRIFT.name, 1000, CLASS_NO_DRIFT],
  ])('%s, %i rows a window: at most 5 %% of windows flagged', (_name, rows, change) => {
    expect(runOutputScenario(SEED, change, rows, WINDOWS).flagged / WINDOWS).toBeLessThanOrEqual(0.05);
  });

  it.each([
    [scoreShift(1).name, scoreShift(1)],
    [classShare(0.55).name, classShare(0.55)],
  ])('detects %s in ≥ 95 %% of windows from 200 rows, never less often with more rows', (_name, change) => {
    const [small, medium, large] = [50, 200, 1000].map((rows) => runOutputScenario(SEED, change, rows, WINDOWS));
    expect(medium.flagged / WINDOWS).toBeGreaterThanOrEqual(0.95);
    expect(large.flagged).toBe(WINDOWS);
    expect(small.flagged).toBeLessThanOrEqual(medium.flagged);
  });
});
