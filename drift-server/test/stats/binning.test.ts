import {
  categoryList,
  countCategorical,
  countNumeric,
  driftFromCounts,
  frozenBinLabels,
  frozenEdgesFromSorted,
  nextDoubleUp,
  numericBinIndex,
  numericBinLabels,
  numericCutPoints,
  quantileSorted,
} from '../../src/stats';

const sorted = (values: number[]) => Float64Array.from(values).sort();

describe('numeric binning', () => {
  it('puts a value equal to a cut point in the bin to its right (left-closed bins)', () => {
    const cuts = [1, 2, 3];
    expect([0.5, 1, 1.5, 2, 3, 99].map((value) => numericBinIndex(cuts, value))).toEqual([0, 1, 1, 2, 3, 3]);
  });

  it('drops duplicate cut points from heavy ties', () => {
    const cuts = numericCutPoints([0, 0, 0, 0, 0, 0, 0, 0, 1, 2], 10);
    expect(cuts).toHaveLength(3);
    [0, 0.2, 1.1].forEach((expected, index) => expect(cuts[index]).toBeCloseTo(expected, 12));
  });

  it('counts sorted and unsorted input the same way, missing apart', () => {
    const cuts = [1, 2];
    expect(countNumeric(cuts, [2, null, 0, 1, Number.NaN, 5])).toEqual({ counts: [1, 1, 2], missing: 2 });
  });

  it('labels bins for charts', () => {
    expect(numericBinLabels([1, 2.5])).toEqual(['< 1', '[1, 2.5)', '≥ 2.5']);
    expect(numericBinLabels([])).toEqual(['all values']);
  });
});

describe('edges frozen with a reference version', () => {
  it('keep the quantile cut points and add the reference minimum and the double above its maximum', () => {
    const reference = Array.from({ length: 101 }, (_, i) => i / 10);
    const { cuts, binning, range } = frozenEdgesFromSorted(sorted(reference));
    expect(binning).toBe('quantiles');
    expect(range).toEqual({ min: 0, max: 10 });
    expect(cuts).toEqual([0, ...numericCutPoints(reference), nextDoubleUp(10)]);
    // Bin 0 holds only values below the reference, the last bin only values above it; the reference fills neither.
    expect(countNumeric(cuts, reference).counts[0]).toBe(0);
    expect(countNumeric(cuts, reference).counts.at(-1)).toBe(0);
    expect([-0.001, 0, 10, 10.000001].map((value) => numericBinIndex(cuts, value))).toEqual([
      0,
      1,
      cuts.length - 1,
      cuts.length,
    ]);
  });

  it('bin a feature with at most 2·B distinct values per value: a constant, or Poisson(0.5)', () => {
    const constant = frozenEdgesFromSorted(sorted(new Array(50).fill(5)));
    expect(constant).toEqual({ cuts: [5, nextDoubleUp(5)], binning: 'values', range: { min: 5, max: 5 } });
    expect([5, 6, 4].map((value) => numericBinIndex(constant.cuts, value))).toEqual([1, 2, 0]);
    const poisson = frozenEdgesFromSorted(
      sorted([...new Array(61).fill(0), ...new Array(30).fill(1), ...new Array(8).fill(2), 3])
    );
    // Quantile cut points alone are [0, 1]: moving 1 → 3 and 2 → 4 would change no bin.
    expect(numericCutPoints([...new Array(61).fill(0), ...new Array(30).fill(1), ...new Array(8).fill(2), 3])).toEqual([
      0, 1,
    ]);
    expect(poisson.cuts).toEqual([0, 1, 2, 3, nextDoubleUp(3)]);
    expect([1, 3, 4].map((value) => numericBinIndex(poisson.cuts, value))).toEqual([2, 4, 5]);
  });

  it('switch to quantiles above 2·B distinct values', () => {
    const values = Array.from({ length: 21 }, (_, i) => i);
    expect(frozenEdgesFromSorted(sorted(values)).binning).toBe('quantiles');
    expect(frozenEdgesFromSorted(sorted(values.slice(0, 20))).binning).toBe('values');
    expect(frozenEdgesFromSorted(sorted(values), 20).binning).toBe('values');
  });

  it('leave out the upper tail only when the maximum is the largest double', () => {
    expect(frozenEdgesFromSorted(sorted([1, 2, Number.MAX_VALUE])).cuts).toEqual([1, 2, Number.MAX_VALUE]);
  });

  it('label tails, values and the bin closing on the maximum', () => {
    const reference = Array.from({ length: 101 }, (_, i) => i / 10);
    const labels = frozenBinLabels(frozenEdgesFromSorted(sorted(reference)));
    expect(labels[0]).toBe('< 0');
    expect(labels[1]).toBe('[0, 1)');
    expect(labels.at(-2)).toBe('[9, 10]');
    expect(labels.at(-1)).toBe('> 10');
    expect(labels).toHaveLength(12);
    expect(frozenBinLabels(frozenEdgesFromSorted(sorted([0, 0, 1, 2])))).toEqual(['< 0', '0', '1', '2', '> 2']);
    // Versions frozen before tails existed keep their plain labels.
    expect(frozenBinLabels({ cuts: [1, 2.5] })).toEqual(numericBinLabels([1, 2.5]));
  });

  it('finds the next double up across zero, signs and binades', () => {
    expect(nextDoubleUp(0)).toBe(Number.MIN_VALUE);
    expect(nextDoubleUp(1)).toBe(1 + Number.EPSILON);
    expect(nextDoubleUp(-1)).toBe(-1 + Number.EPSILON / 2);
    expect(nextDoubleUp(-Number.MIN_VALUE)).toBe(-0);
    expect(nextDoubleUp(Number.MAX_VALUE)).toBe(Infinity);
  });
});

