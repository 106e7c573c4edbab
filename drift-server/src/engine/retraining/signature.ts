import { createHmac, timingSafeEqual } from 'node:crypto';

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

/** The header carrying the signature, on webhooks DriftGuard sends and on signed requests it accepts. */
export const SIGNATURE_HEADER = 'X-DriftGuard-Signature';

/**
 * The signature DriftGuard puts on, and expects from, HMAC-authenticated HTTP bodies:
 * `sha256=<hex HMAC-SHA256(secret, raw body)>`, sent in the X-DriftGuard-Signature header.
 */
export function signatureOf(secret: string, body: string | Uint8Array): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Whether `presented` is the signature of `body` under `secret`, compared in constant time. */
export function signatureMatches(secret: string, body: string | Uint8Array, presented: string): boolean {
  const match = SIGNATURE.exec(presented.trim());
  if (!match) return false;
  const expected = createHmac('sha256', secret).update(body).digest();
  return timingSafeEqual(expected, Buffer.from(match[1], 'hex'));
}
