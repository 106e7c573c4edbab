// The Grafana frontend as the DriftGuard plugins meet it, in Chromium: boot data from the index page,
// the plugin loader (SystemJS with Grafana's shared modules), backendSrv, the data source service,
// template variables, link-click interception and the dashboard grid with panel chrome. Each
// behaviour follows the Grafana source file named beside it; the plugins are the built
// dist/module.js files, never their sources.
import * as emotionCss from '@emotion/css';
import * as grafanaData from '@grafana/data';
import {
  CoreApp,
  DataQueryRequest,
  DataQueryResponse,
  DataSourceApi,
  DataSourceInstanceSettings,
  DataSourcePlugin,
  dateMath,
  dateTime,
  EventBusSrv,
  FieldConfigProperty,
  LoadingState,
  locationUtil,
  MetricFindValue,
  PanelData,
  PanelPlugin,
  PanelProps,
  rangeUtil,
  standardEditorsRegistry,
  standardFieldConfigEditorRegistry,
  ThemeContext,
  TimeRange,
} from '@grafana/data';
import * as grafanaRuntime from '@grafana/runtime';
import {
  BackendSrvRequest,
  config,
  FetchError,
  FetchResponse,
  locationService,
  setBackendSrv,
  setDataSourceSrv,
  setTemplateSrv,
  BackendSrv,
  DataSourceSrv,
  TemplateSrv,
} from '@grafana/runtime';
import * as grafanaUi from '@grafana/ui';
import { GlobalStyles, PanelChrome, PortalContainer } from '@grafana/ui';
import React, { useEffect, useRef, useState } from 'react';
import * as ReactDOM from 'react-dom';
import { createRoot } from 'react-dom/client';
import * as jsxRuntime from 'react/jsx-runtime';
import * as rxjs from 'rxjs';
import * as rxjsOperators from 'rxjs/operators';
import { firstValueFrom, from, isObservable, lastValueFrom, Observable } from 'rxjs';
import { TestTemplateSrv } from '../../datasource-plugin/src/test-support/TestTemplateSrv';
// SystemJS last: its AMD extra defines a global `define`, and UMD modules evaluated after it (lodash
// behind @grafana/data) would register with it instead of exporting.
import 'systemjs/dist/system.js';
import 'systemjs/dist/extras/amd.js';

declare global {
  interface Window {
    System: {
      set(id: string, module: unknown): void;
      import(id: string): Promise<Record<string, unknown>>;
      addImportMap(map: { imports: Record<string, string> }): void;
      constructor: { prototype: { shouldFetch: (url: string) => boolean } };
    };
    /** What the test reads back: loaded plugins, refreshes, the data source instances. */
    host: {
      plugins: Record<string, { exportedPlugin: string; sharedDataInstance: boolean }>;
      refreshes: number;
      ready: boolean;
      errors: string[];
      getDataSource(uid: string): Promise<DataSourceApi>;
      panelPlugin?: PanelPlugin;
    };
  }
}

window.host = { plugins: {}, refreshes: 0, ready: false, errors: [], getDataSource: (uid) => dataSourceSrv.get(uid) };

// ---- public/app/app.ts: locationUtil learns appSubUrl; option editor registries are filled at boot.
locationUtil.initialize({
  config: config as unknown as Parameters<typeof locationUtil.initialize>[0]['config'],
  getTimeRangeForUrl: () => ({ from: 'now-7d', to: 'now' }),
  getVariablesUrlParams: () => ({}),
});

/**
 * Stand-ins for the option editors of public/app/core/components/OptionsUI/registry.tsx, by the same
 * ids: a plugin's option builders look them up (addRadio → standardEditorsRegistry.get('radio')), so
 * without them a panel plugin's defaults cannot even be read.
 */
