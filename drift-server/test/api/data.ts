import type { ModelDefinition } from '../../src/store';

/** Deterministic test data: a small seeded generator and a credit-like model. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function normal(random: () => number, mean: number, sd: number): number {
  const u = Math.max(random(), 1e-12);
  return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

export const HOSTILE = 'x"; DROP TABLE models; --';

export const MODEL_ID = 'credit-risk';

export function modelBody(id = MODEL_ID) {
  return {
    id,
    name: 'Credit risk',
    features: [
      { name: 'income', kind: 'numeric', importance: 3 },
      { name: 'age', kind: 'numeric', importance: 1 },
      { name: 'region', kind: 'categorical', importance: 1 },
      { name: HOSTILE, kind: 'numeric', importance: 1 },
    ],
  };
}

/** A model definition as the store takes it: a binary classifier with every outcome column mapped and no business figures. */
export function storeDefinition(
  name: string,
  features: readonly { name: string; kind: string; importance: number }[] = modelBody().features
): ModelDefinition {
  return {
    name,
    task: 'binary_classification',
    features: features as ModelDefinition['features'],
    columns: {
      prediction_id: 'prediction_id',
      timestamp: 'timestamp',
      prediction: 'prediction',
      probability: 'probability',
      label: 'label',
    },
    business: {
      currency: 'USD',
      value_per_correct_prediction: null,
      cost_per_error: null,
      retrain_cost: null,
      retrain_duration_days: null,
      horizon_days: null,
      predictions_per_day: null,
    },
    buckets: 10,
  };
}

export type Row = Record<string, string | number | null>;

export const REGIONS = ['north', 'south', 'east', 'west'];

/** Reference rows; `shift` moves income and region mix for production-like drift. */
export function rows(
  count: number,
  seed: number,
  options: { shift?: number; startMs?: number; stepMs?: number; idPrefix?: string } = {}
): Row[] {
  const random = seededRandom(seed);
  const { shift = 0, startMs, stepMs = 60_000, idPrefix = 'p' } = options;
  return Array.from({ length: count }, (_, index) => {
    const income = random() < 0.03 ? null : Math.round(normal(random, 50_000 + shift * 20_000, 12_000) * 100) / 100;
    const regionDraw = random();
    const region = regionDraw < 0.02 ? null : REGIONS[Math.min(3, Math.floor(((regionDraw + shift * 0.3) % 1) * 4))];
    const probability = random();
    const row: Row = {
      income,
      age: Math.round(normal(random, 40, 10)),
      region,
      [HOSTILE]: Math.round(random() * 1000) / 10,
      prediction: probability >= 0.5 ? 1 : 0,
      probability,
      label: random() < 0.5 ? 1 : 0,
    };
    if (startMs !== undefined) {
      row.prediction_id = `${idPrefix}${index}`;
      row.timestamp = new Date(startMs + index * stepMs).toISOString();
    }
    return row;
  });
}

export function toNdjson(data: ReadonlyArray<Record<string, unknown>>): string {
  return data.map((row) => JSON.stringify(row)).join('\n') + '\n';
}

function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(data: ReadonlyArray<Record<string, unknown>>): string {
  const columns = Object.keys(data[0]);
  return (
    [
      columns.map(csvField).join(','),
      ...data.map((row) => columns.map((column) => csvField(row[column])).join(',')),
    ].join('\n') + '\n'
  );
}
