import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { runDebianTool } from '../../drift-server/test/metrics/promtool';
import { ALERT_RECEIVER_ROUTE } from '../../drift-server/src/api/routes/alerts';
import { loadCompose } from './support/compose';
import { environmentReferences } from './support/env';
import { stringsIn } from './support/files';
import {
  alertRules,
  allPanels,
  BUILT_IN_DATASOURCE_UIDS,
  contactPoints,
  dataSources,
  messageTemplates,
  policyTrees,
  providedDashboards,
  Route,
  ruleGroups,
} from './support/grafana';
import { driftguardSeriesIn, knownSeriesNames } from './support/promql';

const amtool = (args: string[]) => runDebianTool('amtool', 'prometheus-alertmanager', args);
const rules = alertRules();
const receivers = contactPoints();
const [policy] = policyTrees();

function routesOf(route: Route): Route[] {
  return [route, ...(route.routes ?? []).flatMap(routesOf)];
}

/** The receivers an alert with these labels reaches, following Alertmanager's matching and `continue`. */
function receiversFor(labels: Readonly<Record<string, string>>, route: Route = policy): string[] {
  const matches = (child: Route) =>
    (child.object_matchers ?? []).every(([name, operator, value]) => {
      const actual = labels[name] ?? '';
      if (operator === '=') return actual === value;
      if (operator === '!=') return actual !== value;
      const regex = new RegExp(`^(?:${value})$`);
      return operator === '=~' ? regex.test(actual) : !regex.test(actual);
    });
  const reached: string[] = [];
  for (const child of route.routes ?? []) {
    if (!matches(child)) continue;
    reached.push(...receiversFor(labels, child));
    if (!child.continue) break;
  }
  return reached.length > 0 ? reached : [route.receiver as string];
}

/**
 * The states Grafana accepts (pkg/services/ngalert/models/alert_rule.go, NoDataStateFromString and
 * ErrStateFromString; provisioning reads them in pkg/services/provisioning/alerting/rules_types.go).
 */
const NO_DATA_STATES = ['Alerting', 'NoData', 'OK', 'KeepLast'];
const EXEC_ERR_STATES = ['Alerting', 'Error', 'OK', 'KeepLast'];

describe('alert rules', () => {
  it('are the four DriftGuard rules, with unique uids, evaluated every minute', () => {
    expect(rules.map((rule) => rule.uid).sort()).toEqual([
      'driftguard-accuracy-drop',
      'driftguard-feature-psi',
      'driftguard-model-health',
      'driftguard-predictions-stale',
    ]);
    for (const group of ruleGroups()) expect(group.interval).toBe('1m');
  });

  it('never resolve a drift alert because data stopped, and alert on missing data only in the staleness rule', () => {
    // With KeepLast, a NoData or Error result keeps every existing instance's state (Grafana applies
    // it to all instances of the rule: pkg/services/ngalert/state/manager.go setNextStateForRule,
    // state.go resultKeepLast); the drift series never vanish while drift-server is scraped.
    for (const rule of rules) {
      expect([
        rule.uid,
        NO_DATA_STATES.includes(rule.noDataState),
        EXEC_ERR_STATES.includes(rule.execErrState),
      ]).toEqual([rule.uid, true, true]);
      const expected = rule.labels.kind === 'freshness' ? ['Alerting', 'Alerting'] : ['KeepLast', 'KeepLast'];
      expect([rule.uid, rule.noDataState, rule.execErrState]).toEqual([rule.uid, ...expected]);
    }
    expect(rules.filter((rule) => rule.labels.kind === 'freshness').map((rule) => rule.uid)).toEqual([
      'driftguard-predictions-stale',
    ]);
  });

  it('query only provisioned data sources and have a condition among their queries', () => {
    const uids = new Set([...dataSources().map((source) => source.uid), ...BUILT_IN_DATASOURCE_UIDS]);
    for (const rule of rules) {
      for (const query of rule.data)
        expect([rule.uid, query.datasourceUid, uids.has(query.datasourceUid)]).toEqual([
          rule.uid,
          query.datasourceUid,
          true,
        ]);
      expect(rule.data.map((query) => query.refId)).toContain(rule.condition);
      expect(rule.data.some((query) => query.datasourceUid === 'prometheus')).toBe(true);
    }
  });

  it('query only metrics drift-server defines', async () => {
    const known = await knownSeriesNames();
    for (const rule of rules) {
      for (const query of rule.data.filter((candidate) => candidate.model.expr)) {
        for (const name of driftguardSeriesIn(query.model.expr ?? ''))
          expect([rule.uid, name, known.has(name)]).toEqual([rule.uid, name, true]);
      }
    }
  });

  it('link to a provisioned dashboard panel', () => {
    const dashboards = providedDashboards(loadCompose());
    for (const rule of rules) {
      const dashboard = dashboards.find((candidate) => candidate.dashboard.uid === rule.dashboardUid)?.dashboard;
      const panel = dashboard && allPanels(dashboard).find((candidate) => candidate.id === rule.panelId);
      expect([rule.uid, panel?.type]).toEqual([rule.uid, 'timeseries']);
    }
  });

  it('carry a severity and the DriftGuard component label, with no "$" Grafana would take for an environment variable', () => {
    for (const rule of rules) {
      expect(rule.labels).toEqual({
        severity: expect.stringMatching(/^(warning|critical)$/),
        component: 'driftguard',
        kind: expect.stringMatching(/^(drift|health|accuracy|freshness)$/),
      });
      expect(Object.values(rule.labels).join('')).not.toContain('$');
      for (const annotation of Object.values(rule.annotations))
        expect(environmentReferences(annotation, true)).toEqual([]);
      expect(rule.annotations.summary).toContain('{{ $labels.model }}');
    }
  });
});