const OPTION_EDITOR_IDS = [
  'text',
  'number',
  'slider',
  'boolean',
  'radio',
  'select',
  'multi-select',
  'unit',
  'color',
  'field-name',
  'links',
  'mappings',
  'thresholds',
  'stats-picker',
  'data-links',
  'actions',
  'dashboard-uid',
  'timezone',
  'fieldColor',
  'interval',
  'strings',
  'filter-field-name',
];
const OptionEditor = () => null;
standardEditorsRegistry.setInit(() => OPTION_EDITOR_IDS.map((id) => ({ id, name: id, editor: OptionEditor })));
/** The standard field config options every panel that opts in gets ("Standard options", "Overrides"). */
standardFieldConfigEditorRegistry.setInit(() =>
  Object.values(FieldConfigProperty).map((id) => ({
    id,
    path: id,
    name: id,
    editor: OptionEditor,
    override: OptionEditor,
    process: (value: unknown) => value,
    shouldApply: () => true,
  }))
);

// ---- public/app/core/services/backend_srv.ts: a local URL loses its leading "/" and so resolves
// against <base href> (the sub-path); objects go as JSON; !ok answers throw a FetchError whose
// string body becomes { message } (processRequestError).
class HostBackendSrv {
  fetch<T>(options: BackendSrvRequest): Observable<FetchResponse<T>> {
    return from(this.send<T>(options));
  }

  private async send<T>(options: BackendSrvRequest): Promise<FetchResponse<T>> {
    const local = options.url.startsWith('/') ? options.url.slice(1) : options.url;
    const params = options.params ? new URLSearchParams(options.params as Record<string, string>).toString() : '';
    const url = params ? `${local}${local.includes('?') ? '&' : '?'}${params}` : local;
    const headers: Record<string, string> = {
      'X-Grafana-Org-Id': String(config.bootData.user.orgId),
      ...(options.headers ?? {}),
    };
    let body: string | undefined;
    if (options.data !== undefined) {
      body = typeof options.data === 'string' ? options.data : JSON.stringify(options.data);
      headers['Content-Type'] = headers['Content-Type'] ?? 'application/json';
    }
    const response = await fetch(url, { method: options.method ?? 'GET', headers, body, credentials: 'same-origin' });
    const text = await response.text();
    let data: unknown = text;
    if ((response.headers.get('content-type') ?? '').includes('json')) {
      try {
        data = JSON.parse(text);
      } catch {
        // Not JSON after all: kept as text.
      }
    }
    if (!response.ok) {
      const error: FetchError = {
        status: response.status,
        statusText: response.statusText,
        data: typeof data === 'string' ? { message: data, error: response.statusText, response: data } : data,
        config: options,
      };
      throw error;
    }
    return {
      data: data as T,
      status: response.status,
      statusText: response.statusText,
      ok: true,
      headers: response.headers,
      url: response.url,
      type: response.type,
      redirected: response.redirected,
      config: options,
    };
  }
}
setBackendSrv(new HostBackendSrv() as unknown as BackendSrv);

// ---- public/app/features/plugins/loader/sharedDependencies.ts, utils.ts buildImportMap, plugin_loader:
// shared modules registered as "package:<name>" and mapped by an import map; plugins fetched and
// evaluated (loading strategy "fetch"); AMD through SystemJS's amd extra.
const SHARED: Record<string, unknown> = {
  '@emotion/css': emotionCss,
  '@grafana/data': grafanaData,
  '@grafana/runtime': grafanaRuntime,
  '@grafana/ui': grafanaUi,
  react: React,
  'react-dom': ReactDOM,
  'react/jsx-runtime': jsxRuntime,
  rxjs,
  'rxjs/operators': rxjsOperators,
};
const System = window.System;
for (const [name, module] of Object.entries(SHARED)) System.set(`package:${name}`, module);
System.addImportMap({ imports: Object.fromEntries(Object.keys(SHARED).map((name) => [name, `package:${name}`])) });
System.constructor.prototype.shouldFetch = () => true;

interface PluginMeta {
  id: string;
  module: string;
}

