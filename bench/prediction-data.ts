/**
 * The benchmarks' production data: one model with 20 features (15 numeric, 5 categorical) and the
 * prediction, probability and id columns, with timestamps over the 90 days before END_MS.
 */
import { DAY_MS } from '../drift-server/src/time';

export { DAY_MS };
export const END_MS = Date.UTC(2026, 0, 1);
export const START_MS = END_MS - 90 * DAY_MS;
export const NUMERIC = Array.from({ length: 15 }, (_, index) => `num_${index + 1}`);
export const CATEGORICAL = Array.from({ length: 5 }, (_, index) => `cat_${index + 1}`);
export const COLUMNS = ['prediction_id', 'timestamp', ...NUMERIC, ...CATEGORICAL, 'prediction', 'probability'];

/** xorshift: fast deterministic values, so generation does not dominate the client side. */
export function generator(seed: number) {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
  return {
    next,
    normal: (mean: number, sd: number) => mean + sd * ((next() + next() + next() + next() - 2) * 1.7320508),
  };
}

export function rowValues(
  random: ReturnType<typeof generator>,
  id: number,
  timestampMs: number,
  shift: number
): (string | number)[] {
  const values: (string | number)[] = [`p${id}`, new Date(timestampMs).toISOString()];
  for (let index = 0; index < NUMERIC.length; index += 1)
    values.push(Math.round(random.normal(index * 10 + shift, 5 + index) * 1000) / 1000);
  for (let index = 0; index < CATEGORICAL.length; index += 1)
    values.push(`c${Math.floor(random.next() * (4 + index))}`);
  const probability = Math.round(random.next() * 10_000) / 10_000;
  values.push(probability >= 0.5 ? 1 : 0, probability);
  return values;
}

export function ndjsonLine(values: (string | number)[]): string {
  const record: Record<string, string | number> = {};
  COLUMNS.forEach((column, index) => (record[column] = values[index]));
  return `${JSON.stringify(record)}\n`;
}

const csvLine = (values: (string | number)[]) => `${values.join(',')}\n`;

/** A batch body whose timestamps run evenly over [fromMs, toMs). */
export function batchBody(
  format: 'ndjson' | 'csv',
  firstId: number,
  rows: number,
  fromMs: number,
  toMs: number
): Buffer {
  const random = generator(firstId + 7);
  const parts: string[] = format === 'csv' ? [`${COLUMNS.join(',')}\n`] : [];
  const shift = (fromMs - START_MS) / (90 * DAY_MS);
  for (let index = 0; index < rows; index += 1) {
    const values = rowValues(random, firstId + index, fromMs + Math.floor(((toMs - fromMs) * index) / rows), shift);
    parts.push(format === 'csv' ? csvLine(values) : ndjsonLine(values));
  }
  return Buffer.from(parts.join(''));
}
