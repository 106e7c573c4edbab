/**
 * Simulated models for the retrain decisions: a binary classifier whose probabilities are true
 * (labels drawn from them, so it is calibrated and Bayes-optimal on its inputs), seen through the
 * decision code drift-server runs — the reference calibration it fits on upload
 * (store/calibration.ts), the accuracy sums it keeps per hour (stats/accuracy-estimate.ts), the
 * accuracy verdicts and the recommendation (engine/accuracy-verdicts.ts, engine/cost-benefit.ts) —
 * with the same settings it derives from the model.
 *
 * A population is the distribution of the model's logit score s ~ N(mean, sd), p = 1/(1 + e^−s),
 * predicted class p ≥ ½. Covariate shift changes mean or sd and nothing else, so the model stays
 * optimal and retraining cannot help; concept drift reverses the link for a share of rows (their
 * label follows 1 − p), a segment a retrained model could learn.
 */
import { createRandom, Random, streamSeed } from '../drift-server/src/demo/random';
import { accuracyVerdicts, AccuracyVerdicts } from '../drift-server/src/engine/accuracy-verdicts';
import { CostBenefit, costBenefit, economicsFrom } from '../drift-server/src/engine/cost-benefit';
import { decisionSettingsOf } from '../drift-server/src/engine/model-health';
import {
  accuracySums,
  AccuracySums,
  ClassifiedRow,
  estimatedAccuracyOf,
  realizedAccuracyOf,
} from '../drift-server/src/stats/accuracy-estimate';
import { fitOf, fitReferenceCalibration, ReferenceCalibration } from '../drift-server/src/store/calibration';
import type { Model } from '../drift-server/src/store/models';

export interface Population {
  readonly scoreMean: number;
  readonly scoreSd: number;
  /** Share of rows whose label follows 1 − p: concept drift. */
  readonly reversedShare: number;
}

/** The training population: accuracy about 78 %, like the demo's credit-risk model. */
export const REFERENCE_POPULATION: Population = { scoreMean: 0, scoreSd: 2, reversedShare: 0 };

/** Business figures under which a 1-point recoverable loss pays back within half the horizon even at 500 predictions a day, so the statistics decide. */
export const SIMULATED_BUSINESS = {
  currency: 'EUR',
  value_per_correct_prediction: null,
  cost_per_error: 150,
  retrain_cost: 10_000,
  retrain_duration_days: 3,
  horizon_days: 90,
  predictions_per_day: null,
} as const;

export const SIMULATED_MODEL: Model = {
  id: 'simulated',
  name: 'Simulated calibrated classifier',
  task: 'binary_classification',
  features: [{ name: 'score', kind: 'numeric', importance: 1 }],
  columns: {
    prediction_id: 'prediction_id',
    timestamp: 'timestamp',
    prediction: null,
    probability: 'probability',
    label: 'label',
  },
  business: SIMULATED_BUSINESS,
  buckets: 10,
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
  retraining: { policy: 'manual', trainer: null },
};

const sigmoid = (score: number) => 1 / (1 + Math.exp(-score));

/** A simulated row with its score, for uploads that need the feature too. */
export interface SimulatedRow extends ClassifiedRow {
  readonly score: number;
}

export function drawRows(random: Random, count: number, population: Population): SimulatedRow[] {
  const rows = new Array<SimulatedRow>(count);
  for (let index = 0; index < count; index += 1) {
    const score = population.scoreMean + population.scoreSd * random.normal();
    const probability = sigmoid(score);
    const chance = random.uniform() < population.reversedShare ? 1 - probability : probability;
    rows[index] = { score, probability, prediction: null, label: random.uniform() < chance ? 1 : 0 };
  }
  return rows;
}

/** The model's expected accuracy on a population: E[max(p, 1 − p)], less what reversed rows cost (midpoint rule over ±8 sd). */
export function expectedAccuracy(population: Population): number {
  const steps = 4_000;
  let total = 0;
  for (let step = 0; step < steps; step += 1) {
    const z = -8 + (16 * (step + 0.5)) / steps;
    const p = sigmoid(population.scoreMean + population.scoreSd * z);
    total += Math.max(p, 1 - p) * Math.exp(-0.5 * z * z);
  }
  const optimal = (total * (16 / steps)) / Math.sqrt(2 * Math.PI);
  return optimal - population.reversedShare * (2 * optimal - 1);
}

