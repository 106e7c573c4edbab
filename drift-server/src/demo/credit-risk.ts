import type { FeatureDefinition } from '../store';
import type { Random } from './random';

// Aliased once: these run for every generated row (see random.ts).
const { exp, log, max, min, round, sqrt } = Math;

/** An applicant's latent standard-normal scores; the numeric features are smooth functions of them. */
export interface ApplicantTraits {
  readonly income: number;
  readonly age: number;
  readonly debt: number;
  readonly history: number;
  readonly openAccounts: number;
  readonly employmentType: string | null;
  readonly loanPurpose: string;
}

/** The model's inputs, as the serving system logs them. */
export interface Application {
  readonly income: number;
  readonly age: number;
  readonly debt_ratio: number;
  readonly credit_history_months: number;
  readonly open_accounts: number;
  readonly employment_type: string | null;
  readonly loan_purpose: string;
}

const MEDIAN_INCOME = 52_000;
const LOG_INCOME_SPREAD = 0.45;
const MEAN_AGE = 42;
const AGE_SPREAD = 12;
const DEBT_LOGIT_CENTRE = -0.9;
const DEBT_LOGIT_SPREAD = 0.6;
const TYPICAL_OPEN_ACCOUNTS = 4;
const HISTORY_CENTRE_MONTHS = 175;
const HISTORY_SPREAD_MONTHS = 100;

const EMPLOYMENT: ReadonlyArray<readonly [string | null, number]> = [
  ['employed', 0.66],
  ['self_employed', 0.14],
  ['retired', 0.12],
  ['unemployed', 0.05],
  [null, 0.03],
];
const LOAN_PURPOSE: ReadonlyArray<readonly [string, number]> = [
  ['debt_consolidation', 0.34],
  ['home_improvement', 0.2],
  ['car', 0.2],
  ['education', 0.1],
  ['business', 0.16],
];

/** Logit effects of the model; per standard deviation for numeric inputs, per level for categories. */
const COEFFICIENTS = {
  intercept: -1.1,
  income: -1.1,
  debt: 1.2,
  age: -0.35,
  history: -0.45,
  openAccounts: 0.15,
};
const EMPLOYMENT_EFFECT: Readonly<Record<string, number>> = {
  employed: 0,
  self_employed: 0.3,
  retired: -0.2,
  unemployed: 1.0,
};
/** An unknown employment type scores like a mildly risky one, as the model was trained to do. */
const MISSING_EMPLOYMENT_EFFECT = 0.4;
const LOAN_PURPOSE_EFFECT: Readonly<Record<string, number>> = {
  debt_consolidation: 0.25,
  home_improvement: -0.15,
  car: -0.1,
  education: 0.1,
  business: 0.4,
};

/**
 * Importances as a trained model would report them: roughly each input's share of the logit's
 * spread (|effect per standard deviation|), rounded. Income and debt ratio carry 58 % between them.
 */
export const CREDIT_RISK_FEATURES: readonly FeatureDefinition[] = [
  { name: 'income', kind: 'numeric', importance: 0.3 },
  { name: 'age', kind: 'numeric', importance: 0.1 },
  { name: 'debt_ratio', kind: 'numeric', importance: 0.28 },
  { name: 'credit_history_months', kind: 'numeric', importance: 0.12 },
  { name: 'open_accounts', kind: 'numeric', importance: 0.05 },
  { name: 'employment_type', kind: 'categorical', importance: 0.1 },
  { name: 'loan_purpose', kind: 'categorical', importance: 0.05 },
];

export function drawTraits(random: Random): ApplicantTraits {
  return {
    income: random.normal(),
    age: random.normal(),
    debt: random.normal(),
    history: random.normal(),
    openAccounts: random.poisson(TYPICAL_OPEN_ACCOUNTS),
    employmentType: random.pick(EMPLOYMENT),
    loanPurpose: random.pick(LOAN_PURPOSE),
  };
}

const logistic = (value: number) => 1 / (1 + exp(-value));
const logit = (share: number) => log(share / (1 - share));

export function applicationOf(traits: ApplicantTraits): Application {
  const age = min(90, max(18, round(MEAN_AGE + AGE_SPREAD * traits.age)));
  // Credit history cannot be longer than adult life: a share of the months since 18.
  const historyShare = logistic(0.5 + 0.8 * traits.history);
  return {
    income: round(MEDIAN_INCOME * exp(LOG_INCOME_SPREAD * traits.income)),
    age,
    debt_ratio: logistic(DEBT_LOGIT_CENTRE + DEBT_LOGIT_SPREAD * traits.debt),
    credit_history_months: round((age - 18) * 12 * historyShare),
    open_accounts: traits.openAccounts,
    employment_type: traits.employmentType,
    loan_purpose: traits.loanPurpose,
  };
}

/** The model: a logistic regression over the application, giving the probability of default. */
export function defaultProbability(application: Application): number {
  const debtRatio = min(1 - 1e-6, max(1e-6, application.debt_ratio));
  const employment =
    application.employment_type === null
      ? MISSING_EMPLOYMENT_EFFECT
      : (EMPLOYMENT_EFFECT[application.employment_type] ?? MISSING_EMPLOYMENT_EFFECT);
  const score =
    COEFFICIENTS.intercept +
    (COEFFICIENTS.income * log(max(1, application.income) / MEDIAN_INCOME)) / LOG_INCOME_SPREAD +
    (COEFFICIENTS.debt * (logit(debtRatio) - DEBT_LOGIT_CENTRE)) / DEBT_LOGIT_SPREAD +
    (COEFFICIENTS.age * (application.age - MEAN_AGE)) / AGE_SPREAD +
    (COEFFICIENTS.history * (application.credit_history_months - HISTORY_CENTRE_MONTHS)) / HISTORY_SPREAD_MONTHS +
    (COEFFICIENTS.openAccounts * (application.open_accounts - TYPICAL_OPEN_ACCOUNTS)) / sqrt(TYPICAL_OPEN_ACCOUNTS) +
    employment +
    (LOAN_PURPOSE_EFFECT[application.loan_purpose] ?? 0);
  return logistic(score);
}
