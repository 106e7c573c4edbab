import { compareFeature, FeatureComparison, FeatureKind } from '../../src/stats';
import { loadOracleCases } from '../support/oracle';
import { pValueMatches, withinRelative } from '../support/tolerance';

type Check = (actual: unknown, expected: unknown) => void;

function expectClose(relative: number): Check {
  return (actual, expected) => {
    expect(typeof actual).toBe('number');
    if (!withinRelative(actual as number, expected as number, relative)) {
      throw new Error(`expected ${expected} within ${relative} relative, got ${actual}`);
    }
  };
}

const exact: Check = (actual, expected) => expect(actual).toEqual(expected);

const numbersClose =
  (relative: number): Check =>
  (actual, expected) => {
    expect(Array.isArray(actual)).toBe(true);
    expect((actual as number[]).length).toBe((expected as number[]).length);
    (expected as number[]).forEach((value, index) => expectClose(relative)((actual as number[])[index], value));
  };

const statsClose: Check = (actual, expected) => {
  const stats = actual as Record<string, number | null>;
  for (const [field, value] of Object.entries(expected as Record<string, number | null>)) {
    if (value === null || field === 'count' || field === 'missing')
      expect([field, stats[field]]).toEqual([field, value]);
    else expectClose(1e-9)(stats[field], value);
  }
};

const pValue: Check = (actual, expected) => {
  expect(typeof actual).toBe('number');
  if (!pValueMatches(actual as number, expected as number)) {
    throw new Error(`p-value ${actual} is not within 1e-4 absolute or 1 % relative of ${expected}`);
  }
};

/** How each field of the oracle's `expected` objects is compared (the contract's tolerances). */
const FIELD_CHECKS: Record<string, Check> = {
  cuts: numbersClose(1e-12),
  categories: exact,
  reference_counts: exact,
  production_counts: exact,
  psi: expectClose(1e-9),
  kl: expectClose(1e-9),
  js: expectClose(1e-9),
  psi_critical: expectClose(1e-9),
  ks_statistic: (actual, expected) =>
    expect(Math.abs((actual as number) - (expected as number))).toBeLessThanOrEqual(1e-12),
  ks_pvalue: pValue,
  chi2_statistic: expectClose(1e-9),
  chi2_pvalue: pValue,
  reference_stats: statsClose,
  production_stats: statsClose,
};

describe.each(loadOracleCases().map((oracleCase) => [oracleCase.name, oracleCase] as const))(
  'oracle case %s',
  (_name, oracleCase) => {
    let result: FeatureComparison;

    beforeAll(() => {
      result = compareFeature(
        oracleCase.kind as FeatureKind,
        oracleCase.reference as never,
        oracleCase.production as never,
        {
          buckets: oracleCase.buckets ?? undefined,
          // The vectors define plain quantile cut points; reference versions freeze more edges (tests in binning.test.ts).
          edges: 'quantiles',
        }
      );
    });

    it.each(Object.keys(oracleCase.expected))('matches %s', (field) => {
      const check = FIELD_CHECKS[field];
      if (!check) throw new Error(`oracle field "${field}" has no comparison rule: add one to FIELD_CHECKS`);
      check((result as unknown as Record<string, unknown>)[field], oracleCase.expected[field]);
    });
  }
);
