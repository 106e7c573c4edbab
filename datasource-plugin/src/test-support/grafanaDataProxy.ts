import { Buffer } from 'node:buffer';
import path from 'node:path';
import { RawHttpResponse, rawHttpRequest } from './http';

export interface ProxyRoute {
  path: string;
  method?: string;
  url?: string;
  reqRole?: string;
  headers?: Array<{ name: string; content: string }>;
}

export interface ProxiedDataSource {
  /** The data source's own URL (empty for DriftGuard: every call goes through a route). */
  url?: string;
  jsonData: Record<string, unknown>;
  secureJsonData: Record<string, string>;
}

export type GrafanaRole = 'None' | 'Viewer' | 'Editor' | 'Admin';
export interface GrafanaUser {
  login: string;
  /** The role in the organisation: the only role the data proxy looks at. */
  role: GrafanaRole;
  /** Server admin: a Grafana-wide flag that grants no org role. */
  isGrafanaAdmin?: boolean;
}

export const EDITOR: GrafanaUser = { login: 'erin.editor', role: 'Editor' };
export const VIEWER: GrafanaUser = { login: 'victor.viewer', role: 'Viewer' };

export interface ProxyRequest {
  method: string;
  /** The path after /api/datasources/proxy/uid/<uid>/, as the browser sent it. */
  path: string;
  /** The query string, without "?". */
  query: string;
  headers?: Record<string, string>;
  body?: Buffer;
}

export type ProxyAnswer = RawHttpResponse;

/** pkg/apimachinery/identity role precedence: RoleType.Includes compares these. */
const ROLE_PRECEDENCE: Record<string, number> = { None: 10, Viewer: 20, Editor: 30, Admin: 40 };
const TEMPLATE = /\{\{\s*\.(JsonData|SecureJsonData)\.(\w+)\s*\}\}/g;
/** Headers the reverse proxy drops before forwarding (pkg/util/proxyutil: PrepareProxyRequest, ds_proxy.go director). */
const DROPPED_REQUEST_HEADERS = ['cookie', 'x-grafana-user', 'origin', 'referer', 'x-forwarded-host', 'x-forwarded-port', 'x-forwarded-proto', 'host', 'connection', 'content-length'];

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

/** pkg/plugins CleanRelativePath: the cleaned path, relative, never above its root ("" for "."). */
export function cleanRelativePath(requested: string): string {
  const cleaned = path.posix.normalize(`/${requested}`).slice(1);
  return cleaned === '.' ? '' : cleaned.replace(/\/$/, '');
}

/** pkg/util JoinURLFragments: one slash between the route URL's path and the rest. */
export function joinUrlFragments(a: string, b: string): string {
  if (b.length === 0) {
    return a;
  }
  const aSlash = a.endsWith('/');
  const bSlash = b.startsWith('/');
  if (aSlash && bSlash) {
    return a + b.slice(1);
  }
  return !aSlash && !bSlash ? `${a}/${b}` : a + b;
}

/** pkg/apimachinery/identity RoleType.Includes. */
export function roleIncludes(role: GrafanaRole, required: string): boolean {
  return (ROLE_PRECEDENCE[role] ?? 0) >= (ROLE_PRECEDENCE[required] ?? Infinity);
}

/**
 * The route Grafana's data source proxy picks (pkg/api/pluginproxy/ds_proxy.go validateRequest):
 * the first route, in plugin.json order, whose method equals the request's (empty or "*" = any)
 * and whose cleaned path prefixes the cleaned request path.
 */
export function matchRoute(routes: ProxyRoute[], method: string, requestPath: string): ProxyRoute | undefined {
  const cleaned = cleanRelativePath(requestPath);
  return routes.find(
    (route) =>
      (!route.method || route.method === '*' || route.method === method) &&
      cleaned.startsWith(cleanRelativePath(route.path))
  );
}

function json(status: number, statusText: string, body: unknown): ProxyAnswer {
  return { status, statusText, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(body)) };
}

function text(status: number, statusText: string, body: string): ProxyAnswer {
  return { status, statusText, headers: {}, body: Buffer.from(body) };
}

/**
 * What Grafana's data source proxy does with a request and plugin.json routes, each step from its
 * Go source:
 * - pkg/api/pluginproxy/ds_proxy.go: route matching (matchRoute); `reqRole` against the user's ORG
 *   role with RoleType.Includes, a miss answered 403 {"message": "plugin proxy route access denied"}
 *   before the upstream is reached; an upstream 401 rewritten to 400 "Authentication to data source
 *   failed" so a bad data source token never logs the Grafana user out.
 * - pkg/api/pluginproxy/ds_auth_provider.go ApplyRoute: the route URL rendered from the data source
 *   settings, the request path after the route path joined to it (JoinURLFragments), the route
 *   headers rendered and *set* (replacing what the browser sent).
 * - pkg/util/proxyutil/proxyutil.go: cookies cleared; X-Grafana-User removed, then set to the login
 *   only with `[dataproxy] send_user_header = true`.
 * - pkg/util/proxyutil/reverse_proxy.go: Set-Cookie dropped from the answer, `Content-Security-Policy:
 *   sandbox` added; an unreachable upstream 502.
 */
export class GrafanaDataProxy {
  constructor(
    private readonly routes: ProxyRoute[],
    private readonly dataSource: ProxiedDataSource,
    private readonly options: { sendUserHeader: boolean }
  ) {}

  async handle(request: ProxyRequest, user: GrafanaUser): Promise<ProxyAnswer> {
    const route = matchRoute(this.routes, request.method, request.path);
    if (route?.reqRole && !roleIncludes(user.role, route.reqRole)) {
      return json(403, 'Forbidden', { message: 'plugin proxy route access denied' });
    }
    const base = route?.url ? renderRouteTemplate(route.url, this.dataSource) : this.dataSource.url;
    if (!base) {
      // No route matched and the data source has no URL of its own: nowhere to send it.
      return text(502, 'Bad Gateway', '');
    }
    const target = new URL(base);
    const rest = route ? request.path.slice(route.path.length) : request.path;
    target.pathname = joinUrlFragments(target.pathname === '/' && !base.endsWith('/') ? '' : target.pathname, rest);
    target.search = request.query;

    const headers = Object.fromEntries(
      Object.entries(request.headers ?? {}).filter(([name]) => !DROPPED_REQUEST_HEADERS.includes(name.toLowerCase()))
    );
    for (const header of route?.headers ?? []) {
      for (const name of Object.keys(headers)) {
        if (name.toLowerCase() === header.name.toLowerCase()) {
          delete headers[name];
        }
      }
      headers[header.name] = renderRouteTemplate(header.content, this.dataSource);
    }
    if (this.options.sendUserHeader) {
      headers['X-Grafana-User'] = user.login;
    }
    let upstream: ProxyAnswer;
    try {
      upstream = await rawHttpRequest(target.toString(), { method: request.method, headers, body: request.body });
    } catch {
      return text(502, 'Bad Gateway', '');
    }
    if (upstream.status === 401) {
      return text(400, 'Bad Request', 'Authentication to data source failed');
    }
    const answerHeaders = Object.fromEntries(Object.entries(upstream.headers).filter(([name]) => name !== 'set-cookie'));
    return { ...upstream, headers: { ...answerHeaders, 'content-security-policy': 'sandbox' } };
  }
}
