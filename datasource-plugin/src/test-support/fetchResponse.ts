import { BackendSrvRequest, FetchError, FetchResponse } from '@grafana/runtime';

/**
 * What Grafana's backendSrv.fetch makes of an HTTP answer: JSON bodies parsed (anything else kept
 * as text), a FetchError thrown for status ≥ 400, else a FetchResponse.
 */
export function toFetchResponse<T>(options: BackendSrvRequest, status: number, statusText: string, body: string): FetchResponse<T> {
  let data: unknown = body;
  try {
    data = JSON.parse(body);
  } catch {
    // Not JSON: kept as text, as Grafana does.
  }
  if (status >= 400) {
    const error: FetchError = { status, statusText, data, config: options };
    throw error;
  }
  // No response headers: the data source reads none, and jsdom has no Headers class.
  return { data: data as T, status, statusText, ok: true, url: options.url, config: options, redirected: false, type: 'basic' } as FetchResponse<T>;
}
