// Webhook sink for the docker-compose demo: stands in for Slack and PagerDuty so their notifications
// can be read without accounts. Logs each request as one JSON line and lists the latest at GET /.
import { createServer } from 'node:http';

const KEPT = 100;
const MAX_BODY_BYTES = 1024 * 1024;
const received = [];

export function startSink(port) {
  const server = createServer((request, response) => {
    if (request.method === 'GET') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(received, null, 2));
      return;
    }
    const chunks = [];
    let size = 0;
    request.on('data', (chunk) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body = text;
      try {
        body = JSON.parse(text);
      } catch {
        // Not JSON: kept as text.
      }
      const entry = { received_at: new Date().toISOString(), method: request.method, path: request.url, body };
      received.unshift(entry);
      received.length = Math.min(received.length, KEPT);
      process.stdout.write(`${JSON.stringify(entry)}\n`);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"ok":true}');
    });
  });
  return new Promise((resolve) => server.listen(port, () => resolve(server)));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.env.PORT ?? 8080);
  startSink(port).then((server) => process.stdout.write(`webhook sink listening on ${server.address().port}\n`));
}
