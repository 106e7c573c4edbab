import {
  accuracyVerdicts,
  AccuracyVerdicts,
  DEFAULT_DECISION_SETTINGS,
  DecisionSettings,
  ReferenceSample,
} from '../../src/engine/accuracy-verdicts';
import { costBenefit, CostBenefitInput, economicsFrom, RetrainEconomics } from '../../src/engine/cost-benefit';
import { EngineInputError } from '../../src/engine/errors';
import { AccuracySums, NO_ACCURACY_SUMS } from '../../src/stats/accuracy-estimate';
import { CROSS_FIT_FOLDS } from '../../src/stats/isotonic';

/**
 * Window sums built to order: an estimate with a chosen calibration error (fold sums spread so the
 * jackknife gives exactly `calibrationSd`), and labels with a chosen number right.
 */
function sums(options: {
  estimate?: number;
  scored?: number;
  calibrationSd?: number | null;
  labelled?: number;
  accuracy?: number;
}): AccuracySums {
  const { estimate, scored = 2_000, calibrationSd = 0.003, labelled = 0, accuracy = 0 } = options;
  const right = Math.round(accuracy * labelled);
  if (estimate === undefined) return { ...NO_ACCURACY_SUMS, labelled, right };
  // Jackknife over K folds of ±δ: (K − 1)/K · K · δ² = (K − 1) δ².
  const delta = calibrationSd === null ? 0 : calibrationSd / Math.sqrt(CROSS_FIT_FOLDS - 1);
  const foldChance =
    calibrationSd === null
      ? []
      : Array.from({ length: CROSS_FIT_FOLDS }, (_, fold) => scored * (estimate + (fold % 2 === 0 ? delta : -delta)));
  return {
    scored,
    chance: scored * estimate,
    chanceVariance: scored * estimate * (1 - estimate),
    foldChance,
    labelled,
    right,
  };
}

/** A 20 000-row reference at 78 %. */
const REFERENCE: ReferenceSample = { version: 1, counts: { labelled: 20_000, right: 15_600 } };
const ECONOMICS: RetrainEconomics = {
  value_per_error: 150,
  retrain_cost: 10_000,
  retrain_duration_days: 3,
  horizon_days: 90,
};

function verdicts(
  window: AccuracySums,
  options: {
    days?: AccuracySums[];
    reference?: ReferenceSample;
    previous?: ReferenceSample | null;
    settings?: DecisionSettings;
  } = {}
): AccuracyVerdicts {
  return accuracyVerdicts({
    reference: options.reference ?? REFERENCE,
    previous_reference: options.previous ?? null,
    window,
    days: options.days ?? [window, window, window],
    settings: options.settings ?? DEFAULT_DECISION_SETTINGS,
  });
}

function advise(window: AccuracySums, options: Parameters<typeof verdicts>[1] & Partial<CostBenefitInput> = {}) {
  return costBenefit({
    verdicts: verdicts(window, options),
    predictions_per_day: 2_000,
    health: 98,
    drifted_features: 0,
    currency: 'EUR',
    economics: ECONOMICS,
    unavailable: [],
    ...options,
  });
}

const CALM = sums({ estimate: 0.78, labelled: 2_000, accuracy: 0.78 });
/** Concept drift costing 5 points: the estimate holds, the labels fall. */
const CONCEPT_DRIFT = sums({ estimate: 0.78, labelled: 2_000, accuracy: 0.73 });

