import { demoScenario, DemoScenario } from '../../src/demo';
import { startTestServer, TestServer, TOKENS } from '../api/harness';
import { toNdjson } from '../api/data';
import { HOUR_MS, DAY_MS } from '../../src/time';

export interface DemoServer {
  readonly t: TestServer;
  readonly scenario: DemoScenario;
}

/** The scenario's last days, all of them within the income attack of scenario 2 (days 80–89). */
const LOADED_DAYS = 10;
const NDJSON = { 'content-type': 'application/x-ndjson' };

export interface DemoPlacement {
  /** When the scenario's last day ends (epoch ms); by default two hours from now, so every metrics window of a test run lies inside it. */
  readonly lastDayEnd?: number;
  /** The clock the server's /metrics reads (default: the real one). */
  readonly clock?: () => number;
}

/**
 * A drift-server over a fresh DuckDB file with demo scenario 2 loaded through the REST API: the
 * model, its reference, and the last days of production, all inside the income attack.
 */
export async function startDemoServer(
  env: Record<string, string> = {},
  placement: DemoPlacement = {}
): Promise<DemoServer> {
  const t = await startTestServer(env, {}, undefined, { clock: placement.clock });
  const lastDayEnd = placement.lastDayEnd ?? Math.ceil(Date.now() / HOUR_MS) * HOUR_MS + 2 * HOUR_MS;
  const scenario = demoScenario(2, { start: new Date(lastDayEnd - 90 * DAY_MS) });
  const post = async (path: string, body: string, headers: Record<string, string>, token: string) => {
    const response = await t.call(`/api/v1/models/${scenario.modelId}${path}`, {
      method: 'POST',
      body,
      headers,
      token,
    });
    if (response.status !== 201) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
  };
  const registered = await t.call('/api/v1/models', {
    method: 'POST',
    body: JSON.stringify({ id: scenario.modelId, ...scenario.model }),
    headers: { 'content-type': 'application/json' },
    token: TOKENS.admin,
  });
  if (registered.status !== 201) throw new Error(`POST /models: ${registered.status} ${await registered.text()}`);
  await post('/references', toNdjson(scenario.reference()), NDJSON, TOKENS.ingest);
  for (let day = scenario.days - LOADED_DAYS; day < scenario.days; day += 1) {
    await post('/predictions', toNdjson(scenario.productionDay(day).rows), NDJSON, TOKENS.ingest);
  }
  return { t, scenario };
}
