import { LiveFeed, ScenarioNumber, ScenarioTimeline } from '../../../drift-server/src/demo';
import { toNdjson } from '../../../drift-server/test/api/data';
import { startTestServer, TestServer, TOKENS } from '../../../drift-server/test/api/harness';
import { parseExposition } from '../../../drift-server/test/metrics/exposition';
import { driftguardSeriesIn } from './promql';
import { PrometheusRuleGroup } from './prometheus-rules';
import { DAY_MS } from '../../../drift-server/src/time';

import { MINUTE_MS } from '../../../drift-server/src/time';

export { MINUTE_MS };

/** The labels a scrape by the provisioned job adds (provisioning/prometheus/prometheus.yml). */
export const SCRAPE_LABELS = { job: 'driftguard', instance: 'drift-server:8080' } as const;

export interface TimelinePlan {
  readonly scenario: ScenarioNumber;
  /** When the simulation starts (minute 0): the scenario's timeline is placed by `timelineStartMs`. */
  readonly startMs: number;
  readonly timelineStartMs: number;
  /** Minutes scraped: minute 0 to this one. */
  readonly minutes: number;
  /** The minute after which no more predictions (or labels) are sent; undefined: never. */
  readonly stopMinute?: number;
  /** Minutes between the simulated pipeline's uploads. */
  readonly uploadEveryMinutes: number;
  readonly labelDelayMs: number;
  /** The model's monitoring.stale_after_minutes; undefined: the default. */
  readonly staleAfterMinutes?: number;
}

/** Samples per series key (`name{labels}`), one slot per simulated minute; undefined where the scrape had none. */
export interface ScrapedSeries {
  readonly minutes: number;
  readonly series: ReadonlyMap<string, (number | undefined)[]>;
}

const seriesKey = (name: string, labels: Readonly<Record<string, string>>) =>
  `${name}{${Object.entries({ ...labels, ...SCRAPE_LABELS })
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([label, value]) => `${label}=${JSON.stringify(value)}`)
    .join(',')}}`;

/** The metric names the rules read: what the series file needs to hold. */
export function ruleMetricNames(groups: readonly PrometheusRuleGroup[]): Set<string> {
  return new Set(groups.flatMap((group) => group.rules.flatMap((rule) => driftguardSeriesIn(rule.expr))));
}

async function post(t: TestServer, path: string, body: string): Promise<void> {
  const response = await t.call(path, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/x-ndjson' },
    token: TOKENS.ingest,
  });
  if (response.status !== 201) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
}

/**
 * Runs a real drift-server on a clock the plan controls: the scenario's model and reference, the two
 * days before minute 0 loaded at once (so the metrics window and the drift streaks have their full
 * history from the start), then, minute by minute, the simulated pipeline's uploads (predictions as
 * their timestamps come due, labels `labelDelayMs` later) until `stopMinute`, and a GET /metrics
 * each minute, keeping the samples of `names`.
 */
export async function scrapeTimeline(plan: TimelinePlan, names: ReadonlySet<string>): Promise<ScrapedSeries> {
  let now = plan.startMs;
  const t = await startTestServer({}, {}, undefined, { clock: () => now });
  try {
    const timeline = new ScenarioTimeline(plan.scenario, plan.timelineStartMs);
    const model = timeline.scenario.modelId;
    const monitoring =
      plan.staleAfterMinutes === undefined ? {} : { monitoring: { stale_after_minutes: plan.staleAfterMinutes } };
    const registered = await t.call('/api/v1/models', {
      method: 'POST',
      body: JSON.stringify({ id: model, ...timeline.scenario.model, ...monitoring }),
      headers: { 'content-type': 'application/json' },
    });
    if (registered.status !== 201) throw new Error(`POST /models: ${registered.status} ${await registered.text()}`);
    await post(t, `/api/v1/models/${model}/references`, toNdjson(timeline.scenario.reference()));
    await post(
      t,
      `/api/v1/models/${model}/predictions`,
      toNdjson(timeline.rowsBetween(plan.startMs - 2 * DAY_MS, plan.startMs))
    );
    const feed = new LiveFeed({ url: t.server.url, token: TOKENS.ingest }, timeline, plan.startMs, plan.labelDelayMs);
    const series = new Map<string, (number | undefined)[]>();
    for (let minute = 0; minute <= plan.minutes; minute += 1) {
      now = plan.startMs + minute * MINUTE_MS;
      if (minute % plan.uploadEveryMinutes === 0 && (plan.stopMinute === undefined || minute <= plan.stopMinute))
        await feed.advanceTo(now);
      const response = await t.call('/metrics', { token: null });
      if (response.status !== 200) throw new Error(`GET /metrics at minute ${minute}: ${response.status}`);
      for (const sample of parseExposition(await response.text())) {
        if (!names.has(sample.name)) continue;
        const key = seriesKey(sample.name, sample.labels);
        let values = series.get(key);
        if (!values) series.set(key, (values = new Array(plan.minutes + 1).fill(undefined)));
        values[minute] = sample.value;
      }
    }
    return { minutes: plan.minutes, series };
  } finally {
    await t.stop();
  }
}

/**
 * A series' samples in promtool's notation, one a minute: runs of one value as `vxN`, a missing
 * scrape as `_`, and `stale` where a series disappears (as Prometheus marks it). promtool's clock
 * starts at 0, so values of `_timestamp_seconds` series are moved to the same origin as the samples:
 * `time() - x` then reads the same ages as it would in Prometheus.
 */
export function promtoolValues(name: string, values: readonly (number | undefined)[], startMs: number): string {
  const shift = name.endsWith('_timestamp_seconds') ? startMs / 1000 : 0;
  const tokens: string[] = [];
  let index = 0;
  while (index < values.length) {
    const value = values[index];
    let end = index + 1;
    while (end < values.length && values[end] === value) end += 1;
    const count = end - index;
    if (value === undefined) {
      const stale = index > 0 ? ['stale'] : [];
      const missing = count - stale.length;
      tokens.push(...stale, ...(missing > 0 ? [missing === 1 ? '_' : `_x${missing}`] : []));
    } else {
      const text = String(value - shift);
      tokens.push(count === 1 ? text : `${text}x${count - 1}`);
    }
    index = end;
  }
  return tokens.join(' ');
}

/** The scraped series as promtool input_series. */
export function inputSeries(scraped: ScrapedSeries, startMs: number): { series: string; values: string }[] {
  return [...scraped.series].map(([key, values]) => ({
    series: key,
    values: promtoolValues(key.slice(0, key.indexOf('{')), values, startMs),
  }));
}