describe('the recommendation from the accuracy verdicts', () => {
  it('takes no action when nothing moved', () => {
    const result = advise(CALM);
    expect(result.recommendation).toBe('no_action');
    expect(result.drop_is_material).toBe(false);
    expect(result.revenue_at_risk_per_day).toBe(0);
    expect(result.recoverable_value).toBe(0);
    expect(result.payback_days).toBeNull();
    expect(result.reasons[0]).toMatch(/^Realized accuracy 78\.0% .* at or above the reference, nothing is lost\.$/);
  });

  it('retrains now for confirmed concept drift, counting the loss below the reference as recoverable', () => {
    const result = advise(CONCEPT_DRIFT);
    expect(result.recommendation).toBe('retrain_now');
    expect(result.recoverable_confirmed).toBe(true);
    expect(result.recoverable_drop?.value).toBeCloseTo(0.05, 12);
    // 5 points × 2 000 predictions × €150.
    expect(result.recoverable_per_day).toBeCloseTo(15_000, 6);
    expect(result.revenue_at_risk_per_day).toBeCloseTo(15_000, 6);
    expect(result.recoverable_value).toBeCloseTo(15_000 * 87, 6);
    expect(result.payback_days).toBeCloseTo(3 + 10_000 / 15_000, 9);
    expect(result.reasons.join(' ')).toMatch(/concept drift/);
    expect(result.reasons.join(' ')).toMatch(/assumed to win back the part the population shift does not explain/);
  });

  it('waits for persistence: established on one of the last three days is monitor, two is retrain_now', () => {
    const once = advise(CONCEPT_DRIFT, { days: [CALM, CALM, CONCEPT_DRIFT] });
    expect(once.recommendation).toBe('monitor');
    expect(once.recoverable_confirmed).toBe(false);
    expect(once.recoverable_value).toBe(0);
    expect(once.persistence).toEqual({ established_days: 1, days: 3, required: 2 });
    expect(once.reasons.join(' ')).toMatch(/on 1 of the last 3 days; it counts once it holds on 2/);
    expect(advise(CONCEPT_DRIFT, { days: [CALM, CONCEPT_DRIFT, CONCEPT_DRIFT] }).recommendation).toBe('retrain_now');
    expect(advise(CONCEPT_DRIFT, { days: [CONCEPT_DRIFT, CALM, CONCEPT_DRIFT] }).recommendation).toBe('retrain_now');
  });

  it('does not count a covariate shift as recoverable: the loss is real, retraining is not expected to win it back', () => {
    // A calibrated model whose inputs moved towards its decision boundary: estimate and labels agree at 64 %.
    const shifted = sums({ estimate: 0.64, labelled: 2_000, accuracy: 0.64 });
    const result = advise(shifted);
    expect(result.recommendation).toBe('monitor');
    expect(result.drop_is_material).toBe(true);
    expect(result.population_shift?.established).toBe(true);
    expect(result.concept_drift?.established).toBe(false);
    expect(result.recoverable_drop?.established).toBe(false);
    expect(result.revenue_at_risk_per_day).toBeCloseTo(0.14 * 2_000 * 150, 6);
    expect(result.recoverable_per_day).toBe(0);
    expect(result.recoverable_value).toBe(0);
    expect(result.payback_days).toBeNull();
    expect(result.reasons.join(' ')).toMatch(/None of the drop counts as recoverable/);
  });

  it('caps the recoverable part at the reference when the estimate lies above it (inputs that look safer than training)', () => {
    // Demo scenario 2: the estimate says 94 %, the labels 65 %, the reference 78 %.
    const result = advise(sums({ estimate: 0.943, labelled: 3_000, accuracy: 0.654 }));
    expect(result.recommendation).toBe('retrain_now');
    expect(result.population_shift?.value).toBeCloseTo(0.78 - 0.943, 12);
    expect(result.concept_drift?.value).toBeCloseTo(0.943 - 0.654, 3);
    expect(result.recoverable_drop?.value).toBeCloseTo(0.78 - 0.654, 3);
    expect(result.reasons.join(' ')).toMatch(/the population shift explains none of it/);
    expect(result.reasons.join(' ')).toMatch(/\(of the 28\.9 points unexplained\) recoverable/);
  });

  it('puts the reference accuracy’s own sampling error into every comparison', () => {
    // 300 reference rows at 80 %: its band is about ±4.5 points, so 76.5 % on a million labels is not a loss yet.
    const smallReference: ReferenceSample = { version: 1, counts: { labelled: 300, right: 240 } };
    const window = sums({ estimate: 0.8, scored: 1_000_000, labelled: 1_000_000, accuracy: 0.765 });
    const result = advise(window, { reference: smallReference });
    expect(result.drop_is_material).toBe(false);
    expect(result.recommendation).not.toBe('retrain_now');
    // The same window against a 20 000-row reference at 80 % is a loss beyond doubt.
    expect(
      advise(window, { reference: { version: 1, counts: { labelled: 20_000, right: 16_000 } } }).drop_is_material
    ).toBe(true);
  });
});

