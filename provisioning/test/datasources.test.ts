import { environment, loadCompose } from './support/compose';
import { interpolate } from './support/env';
import { readText } from './support/files';
import { dataSourceFiles, dataSources, pluginOfType } from './support/grafana';

const compose = loadCompose();
const grafanaEnvironment = environment(compose, 'grafana');
const sources = dataSources();
const byUid = (uid: string) => sources.find((source) => source.uid === uid);

describe('provisioned data sources', () => {
  it('have unique uids and names', () => {
    expect(new Set(sources.map((source) => source.uid)).size).toBe(sources.length);
    expect(new Set(sources.map((source) => source.name)).size).toBe(sources.length);
  });

  it('include DriftGuard under the data source plugin\'s id with the fixed uid "driftguard"', () => {
    expect(byUid('driftguard')).toMatchObject({ type: pluginOfType('datasource').id, access: 'proxy' });
  });

  it('give DriftGuard its read and operate tokens from the environment, never in plain jsonData', () => {
    const driftguard = byUid('driftguard');
    expect(driftguard?.secureJsonData).toEqual({
      readToken: '${DRIFTGUARD_READ_TOKEN}',
      operateToken: '${DRIFTGUARD_OPERATE_TOKEN}',
    });
    expect(Object.keys(driftguard?.jsonData ?? {})).toEqual(['serverUrl']);
  });

  it("give DriftGuard every jsonData and secureJsonData setting the plugin's proxy routes use", () => {
    const driftguard = byUid('driftguard');
    const routes = readText('datasource-plugin/src/plugin.json');
    for (const [, section, key] of routes.matchAll(/\{\{\s*\.(JsonData|SecureJsonData)\.(\w+)\s*\}\}/g)) {
      const provisioned = section === 'JsonData' ? driftguard?.jsonData : driftguard?.secureJsonData;
      expect([section, key, provisioned?.[key] !== undefined]).toEqual([section, key, true]);
    }
  });

  it('include the demo\'s Prometheus with the fixed uid "prometheus", in its own file and not marked default', () => {
    expect(byUid('prometheus')).toMatchObject({ type: 'prometheus', access: 'proxy' });
    expect(byUid('prometheus')?.isDefault).toBeUndefined();
    expect(
      dataSourceFiles().map(({ file, content }) => [file, content.datasources.map((source) => source.name)])
    ).toEqual([
      ['provisioning/grafana/datasources/driftguard.yaml', ['DriftGuard']],
      ['provisioning/grafana/datasources/prometheus.yaml', ['Prometheus']],
    ]);
  });

  it('resolve, in the compose demo, to drift-server and Prometheus', () => {
    expect(interpolate(String(byUid('driftguard')?.jsonData?.serverUrl), grafanaEnvironment)).toMatch(
      /^http:\/\/drift-server:\d+$/
    );
    expect(interpolate(String(byUid('prometheus')?.url), grafanaEnvironment)).toMatch(/^http:\/\/prometheus:\d+$/);
  });
});
