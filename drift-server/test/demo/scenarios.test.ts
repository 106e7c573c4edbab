import {
  ATTACK_START_DAY,
  DEMO_BUSINESS,
  DEMO_DAYS,
  demoScenario,
  DemoRow,
  ROWS_PER_DAY,
} from '../../src/demo/scenarios';
import { HEALTH_WATCH_LEVEL } from '../../src/engine/cost-benefit';
import { healthScore } from '../../src/engine/health-score';
import {
  countedDrifts,
  daysOfTraffic,
  evaluateWindow,
  featureDrifts,
  freezeBins,
  ReferenceFacts,
  referenceFacts,
  WindowEvaluation,
} from './window-evaluation';

/**
 * Windows are [from, to) spans of production rows compared with the reference, as the API serves
 * them. "Now" is the end of day 90; the current window is the last 7 days (days 83–89, 0-based),
 * compared with compareFeature. The 90-day trends are daily windows counted into bins frozen from
 * the reference, as the store aggregates them.
 */
const WINDOW_DAYS = 7;
const LAST_WEEK = { first: DEMO_DAYS - WINDOW_DAYS, last: DEMO_DAYS - 1 };
const ACCURACY_TOLERANCE = 0.03;

const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
const wrongShare = (rows: readonly DemoRow[]) =>
  rows.filter((row) => row.prediction !== row.label).length / rows.length;

describe('scenario 1: baseline', () => {
  const scenario = demoScenario(1);
  let reference: ReferenceFacts;
  let lastWeek: WindowEvaluation;
  beforeAll(() => {
    reference = referenceFacts(scenario);
    lastWeek = evaluateWindow(scenario, reference, daysOfTraffic(scenario, LAST_WEEK.first, LAST_WEEK.last));
  });

  it('is healthy: health in 93–100 (≈ 98 ± 5) over the last 7 days', () => {
    expect(lastWeek.health.health).toBeGreaterThanOrEqual(93);
    expect(lastWeek.health.health).toBeLessThanOrEqual(100);
    expect(lastWeek.health.drifted_features).toBe(0);
  });

  it('estimates accuracy within 3 points of the realized accuracy', () => {
    expect(Math.abs(lastWeek.accuracy.estimate_error as number)).toBeLessThanOrEqual(ACCURACY_TOLERANCE);
    expect(lastWeek.accuracy.realized?.rows).toBe(WINDOW_DAYS * ROWS_PER_DAY);
  });

  it('flags no feature as drifted on any of the 90 days', () => {
    const frozen = freezeBins(scenario, reference.rows);
    const flagged: string[] = [];
    const days: number[] = [];
    for (const { day, rows } of scenario.production()) {
      days.push(day);
      const drifts = countedDrifts(frozen, rows);
      for (const drift of drifts) {
        if (drift.drifted)
          flagged.push(`day ${day}: ${drift.feature} ${drift.findings.map((finding) => finding.name)}`);
      }
      expect(healthScore(drifts).health).toBeGreaterThanOrEqual(93);
    }
    expect(days).toEqual(Array.from({ length: DEMO_DAYS }, (_, day) => day));
    expect(flagged).toEqual([]);
  });

  it('recommends no action: nothing is at risk', () => {
    const { recommendation } = lastWeek;
    expect(recommendation.recommendation).toBe('no_action');
    expect(recommendation.accuracy_source).toBe('realized');
    expect(recommendation.drop_is_material).toBe(false);
    expect(recommendation.revenue_at_risk_per_day).toBe(0);
    expect(recommendation.payback_days).toBeNull();
    expect(recommendation.net_benefit).toBe(-DEMO_BUSINESS.retrain_cost);
  });
});

