import type { Model } from '../../src/store';
import { RowReader } from '../../src/store/ingest/validate';

const model: Model = {
  id: 'm',
  name: 'm',
  task: 'binary_classification',
  features: [
    { name: 'x', kind: 'numeric', importance: 1 },
    { name: 'c', kind: 'categorical', importance: 1 },
  ],
  columns: { prediction_id: 'id', timestamp: 'ts', prediction: 'pred', probability: null, label: 'y' },
  retraining: { policy: 'manual', trainer: null },
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
  created_at: '',
  updated_at: '',
};

const reader = () => new RowReader(model, 'production', 16);
const row = (x: unknown, c: unknown = 'a') => reader().read({ id: 'p1', ts: '2026-01-01T00:00:00Z', x, c });

describe('RowReader', () => {
  it.each([
    ['1.5', 1.5],
    [' 42 ', 42],
    ['-1e3', -1000],
    ['.5', 0.5],
    ['', null],
    ['NaN', null],
    ['NA', null],
    [null, null],
    [7, 7],
  ])('reads %j in a numeric column as %j', (value, expected) => {
    expect(row(value).num[0]).toBe(expected);
  });

  it.each(['0x10', '1,5', '1e', 'abc'])('refuses %j in a numeric column', (value) => {
    expect(() => row(value)).toThrow(/row 1, column "x": expected a number/);
  });

  it('refuses non-finite numbers, and the spellings of infinity', () => {
    expect(() => row(Infinity)).toThrow(/expected a finite number, got Infinity/);
    expect(() => row('1e400')).toThrow(/expected a finite number, got "1e400"/);
    expect(() => row('Infinity')).toThrow(/row 1, column "x": expected a finite number, got "Infinity"/);
    expect(() => row('-inf')).toThrow(/expected a finite number, got "-inf"/);
  });

  it('reads categories as text, numbers and booleans included; empty is missing', () => {
    expect(row(1, 12).cat[1]).toBe('12');
    expect(row(1, true).cat[1]).toBe('true');
    expect(row(1, '').cat[1]).toBeNull();
  });

  it('parses ISO 8601 with zone, without zone (UTC) and epoch milliseconds', () => {
    const read = (ts: unknown) => reader().read({ id: 'p', ts, x: 1, c: 'a' }).timestampMs;
    expect(read('2026-01-01T01:00:00+01:00')).toBe(Date.UTC(2026, 0, 1));
    expect(read('2026-01-01T00:00:00')).toBe(Date.UTC(2026, 0, 1));
    expect(read(String(Date.UTC(2026, 0, 1)))).toBe(Date.UTC(2026, 0, 1));
    expect(read(new Date(Date.UTC(2026, 0, 1)))).toBe(Date.UTC(2026, 0, 1));
  });

  it('checks a header: duplicates, unknown and absent columns', () => {
    expect(() => reader().checkColumns(['id', 'ts', 'x', 'c', 'x'])).toThrow(/names a column twice/);
    expect(() => reader().checkColumns(['id', 'ts', 'x', 'c', 'z'])).toThrow(/unknown column\(s\) "z"/);
    expect(() => reader().checkColumns(['id', 'x', 'c'])).toThrow(/lacks column\(s\) "ts"/);
    expect(() => reader().checkColumns(['id', 'ts', 'x', 'c', 'pred', 'y'])).not.toThrow();
    expect(() => new RowReader(model, 'reference', 16).checkColumns(['x', 'c', 'y'])).not.toThrow();
  });

  it('counts rows so errors name the row', () => {
    const rowReader = reader();
    rowReader.read({ id: 'p1', ts: 1.8e12, x: 1, c: 'a' });
    expect(() => rowReader.read({ id: 'p2', ts: 1.8e12, x: 1, c: 'a'.repeat(17) })).toThrow(
      /^row 2, column "c": text longer than 16 characters$/
    );
  });
});
