import { ConfigError, loadConfig } from '../../src/config';

describe('retraining configuration', () => {
  it('has defaults and reads its environment variables', () => {
    expect(loadConfig({}).retraining).toEqual({
      pollIntervalMs: 1000,
      backoffBaseMs: 5000,
      publicUrl: undefined,
      windowDays: 7,
    });
    expect(
      loadConfig({
        DRIFTGUARD_RETRAIN_POLL_MS: '250',
        DRIFTGUARD_RETRAIN_BACKOFF_MS: '100',
        DRIFTGUARD_PUBLIC_URL: 'https://driftguard.example.com/',
        DRIFTGUARD_RETRAIN_WINDOW_DAYS: '14',
      }).retraining
    ).toEqual({
      pollIntervalMs: 250,
      backoffBaseMs: 100,
      publicUrl: 'https://driftguard.example.com/',
      windowDays: 14,
    });
  });

  it.each([
    ['DRIFTGUARD_PUBLIC_URL', 'driftguard.example.com'],
    ['DRIFTGUARD_PUBLIC_URL', 'ftp://driftguard.example.com'],
    ['DRIFTGUARD_RETRAIN_POLL_MS', '5'],
    ['DRIFTGUARD_RETRAIN_BACKOFF_MS', '0'],
    ['DRIFTGUARD_RETRAIN_WINDOW_DAYS', 'a week'],
  ])('refuses %s=%s', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });
});
