import fc from 'fast-check';
import { jsonChunksInSlices } from '../../src/api/sliced-json';

const settle = () => new Promise((resolve) => setImmediate(resolve));

/** Values JSON.stringify writes differently from a plain walk: left-out members, nulls in arrays, toJSON, escapes. */
const awkward = fc.oneof(
  fc.constant(undefined),
  fc.constant(Number.NaN),
  fc.constant(-0),
  fc.constant(Infinity),
  fc.constant(() => 1),
  fc.constant(Symbol('s')),
  fc.date({ noInvalidDate: true }),
  fc.constant({ toJSON: () => undefined }),
  fc.constant({ toJSON: () => ({ written: 'by toJSON' }) }),
  fc.string({ unit: 'binary' })
);

const values = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.jsonValue(), awkward, tie('array'), tie('object')),
  // Lengths on both sides of the long-array rule, and long enough for several runs.
  array: fc.oneof(
    fc.array(tie('value'), { maxLength: 40 }),
    fc.array(fc.oneof(fc.jsonValue({ maxDepth: 2 }), awkward), { minLength: 60, maxLength: 300 })
  ),
  object: fc.dictionary(fc.string({ unit: 'binary' }), tie('value'), { maxKeys: 8 }),
}));

describe('JSON written in time slices', () => {
  it('is JSON.stringify byte for byte, for any value JSON.stringify accepts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(values.array, values.object), async (value) => {
        const written = Buffer.concat(await jsonChunksInSlices(value));
        expect(written.equals(Buffer.from(JSON.stringify(value)))).toBe(true);
      }),
      { numRuns: 300, seed: 15 }
    );
  });

  it('writes a 90-day hourly trend as JSON.stringify does, in chunks, handing the event loop back between them', async () => {
    const hours = Array.from({ length: 2_160 }, (_, hour) =>
      new Date(Date.UTC(2026, 0, 1) + hour * 3_600_000).toISOString()
    );
    const trend = {
      model_id: 'crédit-risk',
      volume: hours.map((time, index) => ({ time, predictions: index * 7 })),
      series: Array.from({ length: 20 }, (_, feature) => ({
        feature: `feature_${feature}`,
        kind: feature < 15 ? 'numeric' : 'categorical',
        points: hours.map((time, index) => ({
          time,
          psi: index % 5 === 0 ? null : (index * feature) / 7919,
          js: index / 3,
          kl: null,
          severity: 'ok',
          production_rows: index,
          drifted: false,
          persistent: false,
          shift_q_value: 1 / (index + 1),
          findings: index % 97 === 0 ? ['shift'] : [],
        })),
      })),
    };
    let turns = 0;
    const counting = () => {
      turns += 1;
      if (!done) setImmediate(counting);
    };
    let done = false;
    setImmediate(counting);
    const chunks = await jsonChunksInSlices(trend);
    done = true;
    await settle();
    expect(Buffer.concat(chunks).equals(Buffer.from(JSON.stringify(trend)))).toBe(true);
    expect(chunks.length).toBeGreaterThan(10);
    // JSON.stringify would have given no turn at all; each yield lets the immediate run once.
    expect(turns).toBeGreaterThan(1);
  });

  it('writes values that are not arrays or plain objects as JSON.stringify does', async () => {
    for (const value of [1, 'text', null, true, new Date(0), { toJSON: () => [1, 2] }]) {
      expect(Buffer.concat(await jsonChunksInSlices(value)).toString()).toBe(JSON.stringify(value));
    }
  });
});
