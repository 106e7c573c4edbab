import { signatureHeaders } from '../../src/engine/retraining/signature';
import type { TestServer } from '../api/harness';

export interface AlertInput {
  readonly status?: 'firing' | 'resolved';
  readonly labels: Record<string, string>;
  readonly startsAt: string;
  readonly fingerprint: string;
  readonly summary?: string;
}

/** One alert as Grafana's webhook contact point sends it, values and URLs included. */
function grafanaAlert({ status = 'firing', labels, startsAt, fingerprint, summary }: AlertInput) {
  return {
    status,
    labels,
    annotations: {
      summary: summary ?? `Feature ${labels.feature} of model ${labels.model} has drifted: PSI 0.412.`,
      description: 'PSI has stayed above 0.2 and above psi_critical for 6 hours.',
    },
    startsAt,
    endsAt: status === 'firing' ? '0001-01-01T00:00:00Z' : new Date(Date.parse(startsAt) + 3_600_000).toISOString(),
    generatorURL: 'http://localhost:3000/alerting/grafana/driftguard-feature-psi/view?orgId=1',
    fingerprint,
    silenceURL: `http://localhost:3000/alerting/silence/new?alertmanager=grafana&matcher=__alert_rule_uid__%3Ddriftguard-feature-psi&matcher=model%3D${labels.model}`,
    dashboardURL: 'http://localhost:3000/d/driftguard-model-health?orgId=1',
    panelURL: 'http://localhost:3000/d/driftguard-model-health?orgId=1&viewPanel=12',
    values: { A: 0.412, C: 1 },
    valueString: `[ var='A' labels={feature=${labels.feature}, model=${labels.model}} value=0.412 ], [ var='C' labels={feature=${labels.feature}, model=${labels.model}} value=1 ]`,
  };
}

/** The JSON body of Grafana alerting's webhook contact point (payload version 1) for these alerts. */
export function grafanaNotification(alerts: readonly AlertInput[]) {
  const status = alerts.some((alert) => (alert.status ?? 'firing') === 'firing') ? 'firing' : 'resolved';
  const common = alerts[0].labels;
  return {
    receiver: 'DriftGuard retrain webhook',
    status,
    orgId: 1,
    alerts: alerts.map(grafanaAlert),
    groupLabels: { alertname: common.alertname, model: common.model },
    commonLabels: common,
    commonAnnotations: {},
    externalURL: 'http://localhost:3000/',
    version: '1',
    groupKey: `{}/{component="driftguard"}:{alertname="${common.alertname}", model="${common.model}"}`,
    truncatedAlerts: 0,
    title: `[${status.toUpperCase()}:${alerts.length}] ${common.alertname}`,
    state: status === 'firing' ? 'alerting' : 'ok',
    message: `**${status === 'firing' ? 'Firing' : 'Resolved'}**\n\nValue: A=0.412, C=1`,
  };
}

/** A PSI alert of the provisioned rule, as Grafana labels it (rule labels plus the series' model and feature). */
export function psiAlert(
  model: string,
  feature: string,
  startsAt: string,
  fingerprint: string,
  status: 'firing' | 'resolved' = 'firing'
): AlertInput {
  return {
    status,
    labels: {
      alertname: 'DriftGuard feature drift (PSI)',
      component: 'driftguard',
      feature,
      grafana_folder: 'DriftGuard',
      model,
      severity: 'warning',
    },
    startsAt,
    fingerprint,
  };
}

export interface PostOptions {
  readonly token?: string | null;
  /** Signs the request with this secret instead of (or besides) a token. */
  readonly signWith?: string;
  /** An X-DriftGuard-Signature header to send as it is (without a timestamp). */
  readonly signature?: string;
  readonly headers?: Record<string, string>;
}

/** POSTs a notification to the receiver as Grafana would: JSON, with a token or a signature. */
export function postNotification(
  t: TestServer,
  body: unknown,
  { token, signWith, signature, headers = {} }: PostOptions = {}
) {
  const text = JSON.stringify(body);
  const path = '/api/v1/alerts/grafana';
  const signed =
    signature !== undefined
      ? { 'x-driftguard-signature': signature }
      : signWith === undefined
        ? {}
        : signatureHeaders(signWith, { method: 'POST', path, job: '', body: text }, Date.now());
  return t.json(path, {
    method: 'POST',
    body: text,
    token,
    headers: { 'content-type': 'application/json', ...signed, ...headers },
  });
}
