import { Buffer } from 'node:buffer';
import http from 'node:http';

export interface HttpResponse {
  status: number;
  statusText: string;
  contentType: string;
  body: string;
}

export interface RawHttpResponse {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: Buffer;
}

/** A plain HTTP/1.1 request with node:http, the body kept as bytes and every response header. */
export function rawHttpRequest(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}
): Promise<RawHttpResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: init.method ?? 'GET', headers: init.headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          statusText: response.statusMessage ?? '',
          headers: Object.fromEntries(
            Object.entries(response.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : String(value)])
          ),
          body: Buffer.concat(chunks),
        })
      );
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(init.body);
  });
}

/**
 * A plain HTTP/1.1 request with a text body: jest's jsdom environment has no global fetch, and the
 * same helper serves the data proxy emulation in the browser harness.
 */
export async function httpRequest(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {}
): Promise<HttpResponse> {
  const response = await rawHttpRequest(url, init);
  return {
    status: response.status,
    statusText: response.statusText,
    contentType: response.headers['content-type'] ?? '',
    body: response.body.toString('utf8'),
  };
}
