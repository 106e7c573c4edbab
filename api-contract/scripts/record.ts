// Records drift-server's answers to the reads the Grafana plugins make, from a real server (this
// checkout's source, a temporary DuckDB file) loaded with demo scenario 2 (sudden drift) through the
// REST API: the inputs of the plugins' golden frame tests. `npm run goldens` at the repository root
// runs this, then rewrites the goldens from the new recordings; `git diff` shows what moved.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../drift-server/src/config';
import { demoScenario, DEMO_DAYS } from '../../drift-server/src/demo';
import { silentLogger } from '../../drift-server/src/logger';
import { startServer } from '../../drift-server/src/server';
import { RECORDINGS_DIR, Recording } from '../test-support/recordings';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Traffic uploaded: the last two weeks of the scenario, which hold the drift from day 80 on. */
const DAYS_SENT = 14;
const TOKENS = { admin: 'record-admin-token-0123456789', read: 'record-read-token-0123456789' };

const scenario = demoScenario(2);
const endMs = scenario.start.getTime() + DEMO_DAYS * DAY_MS;
const week = { from: String(endMs - 7 * DAY_MS), to: String(endMs) };
const attackMs = endMs - 10 * DAY_MS;

async function main() {
  const recordingStartedMs = Date.now();
  const directory = mkdtempSync(path.join(tmpdir(), 'driftguard-record-'));
  const config = loadConfig(
    { DRIFTGUARD_TOKENS: `admin=${TOKENS.admin},read=${TOKENS.read}` },
    { port: 0, host: '127.0.0.1', dbPath: path.join(directory, 'drift.duckdb') },
    directory
  );
  const server = await startServer(config, { logger: silentLogger });
  const call = async (method: 'GET' | 'POST', apiPath: string, query: Record<string, string> = {}, body?: unknown) => {
    const search = new URLSearchParams(query).toString();
    const response = await fetch(`${server.url}/api/v1${apiPath}${search ? `?${search}` : ''}`, {
      method,
      headers: {
        authorization: `Bearer ${method === 'GET' ? TOKENS.read : TOKENS.admin}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = await response.json();
    if (!response.ok) {
      throw new Error(`${method} ${apiPath}: ${response.status} ${JSON.stringify(answer)}`);
    }
    return { request: { method, path: apiPath, query }, status: response.status, body: answer } satisfies Recording;
  };
  const recordings: Record<string, Recording> = {};
  const record = async (name: string, ...args: Parameters<typeof call>) => {
    recordings[name] = await call(...args);
    return recordings[name].body;
  };
  try {
    const model = `/models/${scenario.modelId}`;
    await call('POST', '/models', {}, { id: scenario.modelId, ...scenario.model });
    await call('POST', `${model}/references`, {}, scenario.reference());
    for (let day = scenario.days - DAYS_SENT; day < scenario.days; day += 1) {
      await call('POST', `${model}/predictions`, {}, scenario.productionDay(day).rows);
    }

    await record('summary', 'GET', `${model}/summary`, week);
    await record('recommendation', 'GET', `${model}/recommendation`, week);
    await record('feature-income', 'GET', `${model}/features/income`, week);
    await record('feature-employment-type', 'GET', `${model}/features/employment_type`, week);
    const fortnight = { from: String(endMs - DAYS_SENT * DAY_MS), to: String(endMs) };
    await record('trends-features-daily', 'GET', `${model}/trends`, {
      ...fortnight,
      interval: '1d',
      series: 'features',
    });
    await record('trends-model-daily', 'GET', `${model}/trends`, { ...fortnight, interval: '1d', series: 'model' });
    // Hourly around the attack's start: where the drift-breach annotations begin.
    const aroundAttack = { from: String(attackMs - 12 * HOUR_MS), to: String(attackMs + 36 * HOUR_MS) };
    await record('trends-income-hourly', 'GET', `${model}/trends`, {
      ...aroundAttack,
      interval: '1h',
      series: 'features',
      features: 'income,debt_ratio',
    });

    // Grafana's drift alert (the auto policy decides on the last 24 hours of the clock, which hold
    // no traffic here, so it schedules nothing); a job the simulated trainer runs to its end; then
    // a job scheduled for later and cancelled.
    await call('POST', '/alerts/grafana', {}, driftAlert(scenario.modelId, new Date(attackMs + 6 * HOUR_MS)));
    await call(
      'POST',
      `${model}/retrain-jobs`,
      {},
      {
        reason: 'Income drift since day 80',
        from: new Date(endMs - 7 * DAY_MS).toISOString(),
        to: new Date(endMs).toISOString(),
      }
    );
    await untilNoActiveJob(() => call('GET', `${model}/retrain-jobs`));
    const manual = await call(
      'POST',
      `${model}/retrain-jobs`,
      {},
      {
        reason: 'Quarterly refresh',
        scheduled_for: endMs + DAY_MS,
      }
    );
    await call('POST', `/retrain-jobs/${(manual.body as { id: string }).id}/cancel`, {}, {});
    await record('retrain-jobs', 'GET', `${model}/retrain-jobs`);
    await record('alerts', 'GET', `${model}/alerts`, { from: String(endMs - DAYS_SENT * DAY_MS), to: String(endMs) });

    mkdirSync(RECORDINGS_DIR, { recursive: true });
    const stable = stableAcrossRecordings(JSON.stringify(recordings), recordingStartedMs);
    for (const [name, recording] of Object.entries(JSON.parse(stable) as Record<string, Recording>)) {
      writeFileSync(path.join(RECORDINGS_DIR, `${name}.json`), `${JSON.stringify(recording, null, 2)}\n`);
    }
    process.stdout.write(`Recorded ${Object.keys(recordings).length} answers into ${RECORDINGS_DIR}\n`);
  } finally {
    await server.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const ISO_INSTANT = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/g;
/** Where the instants of the recording run are moved to: a fixed day, one second apart in their order. */
const RECORDED_AT_MS = Date.UTC(2026, 0, 1);

/**
 * The recordings with what changes from run to run made fixed: the random ids (job ids, alert ids)
 * numbered in their order of appearance, and the wall-clock instants of the run (created_at,
 * updated_at, received_at…) one second apart in their order, so re-recording the same code gives the
 * same files and `git diff` shows only what the code changed.
 */
function stableAcrossRecordings(text: string, startedMs: number): string {
  const ids = [...new Set(text.match(UUID) ?? [])];
  const runInstants = [...new Set(text.match(ISO_INSTANT) ?? [])]
    .filter((instant) => Date.parse(instant) >= startedMs)
    .sort();
  return text
    .replace(UUID, (id) => `00000000-0000-4000-8000-${String(ids.indexOf(id) + 1).padStart(12, '0')}`)
    .replace(ISO_INSTANT, (instant) =>
      runInstants.includes(instant)
        ? new Date(RECORDED_AT_MS + 1000 * runInstants.indexOf(instant)).toISOString()
        : instant
    );
}

/** The body of Grafana's webhook contact point for the provisioned PSI drift alert. */
function driftAlert(modelId: string, startsAt: Date) {
  return {
    receiver: 'DriftGuard retrain webhook',
    status: 'firing',
    alerts: [
      {
        status: 'firing',
        labels: {
          alertname: 'DriftGuard feature drift (PSI)',
          model: modelId,
          feature: 'income',
          severity: 'critical',
        },
        annotations: { summary: `Feature income of model ${modelId} has drifted.` },
        startsAt: startsAt.toISOString(),
        fingerprint: '5d1f0c2a9b7e3f41',
      },
    ],
  };
}

async function untilNoActiveJob(list: () => Promise<Recording>) {
  for (let attempt = 0; attempt < 120; attempt += 1) {
    const { jobs } = (await list()).body as { jobs: Array<{ status: string }> };
    if (jobs.length > 0 && jobs.every((job) => ['succeeded', 'failed', 'cancelled'].includes(job.status))) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error('the retrain job did not finish in 60 s');
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
