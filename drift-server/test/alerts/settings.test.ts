import { ConfigError, loadConfig } from '../../src/config';
import { signatureMatches, signatureOf } from '../../src/engine/retraining/signature';

describe('DRIFTGUARD_ALERT_WEBHOOK_SECRET', () => {
  it('is off unless set, and refused when shorter than 16 characters', () => {
    expect(loadConfig({}).alertWebhookSecret).toBeUndefined();
    expect(loadConfig({ DRIFTGUARD_ALERT_WEBHOOK_SECRET: '' }).alertWebhookSecret).toBeUndefined();
    expect(loadConfig({ DRIFTGUARD_ALERT_WEBHOOK_SECRET: 'sixteen-chars-ok' }).alertWebhookSecret).toBe('sixteen-chars-ok');
    expect(() => loadConfig({ DRIFTGUARD_ALERT_WEBHOOK_SECRET: 'too-short' })).toThrow(ConfigError);
    expect(() => loadConfig({ DRIFTGUARD_ALERT_WEBHOOK_SECRET: 'too-short' })).toThrow(/DRIFTGUARD_ALERT_WEBHOOK_SECRET must be at least 16 characters/);
  });
});

describe('X-DriftGuard-Signature', () => {
  // RFC 4231, test case 2.
  const KEY = 'Jefe';
  const BODY = 'what do ya want for nothing?';
  const HMAC = '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843';

  it('is sha256=<hex HMAC-SHA256(secret, body)>', () => {
    expect(signatureOf(KEY, BODY)).toBe(`sha256=${HMAC}`);
    expect(signatureOf(KEY, new TextEncoder().encode(BODY))).toBe(`sha256=${HMAC}`);
  });

  it('matches only the right signature of the exact body, in either hex case', () => {
    expect(signatureMatches(KEY, BODY, `sha256=${HMAC}`)).toBe(true);
    expect(signatureMatches(KEY, BODY, `sha256=${HMAC.toUpperCase()}`)).toBe(true);
    expect(signatureMatches(KEY, `${BODY} `, `sha256=${HMAC}`)).toBe(false);
    expect(signatureMatches('jefe', BODY, `sha256=${HMAC}`)).toBe(false);
    for (const malformed of [HMAC, `sha1=${HMAC}`, `sha256=${HMAC.slice(1)}`, `sha256=${HMAC}00`, 'sha256=', '']) {
      expect([malformed, signatureMatches(KEY, BODY, malformed)]).toEqual([malformed, false]);
    }
  });
});
