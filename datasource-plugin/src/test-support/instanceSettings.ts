import { DataSourceInstanceSettings, DataSourcePluginMeta } from '@grafana/data';
import pluginJson from '../plugin.json';
import { DriftDataSourceOptions } from '../types';

/** Grafana's proxy URL for a data source with uid `driftguard`: the routes of plugin.json hang under it. */
export const PROXY_URL = '/api/datasources/proxy/uid/driftguard';

/** The instance settings Grafana hands the data source with proxy access. */
export function instanceSettings(serverUrl: string): DataSourceInstanceSettings<DriftDataSourceOptions> {
  return {
    // Still required by the type in Grafana 12.
    id: 1,
    uid: 'driftguard',
    type: pluginJson.id,
    name: 'DriftGuard',
    access: 'proxy',
    url: PROXY_URL,
    jsonData: { serverUrl },
    readOnly: false,
    meta: pluginJson as unknown as DataSourcePluginMeta,
  };
}
