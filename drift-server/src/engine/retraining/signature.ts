import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header carrying the signature, on webhooks DriftGuard sends and on signed requests it accepts. */
export const SIGNATURE_HEADER = 'X-DriftGuard-Signature';
/** The header carrying the signing time in epoch milliseconds; it is part of what is signed. */
export const TIMESTAMP_HEADER = 'X-DriftGuard-Timestamp';
/** A signed request is accepted this long before or after its timestamp, and never outside it. */
export const SIGNATURE_TOLERANCE_MS = 5 * 60_000;

const SIGNATURE = /^v1=([0-9a-f]{64})$/i;
const TIMESTAMP = /^\d{1,15}$/;

/** What a signature covers: the request's method, path, the retrain job it concerns, the time, and the raw body. */
export interface SignedRequest {
  readonly method: string;
  /**
   * The path the request is sent to: a trainer's configured URL path (with its query) for a delivery;
   * drift-server's own route path (`/api/v1/…`, without any proxy prefix) for a request it receives.
   */
  readonly path: string;
  /** The retrain job's id; empty for a request about no job (a Grafana alert notification). */
  readonly job: string;
  readonly body: string | Uint8Array;
}

/**
 * The one signature scheme of DriftGuard's HMAC-authenticated requests, both ways (deliveries to
 * trainers, trainer callbacks, signed Grafana alert posts): `v1=<hex HMAC-SHA256(secret, text)>` with
 * text = `v1\n<timestamp>\n<METHOD>\n<path>\n<job>\n` followed by the raw body bytes. Binding method,
 * path and job stops a body signed for one job (or route) from being replayed on another; the
 * timestamp, sent in X-DriftGuard-Timestamp, bounds a replay to SIGNATURE_TOLERANCE_MS.
 */
function hmacOf(secret: string, request: SignedRequest, timestamp: string): Buffer {
  return createHmac('sha256', secret)
    .update(`v1\n${timestamp}\n${request.method.toUpperCase()}\n${request.path}\n${request.job}\n`)
    .update(request.body)
    .digest();
}

/** The two headers that sign `request` at `nowMs`. */
export function signatureHeaders(secret: string, request: SignedRequest, nowMs: number): Record<string, string> {
  const timestamp = String(Math.trunc(nowMs));
  return {
    [SIGNATURE_HEADER]: `v1=${hmacOf(secret, request, timestamp).toString('hex')}`,
    [TIMESTAMP_HEADER]: timestamp,
  };
}

export type SignatureVerdict = 'valid' | 'malformed' | 'stale' | 'mismatch';

/** What a signed request presented: its two headers as received. */
export interface PresentedSignature {
  readonly signature: string | undefined;
  readonly timestamp: string | undefined;
}

/**
 * Checks a presented signature: `malformed` and `stale` depend on the headers alone (and so reveal
 * nothing about the secret or the job), `mismatch` on the HMAC, compared in constant time.
 */
export function verifySignature(
  secret: string | undefined,
  request: SignedRequest,
  presented: PresentedSignature,
  nowMs: number
): SignatureVerdict {
  const match = SIGNATURE.exec(presented.signature?.trim() ?? '');
  const timestamp = presented.timestamp?.trim() ?? '';
  if (!match || !TIMESTAMP.test(timestamp)) return 'malformed';
  if (Math.abs(nowMs - Number(timestamp)) > SIGNATURE_TOLERANCE_MS) return 'stale';
  // Without a secret (an unknown job, signatures not enabled) the HMAC is still computed, so the answer takes as long.
  const expected = hmacOf(secret ?? '', request, timestamp);
  return timingSafeEqual(expected, Buffer.from(match[1], 'hex')) && secret !== undefined ? 'valid' : 'mismatch';
}

/** Why a signed request was refused, for the 401's detail; `mismatch` says nothing of which part was wrong. */
export function signatureProblem(verdict: Exclude<SignatureVerdict, 'valid'>): string {
  const scheme = `${SIGNATURE_HEADER}: v1=<hex HMAC-SHA256(secret, "v1\\n" + timestamp + "\\n" + method + "\\n" + path + "\\n" + job id + "\\n" + raw body)> with ${TIMESTAMP_HEADER}: <epoch ms>`;
  switch (verdict) {
    case 'malformed':
      return `a signed request needs ${scheme} (docs/API.md, "Signed requests")`;
    case 'stale':
      return `${TIMESTAMP_HEADER} is more than ${SIGNATURE_TOLERANCE_MS / 60_000} minutes from the server's clock; sign each request when it is sent`;
    case 'mismatch':
      return `the signature does not verify: it must be ${scheme}, under the secret this route checks`;
  }
}
