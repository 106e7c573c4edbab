import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { chiSquareHomogeneity } from '../../src/stats/chisquare';
import { StatsInputError } from '../../src/stats/types';
import { loadOracleCases } from '../support/oracle';
import { pValueMatches, withinRelative } from '../support/tolerance';

interface ContingencyVector {
  readonly name: string;
  readonly reference_counts: number[];
  readonly production_counts: number[];
  readonly statistic: number;
  readonly pvalue: number;
  readonly dof: number;
}

const vectors = JSON.parse(readFileSync(path.resolve(__dirname, '../fixtures/ks-chi2-vectors.json'), 'utf8')) as {
  readonly contingency: ContingencyVector[];
};

function expectStatistic(actual: number, expected: number): void {
  if (!withinRelative(actual, expected, 1e-9))
    throw new Error(`statistic ${actual} is not within 1e-9 relative of ${expected}`);
}

function expectPValue(actual: number, expected: number): void {
  if (!pValueMatches(actual, expected))
    throw new Error(`p-value ${actual} is not within 1e-4 absolute or 1 % of ${expected}`);
  // Beyond the contract: the p-value is a smooth function of the statistic and agrees closely.
  if (expected > 1e-290 && !withinRelative(actual, expected, 1e-8)) {
    throw new Error(`p-value ${actual} is not within 1e-8 relative of ${expected}`);
  }
}

describe('chiSquareHomogeneity against scipy.stats.chi2_contingency(correction=False)', () => {
  it.each(vectors.contingency.map((vector) => [vector.name, vector] as const))('%s', (_name, vector) => {
    const result = chiSquareHomogeneity(vector.reference_counts, vector.production_counts);
    expect(result.dof).toBe(vector.dof);
    expectStatistic(result.statistic, vector.statistic);
    expectPValue(result.pvalue, vector.pvalue);
  });
});

describe('chi-square fields of the shared oracle', () => {
  const categoricalCases = loadOracleCases().filter((oracleCase) => oracleCase.kind === 'categorical');

  it.each(categoricalCases.map((oracleCase) => [oracleCase.name, oracleCase.expected] as const))(
    '%s',
    (_name, expected) => {
      const result = chiSquareHomogeneity(
        expected.reference_counts as number[],
        expected.production_counts as number[]
      );
      expectStatistic(result.statistic, expected.chi2_statistic as number);
      expectPValue(result.pvalue, expected.chi2_pvalue as number);
    }
  );
});

describe('chiSquareHomogeneity', () => {
  it('reports statistic 0, p 1 and dof 0 when a single category holds data', () => {
    expect(chiSquareHomogeneity([0, 4, 0], [0, 9, 0])).toEqual({ statistic: 0, pvalue: 1, dof: 0 });
  });

  it('ignores categories empty on both sides', () => {
    expect(chiSquareHomogeneity([0, 30, 0, 70, 0], [0, 50, 0, 50, 0])).toEqual(
      chiSquareHomogeneity([30, 70], [50, 50])
    );
  });

  const countTable = fc
    .integer({ min: 2, max: 12 })
    .chain((categories) =>
      fc.tuple(
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: categories, maxLength: categories }),
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: categories, maxLength: categories })
      )
    )
    .filter(([reference, production]) => reference.some((count) => count > 0) && production.some((count) => count > 0));

  it('keeps the statistic non-negative and p in [0, 1], symmetric in the two sides', () => {
    fc.assert(
      fc.property(countTable, ([reference, production]) => {
        const result = chiSquareHomogeneity(reference, production);
        expect(result.statistic).toBeGreaterThanOrEqual(0);
        expect(result.pvalue).toBeGreaterThanOrEqual(0);
        expect(result.pvalue).toBeLessThanOrEqual(1);
        const swapped = chiSquareHomogeneity(production, reference);
        expect(swapped.dof).toBe(result.dof);
        expect(Math.abs(swapped.statistic - result.statistic)).toBeLessThanOrEqual(
          1e-9 * Math.max(1, result.statistic)
        );
      })
    );
  });

  it('scales the statistic with the table (Pearson statistic is homogeneous of degree 1)', () => {
    fc.assert(
      fc.property(countTable, fc.integer({ min: 2, max: 50 }), ([reference, production], factor) => {
        const base = chiSquareHomogeneity(reference, production).statistic;
        const scaled = chiSquareHomogeneity(
          reference.map((count) => count * factor),
          production.map((count) => count * factor)
        ).statistic;
        expect(Math.abs(scaled - factor * base)).toBeLessThanOrEqual(1e-9 * Math.max(1, factor * base));
      })
    );
  });

  it.each([
    ['mismatched lengths', [1, 2], [1, 2, 3]],
    ['a negative count', [1, -2], [1, 2]],
    ['a fractional count', [1, 2.5], [1, 2]],
    ['NaN', [1, NaN], [1, 2]],
    ['Infinity', [1, 2], [Infinity, 2]],
    ['-Infinity', [-Infinity, 2], [1, 2]],
    ['an empty reference side', [0, 0], [1, 2]],
    ['an empty production side', [1, 2], [0, 0]],
    ['no categories at all', [], []],
  ])('rejects %s', (_label, reference, production) => {
    expect(() => chiSquareHomogeneity(reference, production)).toThrow(StatsInputError);
  });
});