describe('few labels: shown, not acted on; concept drift still warned of from the interval', () => {
  it('30 labels, none right: no retrain, no money', () => {
    const result = advise(sums({ estimate: 0.78, labelled: 30, accuracy: 0 }));
    expect(result.recommendation).not.toBe('retrain_now');
    expect(result.recoverable_value).toBe(0);
    expect(result.accuracy_source).toBe('estimated');
    expect(result.reasons.join(' ')).toMatch(/Only 30 labels in the window, fewer than the 200 needed to act on them/);
  });

  it('40 labels, 25 right: no retrain', () => {
    const result = advise(sums({ estimate: 0.78, labelled: 40, accuracy: 25 / 40 }));
    expect(result.recommendation).not.toBe('retrain_now');
    expect(result.revenue_at_risk_per_day).toBe(0);
  });

  it('499 labels at 70 % against an estimate of 78 %: concept drift is established and said, whatever the minimum', () => {
    const settings = { ...DEFAULT_DECISION_SETTINGS, minLabelledRows: 500 };
    const result = advise(sums({ estimate: 0.78, labelled: 499, accuracy: 0.7 }), { settings });
    expect(result.concept_drift?.established).toBe(true);
    expect(result.recommendation).toBe('monitor');
    expect(result.recoverable_confirmed).toBe(false);
    expect(result.reasons.join(' ')).toMatch(/concept drift, the link between inputs and outcomes changed/);
    expect(result.reasons.join(' ')).toMatch(/Only 499 labels in the window, fewer than the 500 needed/);
  });

  it('acts on labels from the model’s own minimum', () => {
    const window = sums({ estimate: 0.78, labelled: 150, accuracy: 0.6 });
    expect(advise(window).recommendation).toBe('monitor');
    expect(advise(window, { settings: { ...DEFAULT_DECISION_SETTINGS, minLabelledRows: 100 } }).recommendation).toBe(
      'retrain_now'
    );
  });
});