/**
 * The contact point every Grafana organisation starts with (the default Alertmanager configuration
 * of pkg/services/ngalert/notifier): the root of the tree keeps it, so alerts that are not
 * DriftGuard's go where they would without DriftGuard.
 */
const GRAFANA_DEFAULT_RECEIVER = 'grafana-default-email';
const DRIFTGUARD_RECEIVERS = {
  warning: ['DriftGuard retrain webhook', 'DriftGuard Slack', 'DriftGuard email'],
  critical: ['DriftGuard retrain webhook', 'DriftGuard PagerDuty', 'DriftGuard Slack'],
};
/** Who an alert reaches: people by severity, and drift-server's retrain loop unless it only says data stopped. */
function expectedReceivers(labels: Readonly<Record<string, string>>): string[] {
  const receivers = DRIFTGUARD_RECEIVERS[labels.severity as 'warning' | 'critical'];
  return labels.kind === 'freshness'
    ? receivers.filter((receiver) => receiver !== 'DriftGuard retrain webhook')
    : receivers;
}
const OTHER_TEAMS_ALERTS: Record<string, string>[] = [
  { alertname: 'DatasourceError', grafana_folder: 'Payments', severity: 'critical' },
  { alertname: 'DatasourceNoData', grafana_folder: 'Payments' },
  { alertname: 'HighLatency', team: 'checkout', severity: 'warning' },
];

