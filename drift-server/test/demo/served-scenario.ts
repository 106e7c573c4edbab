import type { Environment } from '../../src/config';
import { DemoRow, DemoScenario, loadDemoScenario, ScenarioNumber } from '../../src/demo';
import { startTestServer, TestServer } from '../api/harness';
import { DAY_MS } from '../../src/time';

/** The end of the scenarios' 90 days: a midnight, so the last 7 days are days 83–89 exactly. */
export const END_MS = Date.UTC(2026, 10, 20);
export const WINDOW_DAYS = 7;
/** Loading 290 000 rows through the store takes 20 s alone on two cores, and longer beside other work. */
export const LOAD_TIMEOUT_MS = 300_000;
export const LAST_WEEK = `from=${new Date(END_MS - WINDOW_DAYS * DAY_MS).toISOString()}&to=${new Date(END_MS).toISOString()}`;
export const ALL_DAYS = `from=${new Date(END_MS - 90 * DAY_MS).toISOString()}&to=${new Date(END_MS).toISOString()}`;

export interface ServedScenario {
  readonly server: TestServer;
  /** The same rows the server holds, generated again for independent checks. */
  readonly scenario: DemoScenario;
  get<T = any>(path: string): Promise<T>;
}

/** A real server over a temp DuckDB file with one scenario loaded through the store's ingestion, as `drift-server demo` does. */
export async function serveScenario(number: ScenarioNumber, env: Environment = {}): Promise<ServedScenario> {
  // Raw rows are kept for all 90 days, which lie in the past: the retention sweep must leave them.
  const server = await startTestServer({ DRIFTGUARD_RAW_RETENTION_DAYS: '36500', ...env });
  const { scenario } = await loadDemoScenario(server.server.store, number, END_MS);
  return {
    server,
    scenario,
    async get(path) {
      const { status, body } = await server.json(`/api/v1/models/${scenario.modelId}/${path}`);
      if (status !== 200) throw new Error(`GET ${path}: ${status} ${JSON.stringify(body)}`);
      return body;
    },
  };
}

export function rowsOfDays(scenario: DemoScenario, first: number, last: number): DemoRow[] {
  const rows: DemoRow[] = [];
  for (let day = first; day <= last; day += 1) rows.push(...scenario.productionDay(day).rows);
  return rows;
}

export const shareRight = (rows: readonly DemoRow[]) =>
  rows.filter((row) => row.prediction === row.label).length / rows.length;
