import { TOKENS } from './driftServer';
import { httpRequest } from './http';

export const MODEL = { id: 'credit-risk', name: 'Credit risk' };
/** Enough for drift-server's retraining cost-benefit (docs/API.md, business parameters). */
export const BUSINESS = {
  currency: 'EUR',
  cost_per_error: 50,
  retrain_cost: 2000,
  retrain_duration_days: 3,
  horizon_days: 90,
};
/** Same features and calibrated reference, but no business parameters: a recommendation without money figures. */
export const MODEL_WITHOUT_BUSINESS = { id: 'fraud-screen', name: 'Fraud screen' };
export const FEATURES = [
  { name: 'income', kind: 'numeric', importance: 3 },
  { name: 'age', kind: 'numeric', importance: 1 },
  { name: 'region', kind: 'categorical', importance: 1 },
] as const;
const REGIONS = ['north', 'south', 'east', 'west'];

export const HOUR_MS = 3_600_000;
export const REFERENCE_ROWS = 2_000;
export const ROWS_PER_HOUR = 60;
/** Production covers 48 whole hours; income shifts upwards in the second day only. */
export const PRODUCTION_HOURS = 48;
export const DRIFT_START_HOUR = 24;
const MODEL_WITHOUT_BUSINESS_REFERENCE_ROWS = 200;

/** Deterministic uniform numbers (mulberry32), so every run seeds the same rows. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(random: () => number, mean: number, sd: number): number {
  return mean + sd * Math.sqrt(-2 * Math.log(Math.max(random(), 1e-12))) * Math.cos(2 * Math.PI * random());
}

function row(random: () => number, incomeShift: number) {
  const probability = random();
  return {
    income: Math.round(normal(random, 50_000 + incomeShift, 12_000)),
    age: Math.round(normal(random, 40, 10)),
    region: REGIONS[Math.floor(random() * REGIONS.length)],
    prediction: probability >= 0.5 ? 1 : 0,
    probability,
  };
}

/**
 * Labels drawn from their own stream, so the feature values stay those the drift assertions rely on.
 * Calibrated probabilities until `conceptShift`; then coin flips, so accuracy drops while the
 * probabilities (and the label-free estimate) stay the same.
 */
function labelled<T extends { probability: number }>(
  labelRandom: () => number,
  rows: T[],
  conceptShift: (index: number) => boolean = () => false
) {
  return rows.map((r, index) => ({
    ...r,
    label: labelRandom() < (conceptShift(index) ? 0.5 : r.probability) ? 1 : 0,
  }));
}

async function send(serverUrl: string, token: string, path: string, body: unknown): Promise<void> {
  const response = await httpRequest(`${serverUrl}/api/v1${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status >= 300) {
    throw new Error(`seeding ${path} failed: ${response.status} ${response.body}`);
  }
}

const hourOf = (index: number) => Math.floor(index / ROWS_PER_HOUR);

/**
 * Registers the models and uploads labelled reference and production rows through drift-server's
 * REST API: MODEL with business parameters, MODEL_WITHOUT_BUSINESS with a reference only.
 */
export async function seedModel(serverUrl: string, productionStartMs: number): Promise<void> {
  const random = seededRandom(20261126);
  const labelRandom = seededRandom(20261127);
  await send(serverUrl, TOKENS.admin, '/models', { ...MODEL, features: FEATURES, business: BUSINESS });
  await send(
    serverUrl,
    TOKENS.ingest,
    `/models/${MODEL.id}/references`,
    labelled(
      labelRandom,
      Array.from({ length: REFERENCE_ROWS }, () => row(random, 0))
    )
  );
  const production = Array.from({ length: PRODUCTION_HOURS * ROWS_PER_HOUR }, (_, index) => {
    const hour = hourOf(index);
    return {
      ...row(random, hour >= DRIFT_START_HOUR ? 30_000 : 0),
      prediction_id: `p${index}`,
      timestamp: new Date(productionStartMs + hour * HOUR_MS + (index % ROWS_PER_HOUR) * 60_000).toISOString(),
    };
  });
  await send(
    serverUrl,
    TOKENS.ingest,
    `/models/${MODEL.id}/predictions`,
    labelled(labelRandom, production, (index) => hourOf(index) >= DRIFT_START_HOUR)
  );
  await send(serverUrl, TOKENS.admin, '/models', { ...MODEL_WITHOUT_BUSINESS, features: FEATURES });
  await send(
    serverUrl,
    TOKENS.ingest,
    `/models/${MODEL_WITHOUT_BUSINESS.id}/references`,
    labelled(
      labelRandom,
      Array.from({ length: MODEL_WITHOUT_BUSINESS_REFERENCE_ROWS }, () => row(random, 0))
    )
  );
}