describe('degenerate cases give a stated recommendation', () => {
  it('no labels: the estimate may show a loss, never a recoverable one', () => {
    const result = advise(sums({ estimate: 0.7 }));
    expect(result.recommendation).toBe('monitor');
    expect(result.accuracy_source).toBe('estimated');
    expect(result.drop_is_material).toBe(true);
    expect(result.recoverable_value).toBe(0);
    expect(result.reasons.join(' ')).toMatch(
      /No labels in the window yet: realized accuracy and concept drift cannot be measured/
    );
    expect(result.reasons.join(' ')).toMatch(/None of the estimated drop counts as recoverable/);
  });

  it('no scored or labelled rows at all', () => {
    const result = advise(NO_ACCURACY_SUMS, { drifted_features: 0, health: null });
    expect(result.recommendation).toBe('no_action');
    expect(result.accuracy_source).toBeNull();
    expect(result.reasons[0]).toMatch(/^No accuracy figure: the window has no scored or labelled predictions/);
  });

  it('labels at or above the reference but far below an estimate above it: concept drift said and watched, nothing recoverable', () => {
    const result = advise(sums({ estimate: 0.94, labelled: 2_000, accuracy: 0.8 }));
    expect(result.recommendation).toBe('monitor');
    expect(result.recoverable_value).toBe(0);
    expect(result.reasons.join(' ')).toMatch(
      /The labels are at or above the reference, yet fall 14\.0 points below the estimate, beyond both bands/
    );
  });

  it('estimate above the reference and labels agreeing: nothing lost', () => {
    const result = advise(sums({ estimate: 0.85, labelled: 2_000, accuracy: 0.85 }));
    expect(result.recommendation).toBe('no_action');
    expect(result.recoverable_drop?.value).toBeLessThan(0);
  });

  it('zero retrain cost: retraining pays as soon as it serves, and says so', () => {
    const result = advise(CONCEPT_DRIFT, { economics: { ...ECONOMICS, retrain_cost: 0 } });
    expect(result.recommendation).toBe('retrain_now');
    expect(result.payback_days).toBe(3);
    expect(result.reasons.join(' ')).toMatch(/Retraining costs nothing \(retrain_cost 0\)/);
    // Nothing recoverable: free retraining still wins nothing.
    const calm = advise(CALM, { economics: { ...ECONOMICS, retrain_cost: 0 } });
    expect(calm.recommendation).toBe('no_action');
    expect(calm.net_benefit).toBe(0);
  });

  it('zero traffic: a confirmed loss on no predictions is worth nothing', () => {
    const result = advise(CONCEPT_DRIFT, { predictions_per_day: 0 });
    expect(result.recommendation).toBe('monitor');
    expect(result.recoverable_per_day).toBe(0);
    expect(result.payback_days).toBeNull();
    expect(result.reasons.join(' ')).toMatch(/no predictions in the window, so the loss costs nothing a day/);
  });

  it('no business parameters: money is null, a confirmed loss asks to schedule, and the reasons say what to set', () => {
    const result = advise(CONCEPT_DRIFT, { economics: null });
    expect(result.recommendation).toBe('schedule_retrain');
    expect(result.currency).toBe('EUR');
    expect(result.revenue_at_risk_per_day).toBeNull();
    expect(result.recoverable_value).toBeNull();
    expect(result.reasons.join(' ')).toMatch(/Without business parameters whether retraining pays is unknown/);
    const calm = advise(CALM, {
      economics: null,
      unavailable: ['no money figures: the model lacks business parameters'],
    });
    expect(calm.recommendation).toBe('no_action');
    expect(calm.reasons).toContain('No money figures: the model lacks business parameters.');
  });

  it('no reference accuracy: drift alone decides, and the reasons say why', () => {
    const result = costBenefit({
      verdicts: null,
      predictions_per_day: 100,
      health: 70,
      drifted_features: 1,
      currency: 'EUR',
      economics: ECONOMICS,
      unavailable: ['no accuracy verdict: the reference has no labels'],
    });
    expect(result.recommendation).toBe('monitor');
    expect(result.reference_accuracy).toBeNull();
    expect(result.reasons[0]).toBe('No accuracy verdict: the reference has no labels.');
    expect(result.reasons[1]).toMatch(/^Inputs are drifting/);
  });

  it('a reference calibrated before cross-fitting: the estimate is shown but not acted on', () => {
    const legacy = sums({ estimate: 0.78, calibrationSd: null, labelled: 2_000, accuracy: 0.73 });
    const result = advise(legacy);
    expect(result.concept_drift?.established).toBe(false);
    expect(result.recommendation).toBe('monitor');
    expect(result.reasons.join(' ')).toMatch(/calibrated before calibrations were cross-fitted/);
  });

  it('a reference less accurate than the one before it: the lower yardstick is said, and watched', () => {
    const lowered: ReferenceSample = { version: 2, counts: { labelled: 21_000, right: 13_734 } };
    const result = advise(sums({ estimate: 0.654, labelled: 3_000, accuracy: 0.654 }), {
      reference: lowered,
      previous: REFERENCE,
    });
    expect(result.recommendation).toBe('monitor');
    expect(result.reasons.join(' ')).toMatch(
      /Reference version 2 has accuracy 65\.4%, 12\.6 points below version 1 \(78\.0%\): the yardstick moved down/
    );
  });
});

describe('inputs', () => {
  it('refuses impossible settings and figures', () => {
    expect(() => verdicts(CALM, { settings: { ...DEFAULT_DECISION_SETTINGS, alpha: 0.7 } })).toThrow(EngineInputError);
    expect(() =>
      verdicts(CALM, { settings: { ...DEFAULT_DECISION_SETTINGS, persistence: { required: 4, days: 3 } } })
    ).toThrow(EngineInputError);
    expect(() => verdicts(CALM, { reference: { version: 1, counts: { labelled: 0, right: 0 } } })).toThrow(
      EngineInputError
    );
    expect(() => advise(CALM, { predictions_per_day: -1 })).toThrow(EngineInputError);
    expect(() => advise(CALM, { economics: { ...ECONOMICS, horizon_days: 0 } })).toThrow(EngineInputError);
  });

  it('derives economics from business parameters, or none when one is missing', () => {
    const business = {
      currency: 'EUR',
      value_per_correct_prediction: 5,
      cost_per_error: 10,
      retrain_cost: 100,
      retrain_duration_days: 1,
      horizon_days: 30,
      predictions_per_day: null,
    };
    expect(economicsFrom(business)?.value_per_error).toBe(15);
    expect(economicsFrom({ ...business, retrain_cost: null })).toBeNull();
    expect(economicsFrom({ ...business, cost_per_error: null, value_per_correct_prediction: null })).toBeNull();
  });
});
