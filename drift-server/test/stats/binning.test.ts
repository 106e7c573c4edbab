import { categoryList, countCategorical, countNumeric, driftFromCounts, numericBinIndex, numericBinLabels, numericCutPoints } from '../../src/stats';

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
    expect(() => driftFromCounts({ counts: [1, 2], missing: 0 }, { counts: [1], missing: 0 }, ['a', 'b'])).toThrow(/differ in length/);
    expect(() => driftFromCounts({ counts: [1, 2], missing: 0 }, { counts: [1, 2], missing: 0 }, ['a'])).toThrow(/1 bin labels for 2 bins/);
  });
});
