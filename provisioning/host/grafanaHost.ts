import { readFileSync } from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import { parse } from 'yaml';
import { GrafanaDataProxy, GrafanaUser, ProxyRoute } from '../../datasource-plugin/src/test-support/grafanaDataProxy';
import { interpolate } from '../test/support/env';

const REPO = path.resolve(__dirname, '..', '..');

/** The built plugins Grafana would find in its plugin folder: id → dist/. */
export const PLUGINS = {
  'driftguard-drift-datasource': path.join(REPO, 'datasource-plugin', 'dist'),
  'driftguard-drift-panel': path.join(REPO, 'panel-plugin', 'dist'),
} as const;
type PluginId = keyof typeof PLUGINS;

const DASHBOARDS = path.join(REPO, 'provisioning', 'grafana', 'dashboards', 'driftguard');
/** The icons @grafana/ui draws, which Grafana serves from its own build (public/build/img/icons/). */
const ICONS = path.join(REPO, 'node_modules', '@grafana', 'ui', 'dist', 'public', 'img', 'icons');
const DATASOURCES = path.join(REPO, 'provisioning', 'grafana', 'datasources', 'driftguard.yaml');

export const USERS: Record<string, GrafanaUser & { name: string }> = {
  'erin.editor': { login: 'erin.editor', name: 'Erin Editor', role: 'Editor' },
  'victor.viewer': { login: 'victor.viewer', name: 'Victor Viewer', role: 'Viewer' },
  // A Grafana server admin whose role in this organisation is Viewer.
  'sam.serveradmin': { login: 'sam.serveradmin', name: 'Sam Serveradmin', role: 'Viewer', isGrafanaAdmin: true },
};
/** The session cookie Grafana sets at login; the host reads the user from it. */
export const SESSION_COOKIE = 'grafana_session';

export interface ProxiedRequest {
  method: string;
  /** Path after the data source's proxy URL, e.g. read/api/v1/models/x/summary. */
  path: string;
  user: string;
  status: number;
}

export interface GrafanaHost {
  /** Where Grafana answers: origin plus appSubUrl, without a trailing slash. */
  url: string;
  origin: string;
  /** Every data proxy request since the last clear. */
  proxied: ProxiedRequest[];
  close(): Promise<void>;
}

export interface HostOptions {
  /** `[server] root_url`'s path, e.g. "/grafana" (served from the sub-path); "" at the root. */
  appSubUrl: string;
  /** The environment Grafana's provisioning reads (DRIFTGUARD_URL, tokens). */
  environment: Record<string, string>;
  /** `[dataproxy] send_user_header`. */
  sendUserHeader: boolean;
  /** The bundled shell (shell.tsx). */
  shell: string;
}

interface ProvisionedDataSource {
  name: string;
  uid: string;
  type: PluginId;
  jsonData: Record<string, unknown>;
  secureJsonData: Record<string, string>;
}

function pluginJson(
  id: PluginId
): Record<string, unknown> & { routes?: ProxyRoute[]; name: string; info: Record<string, unknown> } {
  return JSON.parse(readFileSync(path.join(PLUGINS[id], 'plugin.json'), 'utf8'));
}

/**
 * A plugin's meta as Grafana's frontend settings give it (pkg/api/frontendsettings.go): `module` is
 * relative, so the plugin loader prefixes it with appSubUrl (public/app/features/plugins/loader/utils.ts
 * resolveModulePath).
 */
function pluginMeta(id: PluginId) {
  const json = pluginJson(id);
  return {
    ...json,
    id,
    module: `public/plugins/${id}/module.js`,
    baseUrl: `public/plugins/${id}`,
    loadingStrategy: 'fetch',
  };
}

/** The provisioned DriftGuard data source, environment variables replaced as Grafana's provisioning does. */
function provisionedDataSource(environment: Record<string, string>): ProvisionedDataSource {
  const config = parse(interpolate(readFileSync(DATASOURCES, 'utf8'), environment)) as {
    datasources: ProvisionedDataSource[];
  };
  return config.datasources[0];
}

/**
 * What Grafana puts in `window.grafanaBootData` (pkg/api/index.go, frontendsettings.go): the user
 * with the org role, appSubUrl, and each data source's instance settings, whose `url` is the proxy
 * path WITHOUT the sub-path.
 */
function bootData(
  user: (typeof USERS)[string],
  options: HostOptions,
  dataSource: ProvisionedDataSource,
  theme: string
) {
  return {
    user: {
      id: 1,
      login: user.login,
      name: user.name,
      orgId: 1,
      orgRole: user.role,
      isGrafanaAdmin: user.isGrafanaAdmin === true,
      isSignedIn: true,
      theme,
      timezone: 'utc',
    },
    settings: {
      appSubUrl: options.appSubUrl,
      appUrl: `http://grafana.test${options.appSubUrl}/`,
      buildInfo: { version: '12.4.2' },
      datasources: {
        [dataSource.name]: {
          id: 1,
          uid: dataSource.uid,
          type: dataSource.type,
          name: dataSource.name,
          access: 'proxy',
          url: `/api/datasources/proxy/uid/${dataSource.uid}`,
          jsonData: dataSource.jsonData,
          readOnly: true,
          isDefault: false,
          meta: pluginMeta(dataSource.type),
        },
      },
      panels: { 'driftguard-drift-panel': pluginMeta('driftguard-drift-panel') },
      featureToggles: {},
    },
    navTree: [],
  };
}

