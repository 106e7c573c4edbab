import { Severity, Trends } from '../api/types';
import { driftBreaches } from './annotations';

const HOUR = 3_600_000;
const START = Date.UTC(2026, 0, 1);

function trends(severities: Severity[], psi: number[]): Trends {
  return {
    model_id: 'm',
    interval_ms: HOUR,
    volume: [],
    model: { points: [] },
    series: [
      {
        feature: 'income',
        kind: 'numeric',
        points: severities.map((severity, i) => ({
          time: new Date(START + i * HOUR).toISOString(),
          psi: psi[i],
          js: null,
          kl: null,
          psi_critical: 0.05,
          severity,
          production_rows: 100,
        })),
      },
    ],
  };
}

describe('driftBreaches', () => {
  it('merges consecutive warning/critical intervals into one region with the worst severity and PSI', () => {
    const result = driftBreaches(trends(['ok', 'warning', 'critical', 'warning', 'ok'], [0.01, 0.12, 0.4, 0.15, 0.02]));
    expect(result).toEqual([
      { feature: 'income', startMs: START + HOUR, endMs: START + 4 * HOUR, worst: 'critical', maxPsi: 0.4 },
    ]);
  });

  it('splits regions at ok or insufficient-data intervals', () => {
    const result = driftBreaches(trends(['warning', 'insufficient_data', 'warning'], [0.12, 0, 0.11]));
    expect(result.map((b) => [b.startMs - START, b.endMs - START, b.worst])).toEqual([
      [0, HOUR, 'warning'],
      [2 * HOUR, 3 * HOUR, 'warning'],
    ]);
  });
});
