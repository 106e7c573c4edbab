import { TOKENS } from './driftServer';
import { httpRequest } from './http';

export const MODEL = { id: 'credit-risk', name: 'Credit risk' };
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

/** Registers the model and uploads reference and production rows through drift-server's REST API. */
export async function seedModel(serverUrl: string, productionStartMs: number): Promise<void> {
  const random = seededRandom(20261126);
  await send(serverUrl, TOKENS.admin, '/models', { ...MODEL, features: FEATURES });
  await send(
    serverUrl,
    TOKENS.ingest,
    `/models/${MODEL.id}/references`,
    Array.from({ length: REFERENCE_ROWS }, () => row(random, 0))
  );
  const production = Array.from({ length: PRODUCTION_HOURS * ROWS_PER_HOUR }, (_, index) => {
    const hour = Math.floor(index / ROWS_PER_HOUR);
    return {
      ...row(random, hour >= DRIFT_START_HOUR ? 30_000 : 0),
      prediction_id: `p${index}`,
      timestamp: new Date(productionStartMs + hour * HOUR_MS + (index % ROWS_PER_HOUR) * 60_000).toISOString(),
    };
  });
  await send(serverUrl, TOKENS.ingest, `/models/${MODEL.id}/predictions`, production);
}
