// Browser entry of the panel harness: a stand-in for Grafana's dashboard page. It provides the
// modules Grafana shares with plugins (the real @grafana/ui, React, Emotion…), loads the BUILT
// panel (dist/module.js, an AMD module, appended to this script), runs the panel's queries through
// the real DriftGuard data source against drift-server, and re-runs them when Analyze changes the URL.
import * as emotionCss from '@emotion/css';
import * as grafanaData from '@grafana/data';
import { createTheme, EventBusSrv, OrgRole, PanelPlugin, PanelProps, ThemeContext } from '@grafana/data';
import * as grafanaRuntime from '@grafana/runtime';
import {
  BackendSrv,
  config,
  DataSourceSrv,
  locationService,
  setBackendSrv,
  setDataSourceSrv,
  setTemplateSrv,
  TemplateSrv,
} from '@grafana/runtime';
import * as grafanaUi from '@grafana/ui';
import { GlobalStyles, PortalContainer } from '@grafana/ui';
import React from 'react';
import ReactDOM from 'react-dom';
import { createRoot } from 'react-dom/client';
import jsxRuntime from 'react/jsx-runtime';
import * as rxjs from 'rxjs';
import { FetchBackendSrv } from '../../../datasource-plugin/src/browser/FetchBackendSrv';
import { DataSource } from '../../../datasource-plugin/src/datasource';
import { instanceSettings } from '../../../datasource-plugin/src/test-support/instanceSettings';
import { TestTemplateSrv } from '../../../datasource-plugin/src/test-support/TestTemplateSrv';
import { queryPanelData, timeRange } from '../test-support/panelData';
import { panelQueries } from '../test-support/panelQueries';
import { TestDataSourceSrv } from '../test-support/TestDataSourceSrv';
import { DEFAULT_OPTIONS, DriftPanelOptions } from '../types';

const PANEL_WIDTH = 1200;
const PANEL_HEIGHT = 1500;
const HOUR_MS = 3_600_000;

const params = new URLSearchParams(window.location.search);
const theme = createTheme({ colors: { mode: params.get('theme') === 'light' ? 'light' : 'dark' } });
const range = timeRange(Number(params.get('from')), Number(params.get('to')));
config.bootData.user.orgRole = params.get('role') === 'Viewer' ? OrgRole.Viewer : OrgRole.Editor;

/** What Grafana shares with plugins (the externals of .config/bundler/externals.ts the panel uses). */
const SHARED_MODULES: Record<string, unknown> = {
  react: React,
  'react-dom': ReactDOM,
  'react/jsx-runtime': jsxRuntime,
  '@emotion/css': emotionCss,
  '@grafana/data': grafanaData,
  '@grafana/ui': grafanaUi,
  '@grafana/runtime': grafanaRuntime,
  rxjs,
  module: { uri: '/public/plugins/driftguard-drift-panel/module.js' },
};

let loaded: (plugin: PanelPlugin<DriftPanelOptions>) => void;
const panelPlugin = new Promise<PanelPlugin<DriftPanelOptions>>((resolve) => (loaded = resolve));

/** The AMD `define` Grafana's SystemJS loader offers module.js. */
function define(
  dependencies: string[],
  factory: (...modules: unknown[]) => { plugin: PanelPlugin<DriftPanelOptions> }
) {
  const missing = dependencies.filter((name) => !(name in SHARED_MODULES));
  if (missing.length > 0) {
    throw new Error(`The built panel imports modules Grafana does not share here: ${missing.join(', ')}`);
  }
  loaded(factory(...dependencies.map((name) => SHARED_MODULES[name])).plugin);
}
define.amd = true;
Object.assign(window, { define });

setBackendSrv(new FetchBackendSrv() as unknown as BackendSrv);
const datasource = new DataSource(instanceSettings(params.get('serverUrl') ?? ''));
setDataSourceSrv(new TestDataSourceSrv([datasource]) as unknown as DataSourceSrv);
locationService.partial({ 'var-feature': params.get('feature') ?? '' }, true);

/** The dashboard's variables from the URL, as Grafana keeps them; then the queries run with them. */
async function renderDashboard(root: ReturnType<typeof createRoot>) {
  const feature = String(locationService.getSearchObject()['var-feature'] ?? '');
  setTemplateSrv(new TestTemplateSrv({ model: params.get('model') ?? '', feature }) as unknown as TemplateSrv);
  const [plugin, data] = await Promise.all([panelPlugin, queryPanelData(datasource, panelQueries(), range, HOUR_MS)]);
  const Panel = plugin.panel as React.ComponentType<PanelProps<DriftPanelOptions>>;
  root.render(
    <ThemeContext.Provider value={theme}>
      <GlobalStyles />
      <div
        id="dashboard"
        data-feature={feature}
        style={{ background: theme.colors.background.primary, color: theme.colors.text.primary, padding: 16 }}
      >
        <div style={{ background: theme.colors.background.primary, border: `1px solid ${theme.colors.border.weak}` }}>
          <Panel
            id={16}
            data={data}
            timeRange={range}
            timeZone="utc"
            options={{ ...DEFAULT_OPTIONS }}
            transparent={false}
            width={PANEL_WIDTH}
            height={PANEL_HEIGHT}
            fieldConfig={{ defaults: {}, overrides: [] }}
            renderCounter={0}
            title="Features, deep dive and retrain advisor"
            eventBus={new EventBusSrv()}
            replaceVariables={(value) => grafanaRuntime.getTemplateSrv().replace(value)}
            onOptionsChange={() => undefined}
            onFieldConfigChange={() => undefined}
            onChangeTimeRange={() => undefined}
          />
        </div>
      </div>
      <PortalContainer />
    </ThemeContext.Provider>
  );
}

const root = createRoot(document.getElementById('root')!);
renderDashboard(root);
locationService.getHistory().listen(() => renderDashboard(root));
