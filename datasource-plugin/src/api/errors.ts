import { isFetchError } from '@grafana/runtime';
import { Problem } from 'driftguard-api-contract';

/**
 * Why a call through the data proxy failed. Grafana rewrites an upstream 401 into
 * 400 "Authentication to data source failed" (so a bad data source token never logs the user out),
 * answers 403 itself when a route's reqRole is not met, and 502 when the upstream is unreachable.
 */
export type FailureKind = 'unreachable' | 'unauthenticated' | 'forbidden' | 'role' | 'problem' | 'other';

const GRAFANA_AUTH_FAILED = 'Authentication to data source failed';
const GRAFANA_ROLE_DENIED = 'plugin proxy route access denied';
const UNREACHABLE_STATUSES = new Set([502, 504]);

export class DriftApiError extends Error {
  constructor(
    message: string,
    readonly kind: FailureKind,
    readonly status?: number
  ) {
    super(message);
    this.name = 'DriftApiError';
  }
}

function isProblem(data: unknown): data is Problem {
  return typeof data === 'object' && data !== null && 'title' in data && 'detail' in data;
}

function grafanaMessage(data: unknown): string | undefined {
  if (typeof data === 'string') {
    return data;
  }
  if (typeof data === 'object' && data !== null && 'message' in data) {
    return String((data as { message: unknown }).message);
  }
  return undefined;
}

export function toDriftApiError(error: unknown): DriftApiError {
  if (error instanceof DriftApiError) {
    return error;
  }
  if (!isFetchError(error)) {
    return new DriftApiError(error instanceof Error ? error.message : String(error), 'other');
  }
  const { status, data } = error;
  if (isProblem(data)) {
    const kind = data.type.endsWith('/forbidden')
      ? 'forbidden'
      : data.type.endsWith('/unauthorized')
        ? 'unauthenticated'
        : 'problem';
    return new DriftApiError(`${data.title}: ${data.detail}`, kind, status);
  }
  const message = grafanaMessage(data);
  if (message?.includes(GRAFANA_AUTH_FAILED)) {
    return new DriftApiError('drift-server rejected the token (unknown or revoked)', 'unauthenticated', status);
  }
  if (status === 403 && message?.includes(GRAFANA_ROLE_DENIED)) {
    return new DriftApiError('Your Grafana role may not use this DriftGuard route', 'role', status);
  }
  if (UNREACHABLE_STATUSES.has(status)) {
    return new DriftApiError(
      `drift-server is unreachable from Grafana (${status} ${error.statusText ?? ''})`.trim(),
      'unreachable',
      status
    );
  }
  return new DriftApiError(message ?? `${status} ${error.statusText ?? 'request failed'}`, 'other', status);
}
