import http from 'node:http';

export interface HttpResponse {
  status: number;
  statusText: string;
  contentType: string;
  body: string;
}

/**
 * A plain HTTP/1.1 request with node:http: jest's jsdom environment has no global fetch, and the
 * same helper serves the data proxy emulation in the browser harness.
 */
export function httpRequest(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {}
): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: init.method ?? 'GET', headers: init.headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          statusText: response.statusMessage ?? '',
          contentType: String(response.headers['content-type'] ?? ''),
          body: Buffer.concat(chunks).toString('utf8'),
        })
      );
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(init.body);
  });
}
