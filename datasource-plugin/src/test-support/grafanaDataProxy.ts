import { HttpResponse, httpRequest } from './http';

export interface ProxyRoute {
  path: string;
  method?: string;
  url?: string;
  reqRole?: string;
  headers?: Array<{ name: string; content: string }>;
}

export interface ProxiedDataSource {
  jsonData: Record<string, unknown>;
  secureJsonData: Record<string, string>;
}

export type GrafanaRole = 'Viewer' | 'Editor' | 'Admin';
export interface GrafanaUser {
  login: string;
  role: GrafanaRole;
}

export const EDITOR: GrafanaUser = { login: 'erin.editor', role: 'Editor' };
export const VIEWER: GrafanaUser = { login: 'victor.viewer', role: 'Viewer' };

const ROLE_RANK: Record<string, number> = { Viewer: 1, Editor: 2, Admin: 3 };
const TEMPLATE = /\{\{\s*\.(JsonData|SecureJsonData)\.(\w+)\s*\}\}/g;

/**
 * Route templates as Grafana renders them (Go text/template over JsonData and SecureJsonData only):
 * a missing JsonData key renders "<no value>", a missing secret "". Anything else is refused, as
 * Grafana would fail to render it.
 */
export function renderRouteTemplate(template: string, dataSource: ProxiedDataSource): string {
  const rendered = template.replace(TEMPLATE, (_, scope: string, key: string) =>
    scope === 'JsonData' ? String(dataSource.jsonData[key] ?? '<no value>') : (dataSource.secureJsonData[key] ?? '')
  );
  if (rendered.includes('{{')) {
    throw new Error(`Grafana route templates only know .JsonData and .SecureJsonData: ${template}`);
  }
  return rendered;
}

function methodMatches(route: ProxyRoute, method: string): boolean {
  return (
    !route.method ||
    route.method === '*' ||
    route.method
      .split(',')
      .map((m) => m.trim())
      .includes(method)
  );
}

const json = (status: number, statusText: string, body: unknown): HttpResponse => ({
  status,
  statusText,
  contentType: 'application/json',
  body: JSON.stringify(body),
});

/**
 * What Grafana's data source proxy does with plugin.json routes (pkg/api/pluginproxy/ds_proxy.go):
 * first route whose method matches and whose path prefixes the request path; 403 when the user's
 * role is below reqRole; URL and headers rendered from the data source settings; the request body
 * passed on; X-Grafana-User
 * when [dataproxy] send_user_header is on; an upstream 401 becomes 400 "Authentication to data
 * source failed"; an unreachable upstream 502.
 */
export class GrafanaDataProxy {
  constructor(
    private readonly routes: ProxyRoute[],
    private readonly dataSource: ProxiedDataSource,
    private readonly options: { sendUserHeader: boolean }
  ) {}

  async handle(
    method: string,
    proxyPath: string,
    query: string,
    user: GrafanaUser,
    jsonBody?: string
  ): Promise<HttpResponse> {
    const route = this.routes.find(
      (candidate) => methodMatches(candidate, method) && proxyPath.startsWith(candidate.path)
    );
    if (!route?.url) {
      // This data source has no top-level URL, so an unmatched path has nowhere to go.
      return json(502, 'Bad Gateway', { message: 'no route matched and the data source has no URL' });
    }
    if (route.reqRole && ROLE_RANK[user.role] < ROLE_RANK[route.reqRole]) {
      return json(403, 'Forbidden', { message: 'plugin proxy route access denied' });
    }
    const target =
      renderRouteTemplate(route.url, this.dataSource) + proxyPath.slice(route.path.length) + (query ? `?${query}` : '');
    const headers = Object.fromEntries(
      (route.headers ?? []).map((header) => [header.name, renderRouteTemplate(header.content, this.dataSource)])
    );
    if (this.options.sendUserHeader) {
      headers['X-Grafana-User'] = user.login;
    }
    if (jsonBody !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    let upstream: HttpResponse;
    try {
      upstream = await httpRequest(target, { method, headers, body: jsonBody });
    } catch {
      return { status: 502, statusText: 'Bad Gateway', contentType: '', body: '' };
    }
    if (upstream.status === 401) {
      return { status: 400, statusText: 'Bad Request', contentType: '', body: 'Authentication to data source failed' };
    }
    return upstream;
  }
}
