import { build } from 'esbuild';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import pluginJson from '../plugin.json';
import { TOKENS } from '../test-support/driftServer';
import { EDITOR, GrafanaDataProxy, ProxyRoute } from '../test-support/grafanaDataProxy';
import { PROXY_URL } from '../test-support/instanceSettings';

const PROXY_PREFIX = `${PROXY_URL}/`;
const PAGE =
  '<!doctype html><html><head><meta charset="utf-8"><title>DriftGuard test harness</title></head><body><div id="root"></div><script src="/harness.js"></script></body></html>';

/** Bundles a harness page script with esbuild: a plugin's own sources with the real @grafana/ui, React and Emotion. */
export async function bundleHarness(entry = path.join(__dirname, 'harness.tsx')): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    minify: false,
    define: { 'process.env.NODE_ENV': '"production"', global: 'window' },
    loader: { '.css': 'empty', '.svg': 'empty', '.woff': 'empty', '.woff2': 'empty', '.png': 'empty' },
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

export interface HarnessServer {
  url: string;
  close(): Promise<void>;
}

/** Serves the harness page and, under Grafana's proxy path, plugin.json routes to drift-server. */
export async function startHarnessServer(bundle: string, driftServerUrl: string): Promise<HarnessServer> {
  const proxy = new GrafanaDataProxy(
    pluginJson.routes as ProxyRoute[],
    {
      jsonData: { serverUrl: driftServerUrl },
      secureJsonData: { readToken: TOKENS.read, operateToken: TOKENS.operate },
    },
    { sendUserHeader: true }
  );
  const server = http.createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://harness');
    if (url.pathname.startsWith(PROXY_PREFIX)) {
      const chunks: Buffer[] = [];
      for await (const chunk of request) {
        chunks.push(chunk as Buffer);
      }
      // The browser's own headers and body go through, as Grafana's proxy forwards them.
      const headers = Object.fromEntries(
        Object.entries(request.headers).flatMap(([name, value]) => (typeof value === 'string' ? [[name, value]] : []))
      );
      const answer = await proxy.handle(
        {
          method: request.method ?? 'GET',
          path: url.pathname.slice(PROXY_PREFIX.length),
          query: url.search.slice(1),
          headers,
          body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
        },
        EDITOR
      );
      response.writeHead(answer.status, answer.headers).end(answer.body);
    } else if (url.pathname === '/harness.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
    } else if (url.pathname === '/') {
      response.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
