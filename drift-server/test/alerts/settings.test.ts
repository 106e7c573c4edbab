import { ConfigError, loadConfig } from '../../src/config';
import { createHmac } from 'node:crypto';
import { signatureHeaders, verifySignature } from '../../src/engine/retraining/signature';

describe('DRIFTGUARD_ALERT_WEBHOOK_SECRET', () => {
  it('is off unless set, and refused when shorter than 16 characters', () => {
    expect(loadConfig({}).alertWebhookSecret).toBeUndefined();
    expect(loadConfig({ DRIFTGUARD_ALERT_WEBHOOK_SECRET: '' }).alertWebhookSecret).toBeUndefined();
    expect(loadConfig({ DRIFTGUARD_ALERT_WEBHOOK_SECRET: 'sixteen-chars-ok' }).alertWebhookSecret).toBe(
      'sixteen-chars-ok'
    );
    expect(() => loadConfig({ DRIFTGUARD_ALERT_WEBHOOK_SECRET: 'too-short' })).toThrow(ConfigError);
    expect(() => loadConfig({ DRIFTGUARD_ALERT_WEBHOOK_SECRET: 'too-short' })).toThrow(
      /DRIFTGUARD_ALERT_WEBHOOK_SECRET must be at least 16 characters/
    );
  });
});

describe('X-DriftGuard-Signature', () => {
  const SECRET = 'Jefe-and-sixteen-chars';
  const request = {
    method: 'POST',
    path: '/api/v1/retrain-jobs/0b6f3c1e-8d8e-4a43-9d7e-2f5d7f1f0a11/callback',
    job: '0b6f3c1e-8d8e-4a43-9d7e-2f5d7f1f0a11',
    body: '{"status":"succeeded"}',
  };
  const NOW = Date.UTC(2026, 10, 30, 10);

  it('is v1=<hex HMAC-SHA256(secret, "v1\\n" + timestamp + "\\n" + method + "\\n" + path + "\\n" + job + "\\n" + body)>, with the timestamp in its own header', () => {
    const text = `v1\n${NOW}\nPOST\n${request.path}\n${request.job}\n${request.body}`;
    expect(signatureHeaders(SECRET, request, NOW)).toEqual({
      'X-DriftGuard-Signature': `v1=${createHmac('sha256', SECRET).update(text).digest('hex')}`,
      'X-DriftGuard-Timestamp': String(NOW),
    });
    expect(signatureHeaders(SECRET, { ...request, body: new TextEncoder().encode(request.body) }, NOW)).toEqual(
      signatureHeaders(SECRET, request, NOW)
    );
  });

  const presented = (headers: Record<string, string>) => ({
    signature: headers['X-DriftGuard-Signature'],
    timestamp: headers['X-DriftGuard-Timestamp'],
  });

  it('verifies only the same method, path, job, time and body, under the same secret, in either hex case', () => {
    const headers = signatureHeaders(SECRET, request, NOW);
    expect(verifySignature(SECRET, request, presented(headers), NOW)).toBe('valid');
    expect(
      verifySignature(
        SECRET,
        request,
        { ...presented(headers), signature: headers['X-DriftGuard-Signature'].toUpperCase().replace('V1=', 'v1=') },
        NOW
      )
    ).toBe('valid');
    const other = {
      ...request,
      job: '5a1d2c3e-0000-4a43-9d7e-2f5d7f1f0a11',
      path: '/api/v1/retrain-jobs/5a1d2c3e-0000-4a43-9d7e-2f5d7f1f0a11/callback',
    };
    for (const changed of [
      { ...request, method: 'PUT' },
      { ...request, path: other.path },
      { ...request, job: other.job },
      other,
      { ...request, body: `${request.body} ` },
    ]) {
      expect(verifySignature(SECRET, changed, presented(headers), NOW)).toBe('mismatch');
    }
    expect(verifySignature('Jefe-and-sixteen-charz', request, presented(headers), NOW)).toBe('mismatch');
    expect(verifySignature(undefined, request, presented(headers), NOW)).toBe('mismatch');
    expect(verifySignature(SECRET, request, { ...presented(headers), timestamp: String(NOW + 1) }, NOW)).toBe(
      'mismatch'
    );
  });

  it('refuses a timestamp more than five minutes from the clock, either way, whatever the signature', () => {
    const headers = signatureHeaders(SECRET, request, NOW);
    expect(verifySignature(SECRET, request, presented(headers), NOW + 300_000)).toBe('valid');
    expect(verifySignature(SECRET, request, presented(headers), NOW - 300_000)).toBe('valid');
    expect(verifySignature(SECRET, request, presented(headers), NOW + 300_001)).toBe('stale');
    expect(verifySignature(SECRET, request, presented(headers), NOW - 300_001)).toBe('stale');
  });

  it('calls anything else malformed: the old body-only form, no timestamp, bad hex', () => {
    const { 'X-DriftGuard-Signature': signature } = signatureHeaders(SECRET, request, NOW);
    const hex = signature.slice(3);
    const old = `sha256=${createHmac('sha256', SECRET).update(request.body).digest('hex')}`;
    for (const [given, timestamp] of [
      [old, String(NOW)],
      [signature, undefined],
      [signature, 'soon'],
      [signature, '-1'],
      [hex, String(NOW)],
      [`v1=${hex.slice(1)}`, String(NOW)],
      [`v1=${hex}00`, String(NOW)],
      ['v1=', String(NOW)],
      ['', String(NOW)],
      [undefined, String(NOW)],
    ]) {
      expect([given, timestamp, verifySignature(SECRET, request, { signature: given, timestamp }, NOW)]).toEqual([
        given,
        timestamp,
        'malformed',
      ]);
    }
  });
});