/** public/app/features/plugins/loader/utils.ts resolveModulePath: a relative module path gets appSubUrl. */
function resolveModulePath(modulePath: string): string {
  return modulePath.startsWith('http') || modulePath.startsWith('/')
    ? modulePath
    : `${config.appSubUrl ?? ''}/${modulePath}`;
}

/** public/app/features/plugins/importer/pluginImporter.ts: the module's `plugin` export, with its meta. */
async function importPlugin<P extends { meta?: unknown }>(meta: PluginMeta): Promise<P> {
  const module = await System.import(resolveModulePath(meta.module));
  const plugin = module.plugin as P | undefined;
  if (!plugin) throw new Error(`${meta.id}: missing export: plugin`);
  plugin.meta = meta;
  window.host.plugins[meta.id] = {
    exportedPlugin: plugin.constructor.name,
    // The plugin's classes come from the shared @grafana/data, not a copy of its own.
    sharedDataInstance: plugin instanceof DataSourcePlugin || plugin instanceof PanelPlugin,
  };
  return plugin;
}

// ---- public/app/features/plugins/datasource_srv.ts: one instance per data source, built from its
// instance settings with the plugin's DataSourceClass; components and meta attached.
class HostDataSourceSrv {
  private readonly instances = new Map<string, Promise<DataSourceApi>>();

  getInstanceSettings(ref?: string | { uid?: string } | null): DataSourceInstanceSettings | undefined {
    const uid = typeof ref === 'string' ? ref : ref?.uid;
    return Object.values(config.datasources).find((settings) => settings.uid === uid || settings.name === uid);
  }

  getList(): DataSourceInstanceSettings[] {
    return Object.values(config.datasources);
  }

  get(ref?: string | { uid?: string } | null): Promise<DataSourceApi> {
    const settings = this.getInstanceSettings(ref);
    if (!settings) return Promise.reject(new Error(`Datasource ${JSON.stringify(ref)} was not found`));
    let instance = this.instances.get(settings.uid);
    if (!instance) {
      instance = importPlugin<DataSourcePlugin<DataSourceApi>>(settings.meta as unknown as PluginMeta).then(
        (plugin) => {
          const created = new plugin.DataSourceClass(settings);
          created.components = plugin.components;
          created.meta = settings.meta;
          return created;
        }
      );
      this.instances.set(settings.uid, instance);
    }
    return instance;
  }
}
const dataSourceSrv = new HostDataSourceSrv();
setDataSourceSrv(dataSourceSrv as unknown as DataSourceSrv);

// ---- public/app/core/navigation/patch/interceptLinkClicks.ts, installed by app.ts: a click on an
// <a> with an href and no target is routed inside the app (preventDefault, locationService.push),
// whatever else the link says (download included).
document.addEventListener('click', (event: MouseEvent) => {
  const anchor = event.target instanceof HTMLElement ? event.target.closest('a') : null;
  if (event.ctrlKey || event.metaKey || event.defaultPrevented || !anchor) return;
  let href = anchor.getAttribute('href');
  if (!href || anchor.getAttribute('target')) return;
  event.preventDefault();
  href = locationUtil.stripBaseFromUrl(href);
  if (href[0] !== '/') {
    if (href.indexOf('://') > 0 || href.indexOf('mailto:') === 0) {
      window.location.href = href;
      return;
    }
    href = `/${href}`;
  }
  locationService.push(href);
});

// ---- Dashboard: public/app/core/constants.ts grid (24 columns, 30 px rows, 8 px margins),
// PanelQueryRunner's request (interval from the panel width and the range), variables from the URL.
const GRID_CELL_HEIGHT = 30;
const GRID_CELL_VMARGIN = 8;
const GRID_COLUMN_COUNT = 24;
/** Narrower dashboards put every panel at full width (grafana/scenes SceneGridLayout.buildGridLayout). */
const MOBILE_WIDTH = 768;

