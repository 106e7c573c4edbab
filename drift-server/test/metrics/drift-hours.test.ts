import { CRITICAL, DRIFTED, HourlyVerdictCache, hoursInARow } from '../../src/metrics/drift-hours';
import type { Severity } from '../../src/stats';

const hours = (text: string): Severity[] =>
  text.split(' ').map((code) => ({ o: 'ok', w: 'warning', c: 'critical', _: 'insufficient_data' })[code] as Severity);

describe('hoursInARow', () => {
  it('counts the hours in a row, from the last back, whose verdict counts', () => {
    expect(hoursInARow(hours('c o c c c'), CRITICAL)).toBe(3);
    expect(hoursInARow(hours('c c w c c'), CRITICAL)).toBe(2);
    expect(hoursInARow(hours('c c w c c'), DRIFTED)).toBe(5);
    expect(hoursInARow(hours('c c c o'), CRITICAL)).toBe(0);
  });

  it('skips hours without a verdict, so a pause in the data neither breaks nor extends a run', () => {
    expect(hoursInARow(hours('c c _ _ c c _'), CRITICAL)).toBe(4);
    expect(hoursInARow(hours('o c _ _ _'), CRITICAL)).toBe(1);
    expect(hoursInARow(hours('_ _ _'), CRITICAL)).toBe(0);
    expect(hoursInARow([], DRIFTED)).toBe(0);
  });
});

describe('HourlyVerdictCache', () => {
  const verdicts = (severity: Severity) => Promise.resolve(new Map([['income', [severity]]]));

  it("computes a model's hourly verdicts once per key (its window's end, reference, registration)", async () => {
    const cache = new HourlyVerdictCache();
    let computed = 0;
    const compute = () => {
      computed += 1;
      return verdicts('critical');
    };
    await cache.of('m', 'end-1', compute);
    await cache.of('m', 'end-1', compute);
    expect(computed).toBe(1);
    await cache.of('m', 'end-2', compute);
    expect(computed).toBe(2);
  });

  it('forgets a failed computation and models no longer listed', async () => {
    const cache = new HourlyVerdictCache();
    await expect(cache.of('m', 'k', () => Promise.reject(new Error('database closed')))).rejects.toThrow(
      'database closed'
    );
    expect(await cache.of('m', 'k', () => verdicts('ok'))).toEqual(new Map([['income', ['ok']]]));
    cache.keepOnly(new Set(['other']));
    expect(await cache.of('m', 'k', () => verdicts('warning'))).toEqual(new Map([['income', ['warning']]]));
  });
});
