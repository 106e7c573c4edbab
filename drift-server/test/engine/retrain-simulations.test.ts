import { REFERENCE_POPULATION, reversedShareCosting, simulate } from '../../../bench/retrain-simulation';

/**
 * Small seeded versions of bench/retrain-decisions.bench.ts: the same simulated calibrated model and
 * the same decision code, few enough days to run in every test run. The bench has the full figures.
 */
describe('retrain decisions on a simulated calibrated model', () => {
  it('never says retrain_now in 240 days without drift at 2 000 labelled rows a day', () => {
    const recommendations = [0, 1].flatMap((seed) =>
      simulate({
        seed: 300 + seed,
        referenceRows: 20_000,
        rowsPerDay: 2_000,
        days: 120,
        population: () => REFERENCE_POPULATION,
      }).days.map((day) => day.costs)
    );
    expect(recommendations.filter((costs) => costs.recommendation === 'retrain_now')).toHaveLength(0);
    expect(recommendations.filter((costs) => (costs.recoverable_value ?? 0) > 0)).toHaveLength(0);
    // Single days clear one comparison at its 1 % level now and then, which only asks to watch.
    expect(recommendations.filter((costs) => costs.recommendation === 'monitor').length).toBeLessThanOrEqual(8);
  });

  it('prices a covariate shift as revenue at risk, never as recoverable, and never retrains for it', () => {
    const { days } = simulate({
      seed: 400,
      referenceRows: 20_000,
      rowsPerDay: 2_000,
      days: 60,
      population: () => ({ scoreMean: 0, scoreSd: 0.8, reversedShare: 0 }),
    });
    expect(days.every(({ costs }) => costs.recommendation === 'monitor' && costs.drop_is_material)).toBe(true);
    expect(days.some(({ costs }) => (costs.recoverable_value ?? 0) > 0)).toBe(false);
  });

  it('says retrain_now by the third day of concept drift costing 5 points, at 2 000 rows a day', () => {
    const drifted = { ...REFERENCE_POPULATION, reversedShare: reversedShareCosting(0.05, REFERENCE_POPULATION) };
    const firstDays = Array.from({ length: 20 }, (_, run) => {
      const { days } = simulate({
        seed: 500 + run,
        referenceRows: 5_000,
        rowsPerDay: 2_000,
        days: 8,
        population: (day) => (day >= 4 ? drifted : REFERENCE_POPULATION),
      });
      expect(days.slice(0, 4).some(({ costs }) => costs.recommendation === 'retrain_now')).toBe(false);
      return days.slice(4).findIndex(({ costs }) => costs.recommendation === 'retrain_now') + 1;
    });
    expect(firstDays.filter((day) => day >= 1 && day <= 3)).toHaveLength(20);
  });
});