describe('scenario 2: sudden drift', () => {
  const scenario = demoScenario(2);
  let reference: ReferenceFacts;
  let window: DemoRow[];
  let lastWeek: WindowEvaluation;
  beforeAll(() => {
    reference = referenceFacts(scenario);
    const days = daysOfTraffic(scenario, LAST_WEEK.first, LAST_WEEK.last);
    window = days.flat();
    lastWeek = evaluateWindow(scenario, reference, days);
  });

  it('counting into frozen bins gives the same figures and verdicts as compareFeature, calm or drifted', () => {
    const frozen = freezeBins(scenario, reference.rows);
    for (const rows of [scenario.productionDay(0).rows, window]) {
      const compared = featureDrifts(scenario, reference.rows, rows);
      const evaluated = evaluateWindow(scenario, reference, [rows]);
      for (const counted of countedDrifts(frozen, rows)) {
        const comparison = compared.get(counted.feature);
        expect([counted.feature, counted.psi, counted.psi_critical]).toEqual([
          counted.feature,
          comparison?.psi,
          comparison?.psi_critical,
        ]);
      }
      expect(healthScore(countedDrifts(frozen, rows))).toEqual(evaluated.health);
    }
  });

  it('is healthy in the week before the attack', () => {
    const before = evaluateWindow(
      scenario,
      reference,
      daysOfTraffic(scenario, ATTACK_START_DAY - WINDOW_DAYS, ATTACK_START_DAY - 1)
    );
    expect(before.health.health).toBeGreaterThanOrEqual(93);
  });

  it('drops to a health of 40–50 (≈ 45 ± 5), driven by income and debt ratio', () => {
    expect(lastWeek.health.health).toBeGreaterThanOrEqual(40);
    expect(lastWeek.health.health).toBeLessThanOrEqual(50);
    const top = lastWeek.health.top_features;
    expect(
      top
        .slice(0, 2)
        .map((feature) => feature.feature)
        .sort()
    ).toEqual(['debt_ratio', 'income']);
    expect(top.slice(0, 2).every((feature) => feature.severity === 'critical')).toBe(true);
    expect(top[0].share_of_penalty + top[1].share_of_penalty).toBeGreaterThan(0.99);
    expect(lastWeek.health.drifted_features).toBe(2);
  });

  it('recommends retraining now, from the realized accuracy loss and the demo’s business figures', () => {
    const { recommendation } = lastWeek;
    const realized = 1 - wrongShare(window);
    const referenceAccuracy = 1 - wrongShare(reference.rows);
    const drop = referenceAccuracy - realized;
    // The model approves applicants who default: a double-digit loss of accuracy.
    expect(drop).toBeGreaterThan(0.1);
    expect(recommendation.recommendation).toBe('retrain_now');
    expect(recommendation.accuracy_source).toBe('realized');
    expect(recommendation.reference_accuracy).toBeCloseTo(referenceAccuracy, 12);
    expect(recommendation.accuracy_drop).toBeCloseTo(drop, 12);
    expect(recommendation.predictions_per_day).toBe(ROWS_PER_DAY);
    const atRisk = drop * ROWS_PER_DAY * DEMO_BUSINESS.cost_per_error;
    expect(recommendation.revenue_at_risk_per_day).toBeCloseTo(atRisk, 6);
    const daysAfterRetrain = DEMO_BUSINESS.horizon_days - DEMO_BUSINESS.retrain_duration_days;
    expect(recommendation.net_benefit).toBeCloseTo(atRisk * daysAfterRetrain - DEMO_BUSINESS.retrain_cost, 6);
    expect(recommendation.payback_days).toBeCloseTo(
      DEMO_BUSINESS.retrain_duration_days + DEMO_BUSINESS.retrain_cost / atRisk,
      9
    );
    expect(recommendation.payback_days as number).toBeLessThanOrEqual(DEMO_BUSINESS.horizon_days / 2);
  });

  it('shows the label-free estimate blind to the attack, and splits the loss honestly', () => {
    const { recommendation } = lastWeek;
    // The manipulated inputs look safe, so the calibrated probabilities promise a high accuracy.
    expect(lastWeek.accuracy.estimate_error as number).toBeGreaterThan(ACCURACY_TOLERANCE);
    const estimated = lastWeek.accuracy.estimated?.value as number;
    const realized = 1 - wrongShare(window);
    // The population shift explains none of the loss (it would raise accuracy); the labels fall far below the estimate.
    expect(recommendation.population_shift?.value).toBeCloseTo(reference.accuracy - estimated, 12);
    expect(recommendation.population_shift?.value).toBeLessThan(0);
    expect(recommendation.concept_drift).toMatchObject({ established: true });
    expect(recommendation.concept_drift?.value).toBeCloseTo(estimated - realized, 12);
    // Retraining is assumed to win back at most the reference accuracy: the recoverable part is the whole drop, not the 29-point gap.
    expect(recommendation.recoverable_drop?.value).toBeCloseTo(reference.accuracy - realized, 12);
    expect(recommendation.recoverable_per_day).toBeCloseTo(recommendation.revenue_at_risk_per_day as number, 6);
    expect(recommendation.persistence).toEqual({ established_days: 3, days: 3, required: 2 });
    const reasons = recommendation.reasons.join(' ');
    expect(reasons).toMatch(/the population shift explains none of it: on these inputs the estimate expects 9\d\.\d%/);
    expect(reasons).toMatch(/concept drift, the link between inputs and outcomes changed/);
    expect(reasons).toMatch(/up to the reference accuracy/);
  });
});

