import { ALL_DAYS, LAST_WEEK, LOAD_TIMEOUT_MS, serveScenario, ServedScenario } from './served-scenario';

const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

describe('scenario 3 (gradual decay) as served by the API', () => {
  let served: ServedScenario;
  // Loading 90 days of demo traffic takes a while on a busy machine.
  beforeAll(async () => {
    served = await serveScenario(3);
  }, LOAD_TIMEOUT_MS);
  afterAll(() => served?.server.stop());

  it('scores health 75–85 (≈ 80 ± 5) over the last 7 days, with estimated accuracy within 3 points of realized', async () => {
    const summary = await served.get(`summary?${LAST_WEEK}`);
    expect(summary.health_score).toBeGreaterThanOrEqual(75);
    expect(summary.health_score).toBeLessThanOrEqual(85);
    expect(
      summary.features
        .filter((feature: any) => feature.drifted)
        .map((feature: any) => feature.feature)
        .sort()
    ).toEqual(['credit_history_months', 'income']);
    expect(Math.abs(summary.estimated_accuracy.value - summary.realized_accuracy.value)).toBeLessThanOrEqual(0.03);
  });

  it('declines visibly over the 90-day daily trend, flagging only the features it degrades', async () => {
    const { model, series } = await served.get(`trends?${ALL_DAYS}&interval=1d`);
    const health = model.points.map((point: any) => point.health);
    expect(mean(health.slice(0, 7))).toBeGreaterThan(97);
    expect(mean(health.slice(-7))).toBeLessThan(88);
    expect(mean(health.slice(30, 37))).toBeGreaterThan(mean(health.slice(60, 67)));
    const flagged = series
      .filter((feature: any) => feature.points.some((point: any) => point.drifted))
      .map((feature: any) => feature.feature);
    expect(flagged.sort()).toEqual(['credit_history_months', 'income']);
    const income = series.find((feature: any) => feature.feature === 'income');
    expect(income.points.slice(-7).every((point: any) => point.persistent && point.severity === 'critical')).toBe(true);
  });

  it('recommends monitoring: inputs drift but accuracy holds', async () => {
    const recommendation = await served.get(`recommendation?${LAST_WEEK}`);
    expect(recommendation.recommendation).toBe('monitor');
    expect(recommendation.revenue_at_risk_per_day).toBe(0);
  });
});