describe('notification policy', () => {
  it("is one tree whose receivers are provisioned contact points, or Grafana's default at the root", () => {
    expect(policyTrees()).toHaveLength(1);
    expect(policy.receiver).toBe(GRAFANA_DEFAULT_RECEIVER);
    const names = new Set(receivers.map((receiver) => receiver.name));
    for (const route of routesOf(policy).slice(1))
      if (route.receiver) expect([route.receiver, names.has(route.receiver)]).toEqual([route.receiver, true]);
  });

  it('sends every DriftGuard alert to people by severity, and all but the staleness alert to the retrain webhook', () => {
    for (const rule of rules)
      expect([rule.uid, receiversFor(rule.labels)]).toEqual([rule.uid, expectedReceivers(rule.labels)]);
    expect(receiversFor(rules.find((rule) => rule.labels.kind === 'freshness')?.labels ?? {})).not.toContain(
      'DriftGuard retrain webhook'
    );
  });

  it("leaves other teams' alerts (DatasourceError too) to the root, never to a DriftGuard contact point", () => {
    for (const labels of OTHER_TEAMS_ALERTS)
      expect([labels.alertname, receiversFor(labels)]).toEqual([labels.alertname, [GRAFANA_DEFAULT_RECEIVER]]);
  });

  it('routes the same in Alertmanager itself (amtool config routes test on the tree as Alertmanager configuration)', () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'driftguard-routes-'));
    try {
      const toAlertmanager = (route: Route): Record<string, unknown> => ({
        receiver: route.receiver,
        ...(route.object_matchers
          ? {
              matchers: route.object_matchers.map(
                ([name, operator, value]) => `${name}${operator}${JSON.stringify(value)}`
              ),
            }
          : {}),
        ...(route.continue ? { continue: true } : {}),
        ...(route.routes ? { routes: route.routes.map(toAlertmanager) } : {}),
      });
      const names = [GRAFANA_DEFAULT_RECEIVER, ...receivers.map((receiver) => receiver.name)];
      const config = path.join(directory, 'alertmanager.yml');
      fs.writeFileSync(
        config,
        stringify({ route: toAlertmanager(policy), receivers: names.map((name) => ({ name })) })
      );
      const routed = (labels: Record<string, string>) => {
        const result = amtool([
          'config',
          'routes',
          'test',
          `--config.file=${config}`,
          ...Object.entries(labels).map(([name, value]) => `${name}=${value}`),
        ]);
        expect(result.status).toBe(0);
        return result.output
          .split('\n')[0]
          .split(',')
          .map((receiver) => receiver.trim());
      };
      for (const rule of rules)
        expect([rule.uid, routed(rule.labels)]).toEqual([rule.uid, expectedReceivers(rule.labels)]);
      for (const labels of OTHER_TEAMS_ALERTS)
        expect([labels.alertname, routed(labels)]).toEqual([labels.alertname, [GRAFANA_DEFAULT_RECEIVER]]);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('contact points', () => {
  const receiver = (type: string) =>
    receivers.flatMap((point) => point.receivers).find((candidate) => candidate.type === type);

  it('cover Slack, email, PagerDuty and the retrain webhook, with unique uids', () => {
    const all = receivers.flatMap((point) => point.receivers);
    expect(all.map((candidate) => candidate.type).sort()).toEqual(['email', 'pagerduty', 'slack', 'webhook']);
    expect(new Set(all.map((candidate) => candidate.uid)).size).toBe(all.length);
  });

  it("post to drift-server's Grafana alert receiver with the operate token", () => {
    expect(receiver('webhook')?.settings).toMatchObject({
      url: '${DRIFTGUARD_URL}/api/v1/alerts/grafana',
      httpMethod: 'POST',
      authorization_scheme: 'Bearer',
      authorization_credentials: '$DRIFTGUARD_OPERATE_TOKEN',
    });
  });

  it('post to the route on which drift-server receives Grafana alerts, with the method it answers', () => {
    const settings = receiver('webhook')?.settings;
    const url = String(settings?.url);
    expect(url.startsWith('${DRIFTGUARD_URL}/')).toBe(true);
    expect(ALERT_RECEIVER_ROUTE.path.test(url.slice('${DRIFTGUARD_URL}'.length))).toBe(true);
    expect(settings?.httpMethod).toBe(ALERT_RECEIVER_ROUTE.method);
  });

  it('take every address and secret from the environment', () => {
    expect(receiver('slack')?.settings.url).toMatch(/^\$\w+$/);
    expect(receiver('email')?.settings.addresses).toMatch(/^\$\w+$/);
    expect(receiver('pagerduty')?.settings.integrationKey).toMatch(/^\$\w+$/);
  });

  it('use only templates that are provisioned', () => {
    const defined = new Set(
      messageTemplates().flatMap((template) =>
        [...template.template.matchAll(/\{\{-? define "([^"]+)"/g)].map((match) => match[1])
      )
    );
    const used = stringsIn(receivers).flatMap((text) =>
      [...text.matchAll(/\{\{-? template "([^"]+)"/g)].map((match) => match[1])
    );
    const usedInside = messageTemplates().flatMap((template) =>
      [...template.template.matchAll(/\{\{-? template "([^"]+)"/g)].map((match) => match[1])
    );
    expect(used.length).toBeGreaterThan(0);
    for (const name of [...used, ...usedInside]) expect([name, defined.has(name)]).toEqual([name, true]);
  });
});