interface DashboardPanel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { type: string; uid: string };
  targets?: Array<{ refId: string; datasource?: { type: string; uid: string } } & Record<string, unknown>>;
  options?: Record<string, unknown>;
  fieldConfig?: { defaults: Record<string, unknown>; overrides: unknown[] };
  interval?: string;
}
interface Dashboard {
  uid: string;
  title: string;
  time: { from: string; to: string };
  panels: DashboardPanel[];
  templating: { list: Array<{ name: string; datasource: { uid: string }; query: Record<string, unknown> }> };
}

const theme = config.theme2;

function timeRange(dashboard: Dashboard): TimeRange {
  const search = locationService.getSearchObject();
  const raw = { from: String(search.from ?? dashboard.time.from), to: String(search.to ?? dashboard.time.to) };
  const parse = (text: string, roundUp: boolean) =>
    /^\d+$/.test(text) ? dateTime(Number(text)) : dateMath.parse(text, roundUp)!;
  return { from: parse(raw.from, false), to: parse(raw.to, true), raw };
}

/** Variable values from the URL (var-name), else the first value the data source lists, as Grafana's variables do. */
async function resolveVariables(dashboard: Dashboard, range: TimeRange): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  for (const variable of dashboard.templating.list) {
    setTemplateSrv(new TestTemplateSrv(values) as unknown as TemplateSrv);
    const datasource = await dataSourceSrv.get(variable.datasource.uid);
    const request = {
      targets: [{ refId: 'variable', ...variable.query }],
      range,
      scopedVars: {},
    } as unknown as DataQueryRequest;
    const answer = (await firstValueFrom(
      (datasource.variables as unknown as { query(r: DataQueryRequest): Observable<DataQueryResponse> }).query(request)
    )) as DataQueryResponse;
    const options = answer.data as MetricFindValue[];
    const fromUrl = locationService.getSearchObject()[`var-${variable.name}`];
    values[variable.name] = fromUrl !== undefined && fromUrl !== '' ? String(fromUrl) : String(options[0]?.value ?? '');
  }
  setTemplateSrv(new TestTemplateSrv(values) as unknown as TemplateSrv);
  return values;
}

async function runPanelQueries(panel: DashboardPanel, range: TimeRange, width: number): Promise<PanelData> {
  const datasource = await dataSourceSrv.get(panel.datasource?.uid ?? panel.targets?.[0]?.datasource?.uid);
  const { interval, intervalMs } = rangeUtil.calculateInterval(range, Math.max(width, 1), panel.interval);
  const request: DataQueryRequest = {
    app: CoreApp.Dashboard,
    requestId: `Q${panel.id}`,
    panelId: panel.id,
    dashboardUID: 'driftguard-model-health',
    range,
    interval,
    intervalMs,
    maxDataPoints: width,
    targets: (panel.targets ?? []).map((target) => ({ ...target, datasource: target.datasource ?? panel.datasource })),
    scopedVars: {
      __interval: { text: interval, value: interval },
      __interval_ms: { text: String(intervalMs), value: intervalMs },
    },
    timezone: 'utc',
    startTime: Date.now(),
  };
  const answer = datasource.query(request);
  const response = (isObservable(answer) ? await lastValueFrom(answer) : await answer) as DataQueryResponse;
  const errors = response.errors ?? (response.error ? [response.error] : []);
  return {
    state: LoadingState.Done,
    series: response.data,
    errors: errors.length > 0 ? errors : undefined,
    request,
    timeRange: range,
  };
}

/** Grafana's own timeseries panel is not ours: in its place, what it would be handed. */
function CorePanelData({ data }: { data: PanelData }) {
  return (
    <ul data-core-panel="timeseries" style={{ margin: 0, fontSize: 12 }}>
      {data.series.map((frame, index) => (
        <li
          key={index}
          data-frame={frame.name ?? frame.refId}
          data-points={frame.length}
          data-first-field={frame.fields[0]?.type}
        >
          {frame.refId} {frame.name}: {frame.length} points, fields{' '}
          {frame.fields.map((field) => `${field.name}${field.labels ? JSON.stringify(field.labels) : ''}`).join(', ')}
        </li>
      ))}
      {(data.errors ?? []).map((error, index) => (
        <li key={`e${index}`} data-error>
          {error.refId}: {error.message}
        </li>
      ))}
    </ul>
  );
}

