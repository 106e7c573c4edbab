import { DEMO_BUSINESS } from '../../src/demo';
import { LAST_WEEK, rowsOfDays, serveScenario, ServedScenario, shareRight, WINDOW_DAYS } from './served-scenario';

describe('scenario 2 (sudden drift) as served by the API', () => {
  let served: ServedScenario;
  // Loading 90 days of demo traffic takes a while on a busy machine.
  beforeAll(async () => {
    served = await serveScenario(2);
  }, 300_000);
  afterAll(() => served?.server.stop());

  it('scores health 35–55, income and debt ratio critical at the top', async () => {
    const summary = await served.get(`summary?${LAST_WEEK}`);
    expect(summary.health_score).toBeGreaterThanOrEqual(35);
    expect(summary.health_score).toBeLessThanOrEqual(55);
    expect(summary.top_features.slice(0, 2).map((feature: any) => feature.feature).sort()).toEqual(['debt_ratio', 'income']);
    expect(summary.top_features.slice(0, 2).every((feature: any) => feature.severity === 'critical')).toBe(true);
    const lost = summary.top_features.reduce((sum: number, feature: any) => sum + feature.points_lost, 0);
    // Features costing under 0.05 points each are not listed.
    expect(Math.abs(100 - lost - summary.health_score)).toBeLessThan(0.05 * summary.features.length);
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
    expect(recommendation.payback_days).toBeCloseTo(DEMO_BUSINESS.retrain_duration_days + DEMO_BUSINESS.retrain_cost / atRisk, 9);
    expect(recommendation.payback_days).toBeLessThanOrEqual(DEMO_BUSINESS.horizon_days / 2);
    // The manipulated inputs look safe: the estimate rises while labels show the loss, and the reasons say so.
    expect(recommendation.estimated_accuracy.value).toBeGreaterThan(reference);
    expect(recommendation.reasons.join(' ')).toMatch(/concept drift/);
  });
});
