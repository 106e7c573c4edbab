import { DataFrame } from '@grafana/data';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RunningDriftServer, startDriftServer, TOKENS } from '../test-support/driftServer';
import { liveDataSource } from '../test-support/liveDataSource';
import { fieldValues, queryRequest } from '../test-support/queries';

// Loading the 90-day demo (290 000 rows) through drift-server's ingestion takes half a minute or more on two cores.
jest.setTimeout(300_000);

const DAY_MS = 86_400_000;
const MODEL = 'credit-risk-sudden-drift';
const FEATURES = [
  'income',
  'age',
  'debt_ratio',
  'credit_history_months',
  'open_accounts',
  'employment_type',
  'loan_purpose',
];
/** The demo's scenario 2 changes income and debt ratio from day 80 (0-based) of its 90 days; nothing else. */
const ATTACK_START_DAY = 80;
const endMs = Math.floor(Date.now() / DAY_MS) * DAY_MS;
const startMs = endMs - 90 * DAY_MS;
const directory = mkdtempSync(path.join(tmpdir(), 'driftguard-annotations-'));
const databaseFile = path.join(directory, 'demo.duckdb');

/** drift-server's demo scenario 2 loaded into a database file by its own loader, run from source. */
function loadScenario(): void {
  const source = path.resolve(__dirname, '../../../drift-server/src');
  // CommonJS modules seen from ESM: their exports arrive on the default import.
  const script = `
    import config from '${source}/config.ts';
    import storeModule from '${source}/store/index.ts';
    import demo from '${source}/demo/load.ts';
    const { loadConfig } = config, { Store } = storeModule, { loadDemoScenario } = demo;
    const store = await Store.open(loadConfig(process.env, { dbPath: ${JSON.stringify(databaseFile)} }));
    await loadDemoScenario(store, 2, ${endMs});
    await store.close();`;
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    cwd: __dirname,
  });
  if (result.status !== 0) {
    throw new Error(`loading the demo failed: ${result.stderr}`);
  }
}

let server: RunningDriftServer;

beforeAll(async () => {
  loadScenario();
  server = await startDriftServer(databaseFile);
});

afterAll(async () => {
  await server?.stop();
  rmSync(directory, { recursive: true, force: true });
});

describe('drift-breach annotations on demo scenario 2 (sudden drift), hourly over its 90 days', () => {
  it('mark income and debt ratio from the hour the attack starts, and nothing before it or on the features it leaves alone', async () => {
    const datasource = liveDataSource({ serverUrl: server.url, secureJsonData: { readToken: TOKENS.read } });
    const { data, errors } = await datasource.query(
      queryRequest(
        FEATURES.map((feature) => ({
          refId: feature,
          queryType: 'annotations',
          kind: 'driftBreaches',
          model: MODEL,
          feature,
          interval: '1h',
        })),
        startMs,
        endMs
      )
    );
    expect(errors ?? []).toEqual([]);
    const breaches = Object.fromEntries(
      (data as DataFrame[]).map((frame) => [
        frame.refId,
        (fieldValues(frame, 'time') as number[]).map((time, index) => [
          time,
          (fieldValues(frame, 'timeEnd') as number[])[index],
        ]),
      ])
    );
    const attackMs = startMs + ATTACK_START_DAY * DAY_MS;
    expect(breaches.income).toEqual([[attackMs, endMs]]);
    expect(breaches.debt_ratio).toEqual([[attackMs, endMs]]);
    for (const feature of FEATURES.filter((name) => name !== 'income' && name !== 'debt_ratio')) {
      expect([feature, breaches[feature]]).toEqual([feature, []]);
    }
  });
});
