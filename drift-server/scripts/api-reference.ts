// Rewrites the route reference of docs/API.md from the OpenAPI document of a server started on a
// temporary database: `npm run docs:api -w drift-server`, after changing a route or a schema.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { apiReference, OpenApiDocument, withReference } from '../src/api/api-reference';
import { silentLogger } from '../src/logger';
import { loadConfig } from '../src/config';
import { startServer } from '../src/server';

export const API_PAGE = path.resolve(__dirname, '../../docs/API.md');

/** The OpenAPI document a fresh server serves. */
export async function servedDocument(): Promise<OpenApiDocument> {
  const directory = mkdtempSync(path.join(tmpdir(), 'driftguard-openapi-'));
  const server = await startServer(loadConfig({}, { port: 0, host: '127.0.0.1' }, directory), { logger: silentLogger });
  try {
    return (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as OpenApiDocument;
  } finally {
    await server.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

if (require.main === module) {
  servedDocument().then((document) => {
    writeFileSync(API_PAGE, withReference(readFileSync(API_PAGE, 'utf8'), apiReference(document)));
    process.stdout.write(`Rewrote the route reference of ${API_PAGE}\n`);
  });
}
