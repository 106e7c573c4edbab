import { BackendSrv, setBackendSrv, setTemplateSrv, TemplateSrv } from '@grafana/runtime';
import pluginJson from '../plugin.json';
import { DataSource } from '../datasource';
import { DriftSecureJsonData } from '../types';
import { EDITOR, GrafanaDataProxy, GrafanaUser, ProxyRoute } from './grafanaDataProxy';
import { instanceSettings, PROXY_URL } from './instanceSettings';
import { TestBackendSrv } from './TestBackendSrv';
import { TestTemplateSrv } from './TestTemplateSrv';

export interface LiveSetup {
  serverUrl: string;
  secureJsonData: DriftSecureJsonData;
  user?: GrafanaUser;
  variables?: Record<string, string | string[]>;
}

/**
 * The data source as Grafana would build it, wired to a real drift-server through the data proxy
 * emulation and this plugin's own plugin.json routes.
 */
export function liveDataSource({ serverUrl, secureJsonData, user = EDITOR, variables = {} }: LiveSetup): DataSource {
  const proxy = new GrafanaDataProxy(
    pluginJson.routes as ProxyRoute[],
    { jsonData: { serverUrl }, secureJsonData: { ...secureJsonData } },
    { sendUserHeader: true }
  );
  setBackendSrv(new TestBackendSrv(proxy, PROXY_URL, user) as unknown as BackendSrv);
  setTemplateSrv(new TestTemplateSrv(variables) as unknown as TemplateSrv);
  return new DataSource(instanceSettings(serverUrl));
}