describe('scenario 3: gradual decay', () => {
  const scenario = demoScenario(3);
  let reference: ReferenceFacts;
  let daily: number[];
  let dailyDrifted: string[][];
  let lastWeek: WindowEvaluation;
  beforeAll(() => {
    reference = referenceFacts(scenario);
    const frozen = freezeBins(scenario, reference.rows);
    const days = [...scenario.production()];
    daily = days.map(({ rows }) => healthScore(countedDrifts(frozen, rows)).health as number);
    dailyDrifted = days.map(({ rows }) =>
      countedDrifts(frozen, rows)
        .filter((drift) => drift.drifted)
        .map((drift) => drift.feature)
    );
    lastWeek = evaluateWindow(
      scenario,
      reference,
      days.slice(LAST_WEEK.first).map((day) => day.rows)
    );
  });

  it('ends with a health of 75–85 (≈ 80 ± 5) over the last 7 days, income critical and credit history a warning', () => {
    expect(lastWeek.health.health).toBeGreaterThanOrEqual(75);
    expect(lastWeek.health.health).toBeLessThanOrEqual(85);
    expect(lastWeek.health.top_features.map((feature) => [feature.feature, feature.severity])).toEqual([
      ['income', 'critical'],
      ['credit_history_months', 'warning'],
    ]);
  });

  it('declines visibly across the 90 daily windows', () => {
    const thirds = [daily.slice(0, 30), daily.slice(30, 60), daily.slice(60)].map(mean);
    expect(thirds[0]).toBeGreaterThan(thirds[1]);
    expect(thirds[1]).toBeGreaterThan(thirds[2]);
    expect(mean(daily.slice(0, 10))).toBeGreaterThanOrEqual(97);
    expect(mean(daily.slice(0, 10)) - mean(daily.slice(-10))).toBeGreaterThan(10);
  });

  it('flags only the features it degrades, and income first', () => {
    expect([...new Set(dailyDrifted.flat())].sort()).toEqual(['credit_history_months', 'income']);
    expect(dailyDrifted.slice(0, 30).flat()).toEqual([]);
    expect(dailyDrifted.slice(-7).every((features) => features.includes('income'))).toBe(true);
  });

  it('estimates accuracy within 3 points of the realized accuracy (the inputs drift, the concept does not)', () => {
    expect(Math.abs(lastWeek.accuracy.estimate_error as number)).toBeLessThanOrEqual(ACCURACY_TOLERANCE);
  });

  it('asks to monitor: inputs drift, accuracy holds', () => {
    expect(lastWeek.health.health as number).toBeLessThan(HEALTH_WATCH_LEVEL);
    expect(lastWeek.recommendation.drop_is_material).toBe(false);
    expect(lastWeek.recommendation.recommendation).toBe('monitor');
  });
});