function indexPage(options: HostOptions, data: unknown): string {
  // Grafana's index.html: <base href> is the sub-path, so relative URLs (backendSrv's) carry it.
  // public/app/index.ts sets __grafana_public_path__ (the public folder below the sub-path), where
  // @grafana/ui's Icon fetches its SVGs (components/Icon/utils.ts getIconRoot).
  return `<!doctype html><html><head><meta charset="utf-8"><base href="${options.appSubUrl}/"><title>Grafana</title></head>
<body><div id="reactRoot"></div>
<script>window.grafanaBootData = ${JSON.stringify(data)}; window.__grafana_public_path__ = '${options.appSubUrl}/public/';</script>
<script src="${options.appSubUrl}/public/build/shell.js"></script></body></html>`;
}

function cookie(request: http.IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

function readBody(request: http.IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(chunks.length > 0 ? Buffer.concat(chunks) : undefined));
    request.on('error', reject);
  });
}

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
};

/**
 * The Grafana server side the plugins meet: index page with boot data, plugin assets from dist/,
 * the provisioned dashboard, and the data source proxy with the built plugin.json's routes
 * (GrafanaDataProxy) and the provisioned data source's settings. Under a sub-path everything
 * answers below it only, as Grafana with `serve_from_sub_path` does.
 */
export async function startGrafanaHost(options: HostOptions): Promise<GrafanaHost> {
  const dataSource = provisionedDataSource(options.environment);
  const proxy = new GrafanaDataProxy(
    pluginJson(dataSource.type).routes ?? [],
    { jsonData: dataSource.jsonData, secureJsonData: dataSource.secureJsonData },
    { sendUserHeader: options.sendUserHeader }
  );
  const proxyPrefix = `${options.appSubUrl}/api/datasources/proxy/uid/${dataSource.uid}/`;
  const proxied: ProxiedRequest[] = [];

  const server = http.createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://grafana.test');
    const user = USERS[cookie(request, SESSION_COOKIE) ?? ''] ?? USERS['victor.viewer'];
    if (!url.pathname.startsWith(`${options.appSubUrl}/`)) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found');
      return;
    }
    const local = url.pathname.slice(options.appSubUrl.length);
    if (url.pathname.startsWith(proxyPrefix)) {
      const answer = await proxy.handle(
        {
          method: request.method ?? 'GET',
          path: url.pathname.slice(proxyPrefix.length),
          query: url.search.slice(1),
          headers: Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)])),
          body: await readBody(request),
        },
        user
      );
      proxied.push({
        method: request.method ?? 'GET',
        path: url.pathname.slice(proxyPrefix.length),
        user: user.login,
        status: answer.status,
      });
      response.writeHead(answer.status, answer.headers).end(answer.body);
      return;
    }
    const asset = /^\/public\/plugins\/([^/]+)\/(.+)$/.exec(local);
    if (asset && asset[1] in PLUGINS && !asset[2].includes('..')) {
      try {
        const body = readFileSync(path.join(PLUGINS[asset[1] as PluginId], asset[2]));
        response
          .writeHead(200, { 'content-type': CONTENT_TYPES[path.extname(asset[2])] ?? 'application/octet-stream' })
          .end(body);
      } catch {
        response.writeHead(404).end();
      }
      return;
    }
    const icon = /^\/public\/build\/img\/icons\/([\w-]+\/[\w-]+\.svg)$/.exec(local);
    if (icon) {
      try {
        response.writeHead(200, { 'content-type': 'image/svg+xml' }).end(readFileSync(path.join(ICONS, icon[1])));
      } catch {
        response.writeHead(404).end();
      }
      return;
    }
    if (local === '/public/build/shell.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(options.shell);
      return;
    }
    const dashboard = /^\/api\/dashboards\/uid\/([\w-]+)$/.exec(local);
    if (dashboard) {
      try {
        const json = JSON.parse(
          readFileSync(path.join(DASHBOARDS, `${dashboard[1].replace('driftguard-', '')}.json`), 'utf8')
        );
        response
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ dashboard: json, meta: { canEdit: false } }));
      } catch {
        response
          .writeHead(404, { 'content-type': 'application/json' })
          .end(JSON.stringify({ message: 'Dashboard not found' }));
      }
      return;
    }
    if (local.startsWith('/api/') || local.startsWith('/public/')) {
      response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Not found' }));
      return;
    }
    // Every other path is the single-page app; its router decides what to show.
    const theme = url.searchParams.get('theme') === 'light' ? 'light' : 'dark';
    response
      .writeHead(200, { 'content-type': 'text/html' })
      .end(indexPage(options, bootData(user, options, dataSource, theme)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: `${origin}${options.appSubUrl}`,
    proxied,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
