import { ConfigError, loadConfig } from '../../src/config';
import { metricsWindow } from '../../src/metrics';

describe('metrics settings', () => {
  it('default to a 6-hour window and an open /metrics', () => {
    expect(loadConfig({}).metrics).toEqual({ windowHours: 6, tokenRequired: false });
  });

  it('are read from DRIFTGUARD_METRICS_WINDOW_HOURS and DRIFTGUARD_METRICS_TOKEN_REQUIRED', () => {
    expect(loadConfig({ DRIFTGUARD_METRICS_WINDOW_HOURS: '24', DRIFTGUARD_METRICS_TOKEN_REQUIRED: 'true' }).metrics).toEqual({ windowHours: 24, tokenRequired: true });
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
  it('is the current hour and the hours before it', () => {
    const window = metricsWindow(Date.parse('2026-03-01T10:20:00Z'), 6);
    expect([new Date(window.fromMs).toISOString(), new Date(window.toMs).toISOString()]).toEqual(['2026-03-01T05:00:00.000Z', '2026-03-01T11:00:00.000Z']);
  });

  it('ends at now when now is on the hour', () => {
    const window = metricsWindow(Date.parse('2026-03-01T11:00:00Z'), 2);
    expect([new Date(window.fromMs).toISOString(), new Date(window.toMs).toISOString()]).toEqual(['2026-03-01T09:00:00.000Z', '2026-03-01T11:00:00.000Z']);
  });
});
