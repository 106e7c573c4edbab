import { formatDays, formatPoints } from './format';

describe('units the reasons use', () => {
  it('gives payback in days, never weeks, one decimal as drift-server writes it', () => {
    expect(formatDays(7.7)).toBe('7.7 days');
    expect(formatDays(14)).toBe('14 days');
    expect(formatDays(1)).toBe('1 day');
    expect(formatDays(1.04)).toBe('1 day');
    expect(formatDays(400.25)).toBe('400.3 days');
    expect(formatDays(null)).toBe('—');
  });

  it('gives a difference of accuracies in percentage points', () => {
    expect(formatPoints(0.289)).toBe('28.9 points');
    expect(formatPoints(undefined)).toBe('—');
  });
});
