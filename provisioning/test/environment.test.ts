import { environment, loadCompose, wrongServicePorts } from './support/compose';
import { environmentReferences, interpolate } from './support/env';
import { readText, stringsIn } from './support/files';
import { alertRules, contactPoints, dataSources, policyTrees } from './support/grafana';

const compose = loadCompose();
const grafanaEnvironment = environment(compose, 'grafana');
const guide = readText('docs/GRAFANA.md');

/** Provisioning values Grafana interpolates, as it interpolates them (see support/env.ts). */
const interpolated = [
  ...stringsIn(dataSources()),
  ...stringsIn(contactPoints()),
  ...stringsIn(policyTrees()),
  ...alertRules().flatMap((rule) => Object.values(rule.labels)),
];
const referenced = [
  ...new Set([
    ...interpolated.flatMap((value) => environmentReferences(value)),
    ...alertRules().flatMap((rule) =>
      Object.values(rule.annotations).flatMap((value) => environmentReferences(value, true))
    ),
  ]),
].sort();

describe('environment variables of the provisioning files', () => {
  it('are the documented set', () => {
    expect(referenced).toEqual([
      'DRIFTGUARD_ALERT_EMAILS',
      'DRIFTGUARD_OPERATE_TOKEN',
      'DRIFTGUARD_PAGERDUTY_INTEGRATION_KEY',
      'DRIFTGUARD_PAGERDUTY_URL',
      'DRIFTGUARD_PROMETHEUS_URL',
      'DRIFTGUARD_READ_TOKEN',
      'DRIFTGUARD_SLACK_WEBHOOK_URL',
      'DRIFTGUARD_URL',
    ]);
  });

  it('are all set for the grafana service of the compose demo', () => {
    for (const name of referenced)
      expect([name, grafanaEnvironment[name]]).toEqual([name, expect.stringMatching(/\S/)]);
  });

  it('resolve, in the compose demo, to services listening on the ports named', () => {
    for (const value of interpolated) {
      const resolved = interpolate(value, grafanaEnvironment);
      expect([resolved, wrongServicePorts(compose, resolved)]).toEqual([resolved, []]);
    }
  });

  it("are each explained in docs/GRAFANA.md, with the compose file's own settings", () => {
    const composeSettings = stringsIn(compose).flatMap((text) =>
      [...text.matchAll(/\$\{(\w+):-/g)].map((match) => match[1])
    );
    for (const name of new Set([...referenced, ...composeSettings]))
      expect([name, guide.includes(`\`${name}\``)]).toEqual([name, true]);
  });
});
