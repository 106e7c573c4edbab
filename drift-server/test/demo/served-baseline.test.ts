import { ALL_DAYS, LAST_WEEK, LOAD_TIMEOUT_MS, serveScenario, ServedScenario } from './served-scenario';

const ACCURACY_TOLERANCE = 0.03;

describe('scenario 1 (baseline) as served by the API', () => {
  let served: ServedScenario;
  // Loading 90 days of demo traffic takes a while on a busy machine.
  beforeAll(async () => {
    served = await serveScenario(1);
  }, LOAD_TIMEOUT_MS);
  afterAll(() => served?.server.stop());

  it('scores health 93–100 (≈ 98 ± 5) over the last 7 days with no drifted feature', async () => {
    const summary = await served.get(`summary?${LAST_WEEK}`);
    expect(summary.health_score).toBeGreaterThanOrEqual(93);
    expect(summary.health_score).toBeLessThanOrEqual(100);
    expect(summary.drifted_features).toBe(0);
    expect(summary.total_predictions).toBe(21_000);
  });

  it('estimates accuracy within 3 points of the realized accuracy, from the reference calibration', async () => {
    const summary = await served.get(`summary?${LAST_WEEK}`);
    expect(summary.calibration).toMatchObject({
      status: 'fitted',
      reason: null,
      reference_version: 1,
      rows: 20_000,
      cross_fitted: true,
    });
    // Checked on the reference rows the calibration did not see: within a point of their realized accuracy.
    const { held_out: heldOut } = summary.calibration;
    expect(Math.abs(heldOut.estimated.value - heldOut.realized.value)).toBeLessThan(0.01);
    expect(summary.estimate_actionable).toBe(true);
    expect(summary.realized_actionable).toBe(true);
    expect(summary.estimated_accuracy.calibration_sd).toBeGreaterThan(0);
    expect(summary.realized_accuracy.rows).toBe(21_000);
    expect(Math.abs(summary.estimated_accuracy.value - summary.realized_accuracy.value)).toBeLessThanOrEqual(
      ACCURACY_TOLERANCE
    );
    expect(summary.estimate_error).toBeCloseTo(summary.estimated_accuracy.value - summary.realized_accuracy.value, 12);
  });

  it('flags no feature on any of the 90 days (daily trends), and the model series stays healthy', async () => {
    const trends = await served.get(`trends?${ALL_DAYS}&interval=1d`);
    expect(trends.volume).toHaveLength(90);
    const flagged = trends.series.flatMap((series: any) =>
      series.points
        .filter((point: any) => point.severity !== 'ok')
        .map((point: any) => `${point.time} ${series.feature} ${point.severity}`)
    );
    expect(flagged).toEqual([]);
    expect(trends.model.points).toHaveLength(90);
    for (const point of trends.model.points) {
      expect(point.health).toBeGreaterThanOrEqual(93);
      expect(point.labelled_rows).toBe(3000);
      expect(Math.abs(point.estimated_accuracy - point.realized_accuracy)).toBeLessThan(0.05);
    }
  });

  it('shows no drifted feature in at least 95 % of the hours of its 90-day hourly trend, and no breach', async () => {
    const trends = await served.get(`trends?${ALL_DAYS}&interval=1h&series=features`);
    expect(trends.volume).toHaveLength(90 * 24);
    const hoursFlagged = trends.volume.filter((_: unknown, hour: number) =>
      trends.series.some((series: any) => series.points[hour].drifted)
    ).length;
    expect(hoursFlagged / trends.volume.length).toBeLessThanOrEqual(0.05);
    const persistent = trends.series.flatMap((series: any) =>
      series.points.filter((point: any) => point.persistent).map((point: any) => `${point.time} ${series.feature}`)
    );
    expect(persistent).toEqual([]);
  });

  it('recommends no action: nothing is at risk', async () => {
    const recommendation = await served.get(`recommendation?${LAST_WEEK}`);
    expect(recommendation).toMatchObject({
      recommendation: 'no_action',
      accuracy_source: 'realized',
      drop_is_material: false,
      revenue_at_risk_per_day: 0,
      payback_days: null,
      net_benefit: -40_000,
      predictions_per_day: 3000,
      predictions_per_day_source: 'measured',
    });
    expect(recommendation.reasons[0]).toMatch(/at or above the reference, nothing is lost\.$/);
    expect(recommendation.recoverable_confirmed).toBe(false);
  });
});
