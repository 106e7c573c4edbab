import { ConfigError, loadConfig } from '../../src/config';
import { metricsWindow } from '../../src/metrics';

describe('metrics settings', () => {
  it('default to a 6-hour window and an open /metrics', () => {
    expect(loadConfig({}).metrics).toEqual({ windowHours: 6, tokenRequired: false });
  });

  it('are read from DRIFTGUARD_METRICS_WINDOW_HOURS and DRIFTGUARD_METRICS_TOKEN_REQUIRED', () => {
    expect(
      loadConfig({ DRIFTGUARD_METRICS_WINDOW_HOURS: '24', DRIFTGUARD_METRICS_TOKEN_REQUIRED: 'true' }).metrics
    ).toEqual({ windowHours: 24, tokenRequired: true });
  });

  it.each([
    ['DRIFTGUARD_METRICS_WINDOW_HOURS', '0'],
    ['DRIFTGUARD_METRICS_WINDOW_HOURS', '1.5'],
    ['DRIFTGUARD_METRICS_TOKEN_REQUIRED', 'yes'],
  ])('refuse %s=%s', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
  });
});

describe('metricsWindow', () => {
  const iso = (window: { fromMs: number; toMs: number }) => [
    new Date(window.fromMs).toISOString(),
    new Date(window.toMs).toISOString(),
  ];

  it('is the complete hours before the current one while predictions keep coming', () => {
    const now = Date.parse('2026-03-01T10:20:00Z');
    expect(iso(metricsWindow(now, 6, now - 5_000))).toEqual(['2026-03-01T04:00:00.000Z', '2026-03-01T10:00:00.000Z']);
    expect(iso(metricsWindow(now, 6, Date.parse('2026-03-01T09:59:59Z')))).toEqual([
      '2026-03-01T04:00:00.000Z',
      '2026-03-01T10:00:00.000Z',
    ]);
  });

  it('does not move within an hour, and moves by a whole hour on the hour', () => {
    const at = (time: string) => iso(metricsWindow(Date.parse(time), 2, Date.parse(time)));
    expect(at('2026-03-01T10:00:00Z')).toEqual(['2026-03-01T08:00:00.000Z', '2026-03-01T10:00:00.000Z']);
    expect(at('2026-03-01T10:59:59Z')).toEqual(['2026-03-01T08:00:00.000Z', '2026-03-01T10:00:00.000Z']);
    expect(at('2026-03-01T11:00:00Z')).toEqual(['2026-03-01T09:00:00.000Z', '2026-03-01T11:00:00.000Z']);
  });

  it('ends with the hour of the newest prediction once data has stopped', () => {
    const now = Date.parse('2026-03-01T18:20:00Z');
    expect(iso(metricsWindow(now, 6, Date.parse('2026-03-01T12:34:56Z')))).toEqual([
      '2026-03-01T07:00:00.000Z',
      '2026-03-01T13:00:00.000Z',
    ]);
  });

  it('ignores predictions stamped in the future, and uses the complete hours when there is no prediction yet', () => {
    const now = Date.parse('2026-03-01T10:20:00Z');
    expect(iso(metricsWindow(now, 6, Date.parse('2026-03-02T00:00:00Z')))).toEqual([
      '2026-03-01T04:00:00.000Z',
      '2026-03-01T10:00:00.000Z',
    ]);
    expect(iso(metricsWindow(now, 6, null))).toEqual(['2026-03-01T04:00:00.000Z', '2026-03-01T10:00:00.000Z']);
  });
});
