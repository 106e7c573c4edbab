import type { ModelDefinition, RetrainingSettings } from '../store';
import {
  Application,
  applicationOf,
  ApplicantTraits,
  CREDIT_RISK_FEATURES,
  defaultProbability,
  drawTraits,
} from './credit-risk';
import { createRandom, Random, streamSeed } from './random';
import { DAY_MS } from '../time';

export type ScenarioNumber = 1 | 2 | 3;

/** A row as the serving system would upload it: columns keyed by name. */
export type DemoRow = Readonly<Record<string, string | number | null>>;

export interface ProductionDay {
  /** 0 for the first of the scenario's days. */
  readonly day: number;
  /** The day as a window [from, to), ISO 8601. */
  readonly from: string;
  readonly to: string;
  readonly rows: DemoRow[];
}

export interface DemoScenario {
  readonly number: ScenarioNumber;
  readonly modelId: string;
  readonly title: string;
  readonly story: string;
  readonly model: ModelDefinition;
  readonly days: number;
  readonly rowsPerDay: number;
  readonly start: Date;
  /** Training snapshot with labels and probabilities. */
  reference(): DemoRow[];
  /** One day of traffic; each day has its own random stream, so any day can be generated alone. */
  productionDay(day: number): ProductionDay;
  /** All days in order, one chunk per day. */
  production(): Generator<ProductionDay>;
}

export interface ScenarioOptions {
  /** First instant of the first day; the CLI passes "90 days ago" so dashboards show live data. */
  readonly start?: Date;
  readonly seed?: number;
}

export const DEMO_SEED = 20_261_126;
export const DEMO_START = new Date('2026-01-01T00:00:00Z');
export const DEMO_DAYS = 90;
export const ROWS_PER_DAY = 3_000;
export const REFERENCE_ROWS = 20_000;
/** Scenario 2: the attack starts on this day (0-based), so the last 10 days are hit. */
export const ATTACK_START_DAY = 80;
/** Scenario 2: applicants overstate income by this factor … */
export const ATTACK_INCOME_FACTOR = 1.7;
/** … and understate their debt ratio by this factor, while their true risk is unchanged. */
export const ATTACK_DEBT_FACTOR = 0.55;
/**
 * Scenario 3: standard deviation of the noise on two applicant scores on the last day, in units of
 * each score's own spread; the noise's variance grows linearly over the days. Income degrades
 * fastest: its shift passes the warning threshold about day 40 and the critical one in the last
 * month; credit history (whose months the noise reaches through a logistic) passes the warning
 * threshold in the last fortnight. The other inputs stay clean.
 */
export const FINAL_NOISE = { income: 1.25, history: 2 } as const;

const REFERENCE_STREAM = -1;
const NOISE_STREAM_OFFSET = 1_000_000;

/**
 * Business parameters of the demo model. A wrong credit decision costs €150 on average (a default
 * approved or a good customer refused); retraining takes a data scientist a week and compute,
 * about €40 000; the benefit is counted over the next 60 days.
 */
export const DEMO_BUSINESS = {
  currency: 'EUR',
  value_per_correct_prediction: null,
  cost_per_error: 150,
  retrain_cost: 40_000,
  retrain_duration_days: 7,
  horizon_days: 60,
  predictions_per_day: ROWS_PER_DAY,
} as const;

/**
 * Every demo model retrains itself: a Grafana alert schedules a job when retraining pays (auto),
 * and the built-in simulated trainer promotes the recent production rows to a new reference, so
 * the dashboards show health recovering. The healthy baseline never pays, so it never retrains.
 */
export const DEMO_RETRAINING: RetrainingSettings = { policy: 'auto', trainer: { kind: 'simulated', delay_ms: 2000 } };

/** What the model sees for an applicant, and what the true outcome depends on. */
interface Observation {
  readonly observed: Application;
  readonly truth: Application;
}

type Behaviour = (traits: ApplicantTraits, day: number, noise: Random) => Observation;

const matchesTraining: Behaviour = (traits) => {
  const application = applicationOf(traits);
  return { observed: application, truth: application };
};

/** Manipulated applications: the reported figures look safer, the applicant's risk is the true one. */
const suddenAttack: Behaviour = (traits, day) => {
  const truth = applicationOf(traits);
  if (day < ATTACK_START_DAY) return { observed: truth, truth };
  return {
    observed: {
      ...truth,
      income: Math.round(truth.income * ATTACK_INCOME_FACTOR),
      debt_ratio: truth.debt_ratio * ATTACK_DEBT_FACTOR,
    },
    truth,
  };
};

