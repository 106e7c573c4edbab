import { CRITICAL, DRIFTED, hoursInARow } from '../../src/metrics/drift-hours';
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