describe('quantiles of extreme values', () => {
  it('interpolate between values whose difference overflows a double', () => {
    const extremes = Float64Array.of(-1.7e308, 1.7e308);
    expect(quantileSorted(extremes, 0.5)).toBe(0);
    expect(quantileSorted(extremes, 0.25)).toBeCloseTo(-0.85e308, -295);
    expect(Number.isFinite(quantileSorted(extremes, 0.9))).toBe(true);
    expect(numericCutPoints([-1.7e308, 0, 1.7e308], 4).every(Number.isFinite)).toBe(true);
  });
});

describe('categorical binning', () => {
  it('lists every category of either side once, sorted, without missing', () => {
    expect(categoryList(['b', null, 'a'], ['c', 'a'])).toEqual(['a', 'b', 'c']);
  });

  it('refuses a value outside the frozen category list', () => {
    expect(() => countCategorical(['a'], ['a', 'z'])).toThrow(/"z" is not in the category list/);
  });
});

describe('driftFromCounts', () => {
  it('adds the missing bin when either side has missing values, and splits PSI per bin', () => {
    const drift = driftFromCounts({ counts: [50, 50], missing: 0 }, { counts: [30, 50], missing: 20 }, ['low', 'high']);
    expect(drift.reference_counts).toEqual([50, 50, 0]);
    expect(drift.production_counts).toEqual([30, 50, 20]);
    expect(drift.bins.map((bin) => bin.label)).toEqual(['low', 'high', 'missing']);
    const expectedTerms = [(0.3 - 0.5) * Math.log(0.3 / 0.5), 0, (0.2 - 1e-4) * Math.log(0.2 / 1e-4)];
    drift.bins.forEach((bin, index) => expect(bin.psi_contribution).toBeCloseTo(expectedTerms[index], 12));
    expect(drift.psi).toBeCloseTo(expectedTerms[0] + expectedTerms[2], 12);
  });

  it('rejects mismatched bins and labels', () => {
    expect(() => driftFromCounts({ counts: [1, 2], missing: 0 }, { counts: [1], missing: 0 }, ['a', 'b'])).toThrow(
      /differ in length/
    );
    expect(() => driftFromCounts({ counts: [1, 2], missing: 0 }, { counts: [1, 2], missing: 0 }, ['a'])).toThrow(
      /1 bin labels for 2 bins/
    );
  });
});
