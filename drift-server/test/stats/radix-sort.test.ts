import fc from 'fast-check';
import { sortFloat64 } from '../../src/stats/radix-sort';

/** Reference order: the built-in numeric sort of a typed array. */
function builtinSorted(values: number[]): Float64Array {
  return Float64Array.from(values).sort();
}

function expectSameOrder(actual: Float64Array, expected: Float64Array): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i += 1) {
    // −0 and +0 compare equal; their relative order is irrelevant to every statistic.
    if (actual[i] !== expected[i])
      throw new Error(`index ${i}: ${actual[i]} where the built-in sort has ${expected[i]}`);
  }
}

describe('sortFloat64', () => {
  const finite = fc.double({ noNaN: true, noDefaultInfinity: true });

  it('orders any finite doubles as the built-in sort does, on both sides of the radix threshold', () => {
    fc.assert(
      fc.property(fc.array(finite, { minLength: 20_000, maxLength: 22_000 }), (values) => {
        expectSameOrder(sortFloat64(Float64Array.from(values)), builtinSorted(values));
      }),
      { numRuns: 10 }
    );
    fc.assert(
      fc.property(fc.array(finite, { maxLength: 50 }), (values) =>
        expectSameOrder(sortFloat64(Float64Array.from(values)), builtinSorted(values))
      )
    );
  });

  it('keeps −0, subnormals and extreme magnitudes intact (keys never travel as doubles)', () => {
    const specials = [
      -0,
      0,
      Number.MIN_VALUE,
      -Number.MIN_VALUE,
      -2.2e-308,
      2.2e-308,
      Number.MAX_VALUE,
      -Number.MAX_VALUE,
      1,
      -1,
    ];
    const values = Array.from({ length: 30_000 }, (_, i) => specials[i % specials.length] * (i % 7 === 0 ? 1 : 0.5));
    const sorted = sortFloat64(Float64Array.from(values));
    expect(sorted.some(Number.isNaN)).toBe(false);
    expectSameOrder(sorted, builtinSorted(values));
  });

  it('handles heavy ties and a shared exponent (skipped digits)', () => {
    const values = Array.from({ length: 20_000 }, (_, i) => 1 + (i % 5) / 8);
    expectSameOrder(sortFloat64(Float64Array.from(values)), builtinSorted(values));
  });

  it('sorts a view into a larger buffer without touching the rest', () => {
    const buffer = Float64Array.from({ length: 60_000 }, (_, i) => 60_000 - i);
    const view = buffer.subarray(10_000, 50_000);
    sortFloat64(view);
    expect([buffer[9_999], buffer[50_000]]).toEqual([50_001, 10_000]);
    expectSameOrder(
      view,
      Float64Array.from({ length: 40_000 }, (_, i) => 10_001 + i)
    );
  });
});
