/**
 * The live demo measured: `drift-server demo --scenario 2 --live` and Debian's Prometheus with the
 * provisioned scrape job and the provisioned alert rules in Prometheus' format, run in real time;
 * every alert's pending and firing times are recorded from Prometheus' /api/v1/alerts. The result
 * is the "What fires when" table of docs/GRAFANA.md.
 *
 *   npm run live-run -w driftguard-provisioning                     (130 minutes, the feed stops after 10)
 *   LIVE_RUN_MINUTES=20 LIVE_STREAM_MINUTES=5 npm run live-run -w driftguard-provisioning
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { stringify } from 'yaml';
import { freePort } from '../../drift-server/test/metrics/prometheus-server';
import { readYaml, repoPath } from '../test/support/files';
import { alertRules } from '../test/support/grafana';
import { prometheusRuleGroups } from '../test/support/prometheus-rules';

const RUN_MINUTES = Number(process.env.LIVE_RUN_MINUTES ?? 130);
const STREAM_MINUTES = Number(process.env.LIVE_STREAM_MINUTES ?? 10);
const POLL_MS = 15_000;
const TOKEN = 'live-run-read-token-0123456789';
/** The accuracy rule's query: points under the reference accuracy. */
const ACCURACY_DROP =
  alertRules()
    .find((rule) => rule.uid === 'driftguard-accuracy-drop')
    ?.data.find((query) => query.refId === 'A')?.model.expr ?? '';

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  return exited;
}

interface PrometheusAlert {
  readonly labels: Record<string, string>;
  readonly state: 'pending' | 'firing';
  readonly activeAt: string;
}

type State = 'pending' | 'firing' | 'inactive';

/** One alert instance's history as the polls saw it: each change of state, in minutes since drift-server served. */
interface Instance {
  readonly alert: string;
  readonly labels: string;
  readonly changes: { minute: number; state: State }[];
}

function observe(instance: Instance, minute: number, state: State): void {
  if (instance.changes[instance.changes.length - 1]?.state !== state)
    instance.changes.push({ minute: Math.round(minute * 10) / 10, state });
}

async function main(): Promise<void> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'driftguard-live-run-'));
  const [serverPort, prometheusPort] = [await freePort(), await freePort()];
  const children: ChildProcess[] = [];
  try {
    const server = spawn(
      process.execPath,
      [
        repoPath('drift-server/bin/drift-server.cjs'),
        'demo',
        '--scenario',
        '2',
        '--live',
        '--stream-minutes',
        String(STREAM_MINUTES),
        '--db',
        path.join(directory, 'demo.duckdb'),
        '--port',
        String(serverPort),
      ],
      {
        env: {
          ...process.env,
          DRIFTGUARD_HOST: '127.0.0.1',
          DRIFTGUARD_TOKENS: `read=${TOKEN}`,
          DRIFTGUARD_LOG_REQUESTS: 'false',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      }
    );
    children.push(server);
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: server.stdout! }).on('line', (line) => {
        if (!line.startsWith('{')) process.stderr.write(`drift-server: ${line}\n`);
        if (line.startsWith('Live feed:')) resolve();
      });
      server.once('exit', (code) => reject(new Error(`drift-server exited with ${code}`)));
    });
    const servedAt = Date.now();
    const minutes = () => (Date.now() - servedAt) / 60_000;

    // The provisioned scrape job, pointed at this drift-server, with the provisioned rules.
    const config = readYaml<{
      global: Record<string, unknown>;
      scrape_configs: { static_configs: { targets: string[] }[] }[];
    }>('provisioning/prometheus/prometheus.yml');
    for (const job of config.scrape_configs)
      for (const group of job.static_configs) group.targets = [`127.0.0.1:${serverPort}`];
    fs.writeFileSync(path.join(directory, 'rules.yml'), stringify({ groups: prometheusRuleGroups() }));
    fs.writeFileSync(
      path.join(directory, 'prometheus.yml'),
      stringify({ ...config, rule_files: [path.join(directory, 'rules.yml')] })
    );
    const prometheus = spawn(
      'prometheus',
      [
        `--config.file=${path.join(directory, 'prometheus.yml')}`,
        `--storage.tsdb.path=${path.join(directory, 'tsdb')}`,
        `--web.listen-address=127.0.0.1:${prometheusPort}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] }
    );
    children.push(prometheus);
    const prometheusStartedMinute = minutes();

    const instances = new Map<string, Instance>();
    const query = async (expr: string) => {
      const response = await fetch(`http://127.0.0.1:${prometheusPort}/api/v1/query?query=${encodeURIComponent(expr)}`);
      return (
        (await response.json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } }
      ).data.result;
    };
    const figures: { minute: number; [name: string]: number }[] = [];
    while (minutes() < RUN_MINUTES) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      const answer = await fetch(`http://127.0.0.1:${prometheusPort}/api/v1/alerts`).then(
        (response) => response.json() as Promise<{ data: { alerts: PrometheusAlert[] } }>,
        () => undefined
      );
      if (!answer) continue;
      const now = minutes();
      const seen = new Set<string>();
      for (const alert of answer.data.alerts) {
        const { alertname, ...rest } = alert.labels;
        const labels = Object.entries(rest)
          .filter(([name]) => !['job', 'instance', 'component', 'severity', 'kind'].includes(name))
          .map(([name, value]) => `${name}=${value}`)
          .join(', ');
        const key = `${alertname} ${labels}`;
        seen.add(key);
        const instance = instances.get(key) ?? { alert: alertname, labels, changes: [] };
        instances.set(key, instance);
        observe(instance, now, alert.state);
      }
      for (const [key, instance] of instances) if (!seen.has(key)) observe(instance, now, 'inactive');
      const value = async (expr: string) => Number((await query(expr).catch(() => []))[0]?.value[1] ?? Number.NaN);
      figures.push({
        minute: Math.round(now * 10) / 10,
        income_critical_hours: (await value('driftguard_feature_critical_streak_seconds{feature="income"}')) / 3600,
        health: await value('driftguard_model_health_score'),
        accuracy_drop_points: await value(ACCURACY_DROP),
        newest_prediction_age_minutes:
          (await value('time() - driftguard_model_last_prediction_timestamp_seconds')) / 60,
      });
      process.stderr.write(
        `${now.toFixed(1)} min: ${[...instances.values()].map((i) => `${i.alert}[${i.labels}] ${i.changes[i.changes.length - 1].state}`).join('; ')}\n`
      );
    }
    const result = {
      run_minutes: RUN_MINUTES,
      stream_minutes: STREAM_MINUTES,
      prometheus_started_minute: prometheusStartedMinute,
      scrape_interval: config.global.scrape_interval,
      instances: [...instances.values()],
      figures,
    };
    const output = repoPath('provisioning/test-output/live-run.json');
    fs.mkdirSync(path.dirname(output), { recursive: true });
    fs.writeFileSync(output, `${JSON.stringify(result, null, 2)}\n`);
    const row = (i: Instance) =>
      `| ${i.alert} | ${i.labels || '(no series: absent)'} | ${i.changes.map(({ minute, state }) => `${minute} ${state}`).join(' → ')} |`;
    process.stdout.write(
      [
        '| alert | instance | minutes after drift-server served: state |',
        '|---|---|---|',
        ...[...instances.values()].map(row),
      ].join('\n') + `\n\nWritten to ${output}\n`
    );
  } finally {
    for (const child of children.reverse()) await stop(child);
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