/**
 * Noise on the numeric inputs whose variance grows linearly over the days. The outcome follows
 * the inputs as seen, the same process the model learnt: the inputs drift, the concept does not.
 */
const gradualNoise: Behaviour = (traits, day, noise) => {
  const growth = Math.sqrt((day + 1) / DEMO_DAYS);
  const application = applicationOf({
    ...traits,
    income: traits.income + FINAL_NOISE.income * growth * noise.normal(),
    history: traits.history + FINAL_NOISE.history * growth * noise.normal(),
  });
  return { observed: application, truth: application };
};

const SCENARIOS: Record<ScenarioNumber, { modelId: string; title: string; story: string; behaviour: Behaviour }> = {
  1: {
    modelId: 'credit-risk-baseline',
    title: 'Baseline (healthy)',
    story: 'Production applicants come from the same population as the training data.',
    behaviour: matchesTraining,
  },
  2: {
    modelId: 'credit-risk-sudden-drift',
    title: 'Sudden drift (attack)',
    story: `From day ${ATTACK_START_DAY + 1} applicants overstate income ×${ATTACK_INCOME_FACTOR} and understate debt ratio ×${ATTACK_DEBT_FACTOR}; their true default risk is unchanged, so the model approves bad loans.`,
    behaviour: suddenAttack,
  },
  3: {
    modelId: 'credit-risk-gradual-decay',
    title: 'Gradual decay',
    story: `Noise on income and credit history grows over the ${DEMO_DAYS} days, to ${FINAL_NOISE.income} and ${FINAL_NOISE.history} standard deviations on the last day: a data source degrading.`,
    behaviour: gradualNoise,
  },
};

function modelDefinition(title: string): ModelDefinition {
  return {
    name: `Credit risk (demo: ${title})`,
    task: 'binary_classification',
    features: CREDIT_RISK_FEATURES,
    columns: {
      prediction_id: 'prediction_id',
      timestamp: 'timestamp',
      prediction: 'prediction',
      probability: 'probability',
      label: 'label',
    },
    business: DEMO_BUSINESS,
    buckets: 10,
    retraining: DEMO_RETRAINING,
  };
}

/** Scores the observed application and draws the label from the true one: 1 = default. */
function scoredColumns(observation: Observation, random: Random): DemoRow {
  const probability = defaultProbability(observation.observed);
  return {
    ...observation.observed,
    prediction: probability >= 0.5 ? 1 : 0,
    probability,
    label: random.uniform() < defaultProbability(observation.truth) ? 1 : 0,
  };
}

export function demoScenario(number: ScenarioNumber, options: ScenarioOptions = {}): DemoScenario {
  const { modelId, title, story, behaviour } = SCENARIOS[number];
  const seed = options.seed ?? DEMO_SEED;
  const start = options.start ?? DEMO_START;

  const reference = (): DemoRow[] => {
    const random = createRandom(streamSeed(seed, REFERENCE_STREAM));
    return Array.from({ length: REFERENCE_ROWS }, () =>
      scoredColumns(matchesTraining(drawTraits(random), 0, random), random)
    );
  };

  const productionDay = (day: number): ProductionDay => {
    if (!Number.isInteger(day) || day < 0 || day >= DEMO_DAYS)
      throw new RangeError(`day must be a whole number in [0, ${DEMO_DAYS}), got ${day}`);
    const random = createRandom(streamSeed(seed, day));
    const noise = createRandom(streamSeed(seed, NOISE_STREAM_OFFSET + day));
    const from = start.getTime() + day * DAY_MS;
    const offsets = Array.from({ length: ROWS_PER_DAY }, () => Math.floor(random.uniform() * DAY_MS)).sort(
      (left, right) => left - right
    );
    const rows = offsets.map((offset, index) => ({
      prediction_id: `${modelId}-${String(day).padStart(3, '0')}-${String(index).padStart(5, '0')}`,
      timestamp: new Date(from + offset).toISOString(),
      ...scoredColumns(behaviour(drawTraits(random), day, noise), random),
    }));
    return { day, from: new Date(from).toISOString(), to: new Date(from + DAY_MS).toISOString(), rows };
  };

  return {
    number,
    modelId,
    title,
    story,
    model: modelDefinition(title),
    days: DEMO_DAYS,
    rowsPerDay: ROWS_PER_DAY,
    start,
    reference,
    productionDay,
    *production() {
      for (let day = 0; day < DEMO_DAYS; day += 1) yield productionDay(day);
    },
  };
}
