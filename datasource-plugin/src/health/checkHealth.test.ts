import { compareVersions } from './checkHealth';

describe('compareVersions', () => {
  it.each([
    ['0.1.0', '0.1.0', 0],
    ['0.2.0', '0.1.9', 1],
    ['0.1.10', '0.1.9', 1],
    ['1.0', '1.0.0', 0],
    ['0.9.9', '1.0.0', -1],
    ['1.0.0-rc.1', '1.0.0', 0],
  ])('%s vs %s has sign %i', (a, b, sign) => {
    expect(Math.sign(compareVersions(a, b))).toBe(sign);
  });
});
