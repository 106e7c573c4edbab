import { ATTACK_START_DAY, DEMO_BUSINESS } from '../../src/demo';
import {
  ALL_DAYS,
  LAST_WEEK,
  LOAD_TIMEOUT_MS,
  rowsOfDays,
  serveScenario,
  ServedScenario,
  shareRight,
  WINDOW_DAYS,
} from './served-scenario';

describe('scenario 2 (sudden drift) as served by the API', () => {
  let served: ServedScenario;
  // Loading 90 days of demo traffic takes a while on a busy machine.
  beforeAll(async () => {
    served = await serveScenario(2);
  }, LOAD_TIMEOUT_MS);
  afterAll(() => served?.server.stop());

  it('scores health 40–50 (≈ 45 ± 5), income and debt ratio critical at the top', async () => {
    const summary = await served.get(`summary?${LAST_WEEK}`);
    expect(summary.health_score).toBeGreaterThanOrEqual(40);
    expect(summary.health_score).toBeLessThanOrEqual(50);
    expect(
      summary.top_features
        .slice(0, 2)
        .map((feature: any) => feature.feature)
        .sort()
    ).toEqual(['debt_ratio', 'income']);
    expect(summary.top_features.slice(0, 2).every((feature: any) => feature.severity === 'critical')).toBe(true);
    const lost = summary.top_features.reduce((sum: number, feature: any) => sum + feature.points_lost, 0);
    // Features costing under 0.05 points each are not listed.
    expect(Math.abs(100 - lost - summary.health_score)).toBeLessThan(0.05 * summary.features.length);
  });

  it('flags income and debt ratio in every hour of the attack; no breach before it, none ever on the features it leaves alone', async () => {
    const trends = await served.get(`trends?${ALL_DAYS}&interval=1h&series=features`);
    const attackHour = ATTACK_START_DAY * 24;
    for (const series of trends.series) {
      const drifted = series.points.map((point: any) => point.drifted);
      const persistent = series.points.map((point: any) => point.persistent);
      if (series.feature === 'income' || series.feature === 'debt_ratio') {
        expect([series.feature, drifted.slice(attackHour).every(Boolean)]).toEqual([series.feature, true]);
        expect([series.feature, persistent.slice(attackHour + 1).every(Boolean)]).toEqual([series.feature, true]);
        expect([series.feature, persistent.slice(0, attackHour).some(Boolean)]).toEqual([series.feature, false]);
      } else {
        expect([series.feature, persistent.some(Boolean)]).toEqual([series.feature, false]);
      }
    }
  });

  it('recommends retraining now, with figures equal to ones computed from the generated rows', async () => {
    const recommendation = await served.get(`recommendation?${LAST_WEEK}`);
    const window = rowsOfDays(served.scenario, served.scenario.days - WINDOW_DAYS, served.scenario.days - 1);
    const realized = shareRight(window);
    const reference = shareRight(served.scenario.reference());
    const perDay = window.length / WINDOW_DAYS;
    const atRisk = (reference - realized) * perDay * DEMO_BUSINESS.cost_per_error;
    const recoverable = atRisk * (DEMO_BUSINESS.horizon_days - DEMO_BUSINESS.retrain_duration_days);
    expect(recommendation.recommendation).toBe('retrain_now');
    expect(recommendation.accuracy_source).toBe('realized');
    expect(recommendation.current_accuracy.value).toBeCloseTo(realized, 12);
    expect(recommendation.reference_accuracy).toBeCloseTo(reference, 12);
    expect(recommendation.predictions_per_day).toBe(perDay);
    expect(recommendation.value_per_error).toBe(DEMO_BUSINESS.cost_per_error);
    expect(recommendation.revenue_at_risk_per_day).toBeCloseTo(atRisk, 6);
    expect(recommendation.recoverable_value).toBeCloseTo(recoverable, 4);
    expect(recommendation.net_benefit).toBeCloseTo(recoverable - DEMO_BUSINESS.retrain_cost, 4);
    expect(recommendation.payback_days).toBeCloseTo(
      DEMO_BUSINESS.retrain_duration_days + DEMO_BUSINESS.retrain_cost / atRisk,
      9
    );
    expect(recommendation.payback_days).toBeLessThanOrEqual(DEMO_BUSINESS.horizon_days / 2);
    // The manipulated inputs look safe: the estimate rises while labels show the loss, and the reasons say so.
    expect(recommendation.estimated_accuracy.value).toBeGreaterThan(reference);
    expect(recommendation.reasons.join(' ')).toMatch(/concept drift/);
  });
});
