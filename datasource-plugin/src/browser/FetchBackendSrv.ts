import { BackendSrvRequest, FetchResponse } from '@grafana/runtime';
import { from, Observable } from 'rxjs';
import { toFetchResponse } from '../test-support/fetchResponse';

/** In the harness page: `fetch` to the harness server, which applies plugin.json routes like Grafana's data proxy. */
export class FetchBackendSrv {
  fetch<T>(options: BackendSrvRequest): Observable<FetchResponse<T>> {
    return from(this.send<T>(options));
  }

  private async send<T>(options: BackendSrvRequest): Promise<FetchResponse<T>> {
    const query = new URLSearchParams(options.params).toString();
    const response = await fetch(`${options.url}${query ? `?${query}` : ''}`, { method: options.method ?? 'GET' });
    return toFetchResponse<T>(options, response.status, response.statusText, await response.text());
  }
}
