import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { provisionDataSources, StoredDataSource } from './support/datasourceProvisioning';
import { REPO, readText } from './support/files';
import { BUILT_IN_DATASOURCE_UIDS, RuleGroup } from './support/grafana';

const GRAFANA_PROVISIONING = '/etc/grafana/provisioning';
const USER_PROMETHEUS_UID = 'team-prom-7f3a';

/** The shell block of docs/GRAFANA.md step 5 ("Provisioning files"), the exact steps a user runs. */
function documentedSteps(): string {
  const docs = readText('docs/GRAFANA.md');
  const section = docs.slice(docs.indexOf('## Add DriftGuard to an existing Grafana'), docs.indexOf('## Alert on PSI'));
  const step = section.slice(section.indexOf('5. **Provisioning files.**'), section.indexOf('6. **Restart Grafana**'));
  const block = /```sh\n([\s\S]*?)```/.exec(step)?.[1];
  if (!block) throw new Error('docs/GRAFANA.md step 5 has no sh block');
  return block.replace(/^ {3}/gm, '');
}

/** An organisation that already has a default Prometheus of its own, and another team's Loki. */
const EXISTING: StoredDataSource[] = [
  {
    orgId: 1,
    name: 'Prometheus',
    uid: USER_PROMETHEUS_UID,
    type: 'prometheus',
    url: 'http://prometheus.corp.internal:9090',
    isDefault: true,
    jsonData: { httpMethod: 'POST' },
  },
  { orgId: 1, name: 'Loki', uid: 'team-loki', type: 'loki', url: 'http://loki.corp.internal:3100', isDefault: false },
];
const ENVIRONMENT = {
  DRIFTGUARD_URL: 'http://drift-server.corp.internal:8080',
  DRIFTGUARD_READ_TOKEN: 'r'.repeat(24),
  DRIFTGUARD_OPERATE_TOKEN: 'o'.repeat(24),
};

describe('adding DriftGuard to an existing Grafana with the documented steps', () => {
  let root: string;
  let provisioning: string;
  let after: StoredDataSource[];

  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'driftguard-existing-grafana-'));
    provisioning = path.join(root, 'provisioning');
    for (const folder of ['datasources', 'dashboards', 'alerting'])
      mkdirSync(path.join(provisioning, folder), { recursive: true });
    // The user's own provisioning file for their Prometheus stays where it was.
    cpSync(
      path.join(__dirname, 'fixtures', 'existing-prometheus.yaml'),
      path.join(provisioning, 'datasources', 'prometheus.yaml')
    );
    const script = documentedSteps()
      .replace(/\bsudo /g, '')
      .replaceAll(GRAFANA_PROVISIONING, provisioning)
      .replace(/^PROMETHEUS_UID=.*$/m, `PROMETHEUS_UID=${USER_PROMETHEUS_UID}`);
    const run = spawnSync('bash', ['-euo', 'pipefail', '-c', script], { cwd: REPO, encoding: 'utf8' });
    expect([run.status, run.stderr]).toEqual([0, '']);
    after = provisionDataSources(path.join(provisioning, 'datasources'), EXISTING, ENVIRONMENT);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('copies no data source but DriftGuard', () => {
    const provisioned = readdirSync(path.join(provisioning, 'datasources')).sort();
    expect(provisioned).toEqual(['driftguard.yaml', 'prometheus.yaml']);
    expect(readFileSync(path.join(provisioning, 'datasources', 'prometheus.yaml'), 'utf8')).toBe(
      readFileSync(path.join(__dirname, 'fixtures', 'existing-prometheus.yaml'), 'utf8')
    );
  });

  it('leaves the existing Prometheus (url, uid, default) and every other data source exactly as they were', () => {
    for (const existing of EXISTING) expect(after.find((source) => source.name === existing.name)).toEqual(existing);
    expect(after.filter((source) => source.isDefault).map((source) => source.name)).toEqual(['Prometheus']);
  });

  it('adds DriftGuard pointing at drift-server', () => {
    expect(after.find((source) => source.name === 'DriftGuard')).toMatchObject({
      uid: 'driftguard',
      type: 'driftguard-drift-datasource',
      jsonData: { serverUrl: ENVIRONMENT.DRIFTGUARD_URL },
    });
  });

  it('leaves dashboards and alert rules naming only data sources the organisation has', () => {
    const uids = new Set([...after.map((source) => source.uid), ...BUILT_IN_DATASOURCE_UIDS]);
    const dashboards = readdirSync(path.join(provisioning, 'dashboards', 'driftguard')).map((file) =>
      readFileSync(path.join(provisioning, 'dashboards', 'driftguard', file), 'utf8')
    );
    const named = dashboards.flatMap((text) =>
      [...text.matchAll(/"datasource":\s*\{[^}]*"uid":\s*"([^"]+)"/g)].map((match) => match[1])
    );
    expect(named.length).toBeGreaterThan(0);
    for (const uid of named) expect([uid, uids.has(uid)]).toEqual([uid, true]);
    expect(named).toContain(USER_PROMETHEUS_UID);
    const rules = parse(readFileSync(path.join(provisioning, 'alerting', 'rules.yaml'), 'utf8')) as {
      groups: RuleGroup[];
    };
    const ruleUids = rules.groups.flatMap((group) =>
      group.rules.flatMap((rule) => rule.data.map((query) => query.datasourceUid))
    );
    for (const uid of ruleUids) expect([uid, uids.has(uid)]).toEqual([uid, true]);
    expect(ruleUids).toContain(USER_PROMETHEUS_UID);
  });

  it("would have taken over the user's Prometheus had the demo's Prometheus file been copied too (the emulation is really matching by name)", () => {
    cpSync(
      path.join(REPO, 'provisioning/grafana/datasources/prometheus.yaml'),
      path.join(root, 'demo-prometheus.yaml')
    );
    const folder = path.join(root, 'with-demo-prometheus');
    mkdirSync(folder);
    cpSync(path.join(root, 'demo-prometheus.yaml'), path.join(folder, 'prometheus.yaml'));
    const taken = provisionDataSources(folder, EXISTING, {
      ...ENVIRONMENT,
      DRIFTGUARD_PROMETHEUS_URL: 'http://prometheus:9090',
    });
    expect(taken.find((source) => source.name === 'Prometheus')).toMatchObject({
      uid: 'prometheus',
      url: 'http://prometheus:9090',
      isDefault: false,
    });
  });
});
