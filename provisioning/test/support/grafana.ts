import { ComposeFile, repositoryPathOf, service } from './compose';
import { filesIn, readJson, readYaml } from './files';

export const GRAFANA_PROVISIONING = 'provisioning/grafana';

export interface DataSource {
  readonly name: string;
  readonly uid: string;
  readonly type: string;
  readonly url?: string;
  readonly access: string;
  readonly orgId?: number;
  readonly isDefault?: boolean;
  readonly jsonData?: Readonly<Record<string, unknown>>;
  readonly secureJsonData?: Readonly<Record<string, string>>;
}

export interface DataSourceRef {
  readonly type: string;
  readonly uid: string;
}

export interface Target {
  readonly refId: string;
  readonly datasource?: DataSourceRef;
  readonly expr?: string;
  readonly queryType?: string;
  readonly [key: string]: unknown;
}

export interface Panel {
  readonly id: number;
  readonly type: string;
  readonly title: string;
  readonly datasource?: DataSourceRef;
  readonly gridPos: { readonly x: number; readonly y: number; readonly w: number; readonly h: number };
  readonly targets?: Target[];
  readonly panels?: Panel[];
}

export interface Variable {
  readonly name: string;
  readonly type: string;
  readonly datasource?: DataSourceRef;
  readonly query: unknown;
}

export interface Annotation {
  readonly name: string;
  readonly datasource: DataSourceRef;
  readonly builtIn?: number;
  readonly target?: Target;
}

export interface Dashboard {
  readonly uid: string;
  readonly title: string;
  readonly panels: Panel[];
  readonly templating: { readonly list: Variable[] };
  readonly annotations: { readonly list: Annotation[] };
}

export interface DashboardProvider {
  readonly name: string;
  readonly folder: string;
  readonly type: string;
  readonly options: { readonly path: string };
}

export interface AlertQuery {
  readonly refId: string;
  readonly datasourceUid: string;
  readonly model: {
    readonly expr?: string;
    readonly type?: string;
    readonly expression?: string;
    readonly conditions?: { readonly evaluator: { readonly type: string; readonly params: number[] } }[];
  };
}

export interface AlertRule {
  readonly uid: string;
  readonly title: string;
  readonly condition: string;
  readonly for: string;
  readonly noDataState: string;
  readonly execErrState: string;
  readonly dashboardUid?: string;
  readonly panelId?: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly data: AlertQuery[];
}

export interface RuleGroup {
  readonly name: string;
  readonly folder: string;
  readonly interval: string;
  readonly rules: AlertRule[];
}

export interface ContactPoint {
  readonly name: string;
  readonly receivers: {
    readonly uid: string;
    readonly type: string;
    readonly settings: Readonly<Record<string, string | boolean>>;
  }[];
}

export interface Route {
  readonly receiver?: string;
  readonly object_matchers?: [string, string, string][];
  readonly continue?: boolean;
  readonly routes?: Route[];
}

/** Every provisioning YAML file of one Grafana provisioning folder, parsed. */
export function provisioningFiles<T>(folder: string): { file: string; content: T }[] {
  return filesIn(`${GRAFANA_PROVISIONING}/${folder}`, ['.yaml', '.yml']).map((file) => ({
    file,
    content: readYaml<T>(file),
  }));
}

function collect<T>(folder: string, key: string): T[] {
  return provisioningFiles<Record<string, T[] | undefined>>(folder).flatMap(({ content }) => content[key] ?? []);
}

export const dataSources = () => collect<DataSource>('datasources', 'datasources');
export const dataSourceFiles = () => provisioningFiles<{ datasources: DataSource[] }>('datasources');
export const dashboardProviders = () => collect<DashboardProvider>('dashboards', 'providers');
export const ruleGroups = () => collect<RuleGroup>('alerting', 'groups');
export const contactPoints = () => collect<ContactPoint>('alerting', 'contactPoints');
export const policyTrees = () => collect<Route>('alerting', 'policies');
export const messageTemplates = () => collect<{ name: string; template: string }>('alerting', 'templates');
export const alertRules = () => ruleGroups().flatMap((group) => group.rules);

/** The dashboards each provider loads, found through the Grafana service's bind mounts as Grafana would find them. */
export function providedDashboards(compose: ComposeFile): { file: string; dashboard: Dashboard }[] {
  return dashboardProviders().flatMap((provider) => {
    const folder = repositoryPathOf(service(compose, 'grafana'), provider.options.path);
    if (!folder)
      throw new Error(
        `dashboard provider ${provider.name}: ${provider.options.path} is not mounted into the grafana service`
      );
    return filesIn(folder, ['.json']).map((file) => ({ file, dashboard: readJson<Dashboard>(file) }));
  });
}

/** Panels including those nested in collapsed rows. */
export function allPanels(dashboard: Dashboard): Panel[] {
  return dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
}

export interface PluginJson {
  readonly id: string;
  readonly type: string;
  readonly dependencies: { readonly grafanaDependency: string };
}

export const PLUGIN_FOLDERS = ['datasource-plugin', 'panel-plugin'] as const;

export function pluginJson(folder: (typeof PLUGIN_FOLDERS)[number]): PluginJson {
  return readJson<PluginJson>(`${folder}/src/plugin.json`);
}

export function pluginOfType(type: 'datasource' | 'panel'): PluginJson {
  const found = PLUGIN_FOLDERS.map(pluginJson).find((plugin) => plugin.type === type);
  if (!found) throw new Error(`no ${type} plugin in ${PLUGIN_FOLDERS.join(', ')}`);
  return found;
}

/** Grafana's built-in panel types (Grafana 12). */
export const CORE_PANEL_TYPES = new Set([
  'alertlist',
  'annolist',
  'barchart',
  'bargauge',
  'candlestick',
  'canvas',
  'dashlist',
  'datagrid',
  'flamegraph',
  'gauge',
  'geomap',
  'heatmap',
  'histogram',
  'logs',
  'news',
  'nodeGraph',
  'piechart',
  'row',
  'stat',
  'state-timeline',
  'status-history',
  'table',
  'text',
  'timeseries',
  'traces',
  'trend',
  'xychart',
]);

/** Data source uids Grafana provides itself: server-side expressions and the built-in annotation source. */
export const BUILT_IN_DATASOURCE_UIDS = new Set(['__expr__', '-- Grafana --']);