interface Placement {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * Each panel's box in pixels for a dashboard `width` wide, as react-grid-layout places grid items
 * (lib/calculateUtils.js calcGridItemPosition, no container padding, Grafana's margins). Under 768 px
 * every panel is 24 columns wide, in order of position, so they stack (grafana/scenes
 * SceneGridLayout.buildGridLayout; react-grid-layout compacts them upwards).
 */
function placements(panels: DashboardPanel[], width: number): Map<number, Placement> {
  let stackedY = 0;
  const cells =
    width < MOBILE_WIDTH
      ? [...panels]
          .sort((a, b) => a.gridPos.y - b.gridPos.y || a.gridPos.x - b.gridPos.x)
          .map((panel) => {
            const cell = { id: panel.id, x: 0, y: stackedY, w: GRID_COLUMN_COUNT, h: panel.gridPos.h };
            stackedY += panel.gridPos.h;
            return cell;
          })
      : panels.map((panel) => ({ id: panel.id, ...panel.gridPos }));
  const columnWidth = (width - GRID_CELL_VMARGIN * (GRID_COLUMN_COUNT - 1)) / GRID_COLUMN_COUNT;
  const size = (cells: number, cell: number) => Math.round(cell * cells + Math.max(0, cells - 1) * GRID_CELL_VMARGIN);
  return new Map(
    cells.map((cell) => [
      cell.id,
      {
        left: Math.round((columnWidth + GRID_CELL_VMARGIN) * cell.x),
        top: Math.round((GRID_CELL_HEIGHT + GRID_CELL_VMARGIN) * cell.y),
        width: size(cell.w, columnWidth),
        height: size(cell.h, GRID_CELL_HEIGHT),
      },
    ])
  );
}

const isDriftGuardPanel = (panel: DashboardPanel) =>
  panel.type !== 'row' &&
  (panel.datasource?.uid === 'driftguard' ||
    (panel.targets ?? []).some((target) => target.datasource?.uid === 'driftguard'));

async function loadDashboard(): Promise<{ dashboard: Dashboard; panelPlugin: PanelPlugin }> {
  const answer = await lastValueFrom(
    grafanaRuntime
      .getBackendSrv()
      .fetch<{ dashboard: Dashboard }>({ url: '/api/dashboards/uid/driftguard-model-health' })
  );
  const panelPlugin = await importPlugin<PanelPlugin>(config.panels['driftguard-drift-panel'] as unknown as PluginMeta);
  window.host.panelPlugin = panelPlugin;
  return { dashboard: answer.data.dashboard, panelPlugin };
}

/**
 * The provisioned dashboard's DriftGuard panels, each from its own targets through the loaded data
 * source, sized for the dashboard's width at this refresh; a later resize re-lays them out without
 * querying again, as in Grafana.
 */
async function refresh(dashboard: Dashboard, width: number): Promise<Map<number, PanelData>> {
  const range = timeRange(dashboard);
  await resolveVariables(dashboard, range);
  const boxes = placements(dashboard.panels, width);
  const driftguard = dashboard.panels.filter(isDriftGuardPanel);
  const data = await Promise.all(driftguard.map((panel) => runPanelQueries(panel, range, boxes.get(panel.id)!.width)));
  window.host.refreshes += 1;
  return new Map(driftguard.map((panel, index) => [panel.id, data[index]]));
}

/** The width of an element's content box, followed as it changes (grafana/scenes measures the grid with react-use's useMeasure). */
function useMeasuredWidth(): [(element: HTMLElement | null) => void, number] {
  const [element, setElement] = useState<HTMLElement | null>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => setWidth(Math.round(entry.contentRect.width)));
    observer.observe(element);
    return () => observer.disconnect();
  }, [element]);
  return [setElement, width];
}

