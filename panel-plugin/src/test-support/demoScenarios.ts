import { demoScenario, ScenarioNumber } from '../../../drift-server/src/demo';
import { TOKENS } from '../../../datasource-plugin/src/test-support/driftServer';
import { httpRequest } from '../../../datasource-plugin/src/test-support/http';

const DAY_MS = 86_400_000;

async function post(serverUrl: string, token: string, path: string, rows: unknown): Promise<void> {
  const response = await httpRequest(`${serverUrl}/api/v1${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(rows),
  });
  if (response.status >= 300) {
    throw new Error(`loading ${path} failed: ${response.status} ${response.body}`);
  }
}

/**
 * drift-server's demo scenario (the same model, reference and rows as `drift-server demo`, its 90
 * days ending at `endMs`), uploaded through the REST API like a serving system would. Only the
 * last `days` days of traffic are sent: enough for a dashboard week, a fraction of the load time.
 */
export async function loadDemoScenario(
  serverUrl: string,
  number: ScenarioNumber,
  endMs: number,
  days: number
): Promise<string> {
  const scenario = demoScenario(number, { start: new Date(endMs - 90 * DAY_MS) });
  await post(serverUrl, TOKENS.admin, '/models', { id: scenario.modelId, ...scenario.model });
  await post(serverUrl, TOKENS.ingest, `/models/${scenario.modelId}/references`, scenario.reference());
  for (let day = scenario.days - days; day < scenario.days; day += 1) {
    await post(serverUrl, TOKENS.ingest, `/models/${scenario.modelId}/predictions`, scenario.productionDay(day).rows);
  }
  return scenario.modelId;
}
