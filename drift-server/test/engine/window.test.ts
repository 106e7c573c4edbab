import { intervalStartTimes } from '../../src/engine/window';
import { seededRandom } from '../api/data';
import { HOUR_MS } from '../../src/time';

describe('intervalStartTimes', () => {
  it('formats every interval start exactly as Date#toISOString does, whatever the year', () => {
    const random = seededRandom(11);
    const starts = [
      0,
      -HOUR_MS,
      Date.UTC(1969, 11, 31, 23),
      Date.UTC(2026, 1, 28, 22),
      Date.UTC(2028, 1, 28, 20),
      Date.UTC(9999, 11, 31, 20),
      Date.UTC(-1, 0, 1),
      8.64e15 - 48 * HOUR_MS,
    ];
    for (let trial = 0; trial < 200; trial += 1) starts.push(Math.floor(((random() - 0.3) * 4e12) / HOUR_MS) * HOUR_MS);
    for (const fromMs of starts) {
      for (const intervalMs of [HOUR_MS, 6 * HOUR_MS, 24 * HOUR_MS, 7 * 24 * HOUR_MS]) {
        // Dates end at 8.64e15 ms.
        const count = Math.min(60, Math.floor((8.64e15 - fromMs) / intervalMs) + 1);
        expect(intervalStartTimes(fromMs, intervalMs, count)).toEqual(
          Array.from({ length: count }, (_, interval) => new Date(fromMs + interval * intervalMs).toISOString())
        );
      }
    }
  });
});
