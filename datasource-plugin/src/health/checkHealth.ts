import { TestDataSourceResponse } from '@grafana/data';
import { DriftApi, ROUTES } from '../api/DriftApi';
import { DriftApiError, toDriftApiError } from '../api/errors';

/** Oldest drift-server whose /api/v1 (summary, feature detail, trends, models, features) this plugin reads. */
export const MIN_SERVER_VERSION = '0.1.0';

/** Compares dotted numeric versions (pre-release suffixes ignored): negative when a < b. */
export function compareVersions(a: string, b: string): number {
  const parts = (version: string) =>
    version
      .split('-')[0]
      .split('.')
      .map((part) => Number.parseInt(part, 10) || 0);
  const [left, right] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const difference = (left[i] ?? 0) - (right[i] ?? 0);
    if (difference !== 0) {
      return difference;
    }
  }
  return 0;
}

const error = (message: string): TestDataSourceResponse => ({ status: 'error', message });

function readTokenMessage(failure: DriftApiError): string {
  switch (failure.kind) {
    case 'unauthenticated':
      return 'drift-server rejected the read token (401: unknown or revoked). Create one with `drift-server token create --scope read`.';
    case 'forbidden':
      return `The read token lacks the "read" scope (403): ${failure.message}`;
    default:
      return `Reading from drift-server failed: ${failure.message}`;
  }
}

type TokenCheck = { ok: boolean; note: string };

/**
 * An admin token is refused in either slot: Grafana sends the read token for every Viewer and the
 * operate token for every Editor, so through this data source each of them would act as
 * drift-server's administrator (list and revoke tokens, read the audit log; with the operate
 * token also create tokens and delete models).
 */
function adminRefusal(slot: 'read' | 'operate', name: string): TokenCheck {
  const who = slot === 'read' ? 'Viewer' : 'Editor';
  const scopes = slot === 'read' ? '"read"' : '"read" and "operate"';
  return {
    ok: false,
    note:
      `The ${slot} token "${name}" has scope "admin": Grafana sends it for every ${who}, who would then act as ` +
      `drift-server's administrator through this data source. Use a token with only ${scopes}: ` +
      `\`drift-server token create --scope ${slot === 'read' ? 'read' : 'read operate'} --name grafana-${slot}\`.`,
  };
}

/** The read token's scopes: admin is refused; what it can read was proven by the call before. */
async function checkReadTokenScopes(api: DriftApi): Promise<TokenCheck> {
  const { name, scopes } = await api.whoami(ROUTES.read);
  return scopes.includes('admin') ? adminRefusal('read', name) : { ok: true, note: 'read token OK.' };
}

/** Asks drift-server who the operate token is: unknown, without scope operate, or admin are each worth saying. */
async function checkOperateToken(api: DriftApi): Promise<TokenCheck> {
  try {
    const { name, scopes } = await api.whoami(ROUTES.operateWhoami);
    if (scopes.includes('admin')) {
      return adminRefusal('operate', name);
    }
    if (scopes.includes('operate')) {
      return { ok: true, note: `Operate token "${name}" OK.` };
    }
    const held = scopes.map((scope) => `"${scope}"`).join(', ') || 'none';
    return {
      ok: false,
      note:
        `The operate token "${name}" lacks the "operate" scope (it has ${held}): Editors cannot schedule retraining. ` +
        'Create one with `drift-server token create --scope read operate --name grafana-operate`.',
    };
  } catch (caught) {
    const failure = toDriftApiError(caught);
    if (failure.kind === 'unauthenticated') {
      return { ok: true, note: 'Operate token missing or rejected (401): Editors cannot schedule retraining.' };
    }
    return { ok: true, note: `Operate token not checked: ${failure.message}` };
  }
}

export async function checkHealth(
  api: DriftApi,
  serverUrl: string | undefined,
  minimumVersion = MIN_SERVER_VERSION
): Promise<TestDataSourceResponse> {
  if (!serverUrl) {
    return error('Set the drift-server URL, as the Grafana server reaches it (for example http://drift-server:8080).');
  }
  let version: string;
  try {
    version = (await api.health()).version;
  } catch (caught) {
    const failure = toDriftApiError(caught);
    return error(
      failure.kind === 'unreachable'
        ? `Cannot reach drift-server at ${serverUrl} from the Grafana server: ${failure.message}`
        : `${serverUrl}/healthz did not answer as drift-server does: ${failure.message}`
    );
  }
  if (!version || compareVersions(version, minimumVersion) < 0) {
    return error(`drift-server ${version || '(no version)'} is too old: this plugin needs ${minimumVersion} or newer.`);
  }
  let read: TokenCheck;
  try {
    await api.openApiDocument();
    read = await checkReadTokenScopes(api);
  } catch (caught) {
    return error(readTokenMessage(toDriftApiError(caught)));
  }
  const operate = await checkOperateToken(api);
  return {
    status: read.ok && operate.ok ? 'success' : 'error',
    message: `Connected to drift-server ${version}: ${read.note} ${operate.note}`,
  };
}
