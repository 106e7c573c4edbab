// The drift-server the benchmark measures, in its own process so its RSS is its own.
import { jsonLogger } from '../drift-server/src/logger';
import { loadConfig } from '../drift-server/src/config';
import { closeOnSignals, startServer } from '../drift-server/src/server';

async function run(): Promise<void> {
  const config = loadConfig(process.env, { port: 0, host: '127.0.0.1' });
  const logger = jsonLogger();
  // startServer logs {"message":"listening","port":…}, which the benchmark waits for.
  const server = await startServer({ ...config, logRequests: false }, { logger });
  await closeOnSignals(server, logger);
}

run().then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`${error.stack}\n`);
    process.exit(1);
  }
);