function DashboardPage() {
  const [state, setState] = useState<{
    dashboard: Dashboard;
    panelPlugin: PanelPlugin;
    data: Map<number, PanelData>;
  }>();
  const [location, setLocation] = useState(locationService.getLocation());
  const [measure, width] = useMeasuredWidth();
  const widthNow = useRef(width);
  widthNow.current = width;
  useEffect(
    () =>
      locationService.getHistory().listen((next: ReturnType<typeof locationService.getLocation>) => setLocation(next)),
    []
  );
  const onDashboard = location.pathname.startsWith('/d/driftguard-model-health');
  const search = location.search;
  const measured = width > 0;
  useEffect(() => {
    if (!onDashboard || !measured) return;
    let current = true;
    (state ? Promise.resolve(state) : loadDashboard())
      .then(async (loaded) => ({ ...loaded, data: await refresh(loaded.dashboard, widthNow.current) }))
      .then((next) => {
        if (current) {
          setState(next);
          window.host.ready = true;
        }
      })
      .catch((error: Error) => window.host.errors.push(error.message));
    return () => {
      current = false;
    };
    // A change of the URL's variables or range is a dashboard refresh; a change of width is not.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [onDashboard, search, measured]);

  if (!onDashboard) {
    // What Grafana's router shows for a path it has no page for.
    return <h1 data-page-not-found>Page not found</h1>;
  }
  if (!state) {
    return <div ref={measure}>Loading dashboard…</div>;
  }
  const Panel = state.panelPlugin.panel as React.ComponentType<PanelProps>;
  const range = timeRange(state.dashboard);
  const boxes = placements(state.dashboard.panels, width);
  const shown = state.dashboard.panels.filter((panel) => state.data.has(panel.id));
  const bottom = Math.max(...shown.map((panel) => boxes.get(panel.id)!.top + boxes.get(panel.id)!.height));
  return (
    <div ref={measure}>
      <div id="dashboard" data-width={width} style={{ position: 'relative', height: bottom }}>
        {shown.map((panel) => {
          const data = state.data.get(panel.id)!;
          const box = boxes.get(panel.id)!;
          return (
            <div
              key={panel.id}
              data-panel-id={panel.id}
              data-panel-type={panel.type}
              style={{ position: 'absolute', ...box }}
            >
              <PanelChrome
                width={box.width}
                height={box.height}
                title={String(grafanaRuntime.getTemplateSrv().replace(panel.title))}
              >
                {(innerWidth, innerHeight) =>
                  panel.type === state.panelPlugin.meta.id ? (
                    <div data-panel-content style={{ width: innerWidth, height: innerHeight }}>
                      <Panel
                        id={panel.id}
                        data={data}
                        timeRange={range}
                        timeZone="utc"
                        options={{ ...state.panelPlugin.defaults, ...panel.options }}
                        fieldConfig={
                          (panel.fieldConfig ?? { defaults: {}, overrides: [] }) as PanelProps['fieldConfig']
                        }
                        transparent={false}
                        width={innerWidth}
                        height={innerHeight}
                        renderCounter={0}
                        title={panel.title}
                        eventBus={new EventBusSrv()}
                        replaceVariables={(value, scopedVars) =>
                          grafanaRuntime.getTemplateSrv().replace(value, scopedVars)
                        }
                        onOptionsChange={() => undefined}
                        onFieldConfigChange={() => undefined}
                        onChangeTimeRange={() => undefined}
                      />
                    </div>
                  ) : (
                    <CorePanelData data={data} />
                  )
                }
              </PanelChrome>
            </div>
          );
        })}
      </div>
    </div>
  );
}

window.addEventListener('error', (event) => window.host.errors.push(event.message));
createRoot(document.getElementById('reactRoot')!).render(
  <ThemeContext.Provider value={theme}>
    <GlobalStyles />
    <div
      style={{
        background: theme.colors.background.canvas,
        color: theme.colors.text.primary,
        padding: 8,
        minHeight: '100vh',
      }}
    >
      <DashboardPage />
    </div>
    <PortalContainer />
  </ThemeContext.Provider>
);
