import { BackendSrvRequest, FetchError, FetchResponse } from '@grafana/runtime';
import { from, Observable } from 'rxjs';

/** In the harness page: `fetch` to the harness server, which applies plugin.json routes like Grafana's data proxy. */
export class FetchBackendSrv {
  fetch<T>(options: BackendSrvRequest): Observable<FetchResponse<T>> {
    return from(this.send<T>(options));
  }

  private async send<T>(options: BackendSrvRequest): Promise<FetchResponse<T>> {
    const query = new URLSearchParams(options.params).toString();
    const response = await fetch(`${options.url}${query ? `?${query}` : ''}`, { method: options.method ?? 'GET' });
    const text = await response.text();
    let data: unknown = text;
    try {
      data = JSON.parse(text);
    } catch {
      // Grafana keeps non-JSON bodies as text too.
    }
    if (!response.ok) {
      const error: FetchError = { status: response.status, statusText: response.statusText, data, config: options };
      throw error;
    }
    return {
      data: data as T,
      status: response.status,
      statusText: response.statusText,
      ok: true,
      headers: response.headers,
      url: options.url,
      config: options,
      redirected: false,
      type: 'basic',
    };
  }
}
