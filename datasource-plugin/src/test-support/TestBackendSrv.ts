import { Buffer } from 'node:buffer';
import { BackendSrv, BackendSrvRequest, FetchResponse } from '@grafana/runtime';
import { from, Observable } from 'rxjs';
import { toFetchResponse } from './fetchResponse';
import { GrafanaDataProxy, GrafanaUser } from './grafanaDataProxy';

/**
 * The one BackendSrv method the data source uses, `fetch`, answered by real HTTP through the
 * data proxy emulation: requests under the data source's proxy URL go through its plugin.json routes.
 */
export class TestBackendSrv implements Pick<BackendSrv, 'fetch'> {
  constructor(
    private readonly proxy: GrafanaDataProxy,
    private readonly proxyUrl: string,
    private readonly user: GrafanaUser
  ) {}

  fetch<T>(options: BackendSrvRequest): Observable<FetchResponse<T>> {
    return from(this.send<T>(options));
  }

  private async send<T>(options: BackendSrvRequest): Promise<FetchResponse<T>> {
    const prefix = `${this.proxyUrl}/`;
    if (!options.url.startsWith(prefix)) {
      throw new Error(`only the data source proxy is served here, not ${options.url}`);
    }
    // A URL may carry its own query string (report links do), as a browser would send it.
    const [urlPath, urlQuery = ''] = options.url.split('?');
    const query = [urlQuery, new URLSearchParams(options.params).toString()].filter(Boolean).join('&');
    // backendSrv sends an object body as JSON.
    const body = options.data === undefined ? undefined : Buffer.from(JSON.stringify(options.data));
    const response = await this.proxy.handle(
      {
        method: options.method ?? 'GET',
        path: urlPath.slice(prefix.length),
        query,
        headers: body ? { 'Content-Type': 'application/json' } : {},
        body,
      },
      this.user
    );
    return toFetchResponse<T>(options, response.status, response.statusText, response.body.toString('utf8'));
  }
}