/** The reversed share that costs `points` of accuracy on a population. */
export function reversedShareCosting(points: number, population: Population): number {
  return points / (2 * expectedAccuracy({ ...population, reversedShare: 0 }) - 1);
}

/** The calibration drift-server fits when these rows are uploaded as a reference. */
export function referenceCalibration(rows: readonly ClassifiedRow[]): ReferenceCalibration {
  return fitReferenceCalibration(SIMULATED_MODEL, {
    prediction: rows.map(() => null),
    probability: rows.map((row) => row.probability),
    label: rows.map((row) => (row.label === null ? null : String(row.label))),
  });
}

export interface DayDecision {
  readonly day: number;
  readonly sums: AccuracySums;
  readonly verdicts: AccuracyVerdicts;
  readonly costs: CostBenefit;
}

/**
 * The recommendation of each day's window (the day itself, as GET /recommendation serves the day
 * before an alert), with the days before it for the persistence rule.
 */
export function decideDays(
  calibration: ReferenceCalibration,
  daySums: readonly AccuracySums[],
  rowsPerDay: number
): DayDecision[] {
  if (calibration.status !== 'fitted') throw new Error(calibration.reason);
  const settings = decisionSettingsOf(SIMULATED_MODEL);
  const economics = economicsFrom(SIMULATED_MODEL.business);
  return daySums.map((sums, day) => {
    const verdicts = accuracyVerdicts({
      reference: { version: 1, counts: calibration.reference },
      previous_reference: null,
      window: sums,
      days: daySums.slice(Math.max(0, day + 1 - settings.persistence.days), day + 1),
      settings,
    });
    const costs = costBenefit({
      verdicts,
      predictions_per_day: rowsPerDay,
      health: 100,
      drifted_features: 0,
      currency: SIMULATED_MODEL.business.currency,
      economics,
      unavailable: [],
    });
    return { day, sums, verdicts, costs };
  });
}

export interface SimulationRun {
  readonly calibration: ReferenceCalibration;
  readonly days: DayDecision[];
  /** The rows of each day, when asked for (the full-server cross-check uploads them). */
  readonly rows?: SimulatedRow[][];
  readonly reference?: SimulatedRow[];
}

export interface SimulationSpec {
  readonly seed: number;
  readonly referenceRows: number;
  readonly rowsPerDay: number;
  readonly days: number;
  /** The production population of each day. */
  readonly population: (day: number) => Population;
  readonly keepRows?: boolean;
}

/** One simulated model: a reference drawn from REFERENCE_POPULATION, then `days` days of production, each decided on. */
export function simulate(spec: SimulationSpec): SimulationRun {
  const reference = drawRows(createRandom(streamSeed(spec.seed, 0)), spec.referenceRows, REFERENCE_POPULATION);
  const calibration = referenceCalibration(reference);
  const fit = fitOf(calibration);
  const rows: SimulatedRow[][] = [];
  const daySums = Array.from({ length: spec.days }, (_, day) => {
    const dayRows = drawRows(createRandom(streamSeed(spec.seed, day + 1)), spec.rowsPerDay, spec.population(day));
    if (spec.keepRows) rows.push(dayRows);
    return accuracySums(dayRows, fit);
  });
  return {
    calibration,
    days: decideDays(calibration, daySums, spec.rowsPerDay),
    ...(spec.keepRows ? { rows, reference } : {}),
  };
}

/** Whether the estimate's 95 % band covers the day's realized accuracy. */
export function bandCovers(sums: AccuracySums): boolean {
  const estimated = estimatedAccuracyOf(sums);
  const realized = realizedAccuracyOf(sums);
  if (!estimated || !realized) throw new Error('a simulated day has scored and labelled rows');
  return realized.value >= estimated.lower && realized.value <= estimated.upper;
}
