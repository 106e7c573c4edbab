import type { AccuracyFigure, WindowAccuracy } from '../../src/stats/accuracy-estimate';
import { costBenefit, CostBenefitInput, currentAccuracy, economicsFrom, MIN_LABELLED_ROWS, RetrainEconomics } from '../../src/engine/cost-benefit';
import { EngineInputError } from '../../src/engine/errors';

const figure = (value: number, rows = 10_000, halfWidth = 0.005): AccuracyFigure => ({ value, lower: value - halfWidth, upper: value + halfWidth, rows });
const economics = (retrain_cost: number): RetrainEconomics => ({
  currency: 'USD',
  value_per_error: 10,
  retrain_cost,
  retrain_duration_days: 5,
  horizon_days: 30,
});
const input = (accuracy: WindowAccuracy, overrides: Partial<CostBenefitInput> = {}): CostBenefitInput => ({
  reference_accuracy: 0.9,
  accuracy,
  predictions_per_day: 1000,
  health: 98,
  drifted_features: 0,
  economics: economics(4000),
  ...overrides,
});
const realized = (value: number, rows = 10_000): WindowAccuracy => ({ estimated: figure(value), realized: figure(value, rows), estimate_error: 0 });

describe('cost-benefit figures and decision rules', () => {
  // Realized 85 % against 90 %: 0.05 × 1000 predictions × $10 = $500 a day at risk. Retraining takes
  // 5 days, so it wins back 25 days × $500 = $12 500 over the 30-day horizon.
  it('recommends retraining now when it pays back within half the horizon', () => {
    const result = costBenefit(input(realized(0.85)));
    expect(result.recommendation).toBe('retrain_now');
    expect(result.accuracy_source).toBe('realized');
    expect(result.accuracy_drop).toBeCloseTo(0.05, 12);
    expect(result.revenue_at_risk_per_day).toBeCloseTo(500, 9);
    expect(result.recoverable_value).toBeCloseTo(12_500, 9);
    expect(result.net_benefit).toBeCloseTo(8_500, 9);
    // 5 days of retraining, then $4000 / $500 a day = 8 more days.
    expect(result.payback_days).toBeCloseTo(13, 9);
    expect(result.reasons[0]).toContain('85.0%');
    expect(result.reasons[0]).toContain('$500 a day');
    expect(result.reasons[1]).toContain('pays for itself in 13 days');
  });

  it('schedules the retrain when it pays back later than half the horizon but within it', () => {
    const result = costBenefit(input(realized(0.85), { economics: economics(8000) }));
    expect(result.recommendation).toBe('schedule_retrain');
    expect(result.payback_days).toBeCloseTo(21, 9);
    expect(result.net_benefit).toBeCloseTo(4_500, 9);
  });

  it('monitors when the accuracy loss is real but retraining does not pay back', () => {
    const result = costBenefit(input(realized(0.85), { economics: economics(20_000) }));
    expect(result.recommendation).toBe('monitor');
    expect(result.net_benefit).toBeCloseTo(-7_500, 9);
    expect(result.reasons[1]).toContain('would not pay back');
  });

  it('counts nothing at risk when the current accuracy is within noise of the reference', () => {
    // 0.895 with a band up to 0.905: the reference 0.9 lies inside it.
    const result = costBenefit(input(realized(0.895)));
    expect(result.drop_is_material).toBe(false);
    expect(result.revenue_at_risk_per_day).toBe(0);
    expect(result.payback_days).toBeNull();
    expect(result.recommendation).toBe('no_action');
  });

  it('ignores a drop under one point even when it is outside a narrow band', () => {
    const narrow: WindowAccuracy = { estimated: null, realized: figure(0.892, 1_000_000, 0.0006), estimate_error: null };
    expect(costBenefit(input(narrow)).drop_is_material).toBe(false);
  });

  it('monitors drifting inputs while accuracy holds', () => {
    expect(costBenefit(input(realized(0.9), { health: 80 })).recommendation).toBe('monitor');
    const flagged = costBenefit(input(realized(0.9), { health: 97, drifted_features: 1 }));
    expect(flagged.recommendation).toBe('monitor');
    expect(flagged.reasons[1]).toContain('1 feature past the PSI threshold');
  });

  it('uses the estimate until enough labels arrived, and says when labels contradict it', () => {
    const fewLabels: WindowAccuracy = { estimated: figure(0.895), realized: figure(0.7, MIN_LABELLED_ROWS - 1), estimate_error: 0.195 };
    expect(currentAccuracy(fewLabels)?.source).toBe('estimated');
    expect(costBenefit(input(fewLabels)).recommendation).toBe('no_action');

    const contradicted: WindowAccuracy = { estimated: figure(0.95), realized: figure(0.8), estimate_error: 0.15 };
    const result = costBenefit(input(contradicted));
    expect(result.accuracy_source).toBe('realized');
    expect(result.recommendation).toBe('retrain_now');
    expect(result.reasons[2]).toContain('concept drift');
  });

  it('gives no money figures without any accuracy', () => {
    const result = costBenefit(input({ estimated: null, realized: null, estimate_error: null }, { health: 70 }));
    expect(result.accuracy_source).toBeNull();
    expect(result.revenue_at_risk_per_day).toBe(0);
    expect(result.recommendation).toBe('monitor');
  });

  it('rejects impossible inputs', () => {
    expect(() => costBenefit(input(realized(0.8), { reference_accuracy: 1.2 }))).toThrow(EngineInputError);
    expect(() => costBenefit(input(realized(0.8), { predictions_per_day: -1 }))).toThrow(EngineInputError);
    expect(() => costBenefit(input(realized(0.8), { economics: { ...economics(1), horizon_days: 0 } }))).toThrow(EngineInputError);
  });
});

describe('economics from business parameters', () => {
  const business = {
    currency: 'EUR',
    value_per_correct_prediction: null,
    cost_per_error: 150,
    retrain_cost: 40_000,
    retrain_duration_days: 7,
    horizon_days: 60,
    predictions_per_day: null,
  };

  it('adds the value of a right prediction to the cost of an error: a flip loses both', () => {
    expect(economicsFrom(business)?.value_per_error).toBe(150);
    expect(economicsFrom({ ...business, value_per_correct_prediction: 20 })?.value_per_error).toBe(170);
  });

  it('is null while a parameter is missing', () => {
    expect(economicsFrom({ ...business, cost_per_error: null })).toBeNull();
    expect(economicsFrom({ ...business, horizon_days: null })).toBeNull();
  });
});
