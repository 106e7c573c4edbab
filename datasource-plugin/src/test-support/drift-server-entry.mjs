// Child process for tests: drift-server's own server factory, run from source by tsx so tests
// exercise the checkout as it is. Prints {"url": …} once listening; SIGTERM closes it gracefully.
import { loadConfig } from '../../../drift-server/src/config.ts';
import { startServer } from '../../../drift-server/src/server.ts';

const [dbPath] = process.argv.slice(2);
const server = await startServer(loadConfig(process.env, { dbPath, port: 0, host: '127.0.0.1' }));
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
process.once('SIGTERM', () => {
  server.close().then(() => process.exit(0));
});
