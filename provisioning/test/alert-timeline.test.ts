import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { ATTACK_START_DAY } from '../../drift-server/src/demo';
import { promtool, ToolResult } from '../../drift-server/test/metrics/promtool';
import {
  inputSeries,
  MINUTE_MS,
  ruleMetricNames,
  SCRAPE_LABELS,
  scrapeTimeline,
  ScrapedSeries,
  TimelinePlan,
} from './support/alert-timeline';
import { alertRules, ruleGroups } from './support/grafana';
import { PrometheusRuleGroup, prometheusRuleGroups } from './support/prometheus-rules';
import { HOUR_MS, DAY_MS } from '../../drift-server/src/time';

/**
 * The provisioned rules over time, end to end: a real drift-server on a simulated clock is fed a
 * demo scenario by a simulated pipeline, scraped every simulated minute, and the scraped series
 * are evaluated with the rules' expressions and pending periods by `promtool test rules`.
 */

const groups = prometheusRuleGroups();
const names = ruleMetricNames(groups);
const labelsOf = (uid: string) => alertRules().find((rule) => rule.uid === uid)?.labels ?? {};
const RULES = [
  'driftguard-feature-psi',
  'driftguard-model-health',
  'driftguard-accuracy-drop',
  'driftguard-predictions-stale',
] as const;
type Rule = (typeof RULES)[number];

/** What should fire in a minute: labels per firing instance, or null where the test leaves the minute open. */
type Expectation = (minute: number) => Record<string, string>[] | null;

function promtoolTest(
  scraped: ScrapedSeries,
  startMs: number,
  expectations: Partial<Record<Rule, Expectation>>,
  promqlTests: object[] = []
) {
  const alertTests = Object.entries(expectations).flatMap(([alertname, expect]) =>
    Array.from({ length: scraped.minutes + 1 }, (_, minute) => ({ minute, firing: (expect as Expectation)(minute) }))
      .filter(({ firing }) => firing !== null)
      .map(({ minute, firing }) => ({
        eval_time: `${minute}m`,
        alertname,
        exp_alerts: (firing ?? []).map((labels) => ({
          exp_labels: { ...labels, ...SCRAPE_LABELS, ...labelsOf(alertname) },
        })),
      }))
  );
  return {
    rule_files: ['rules.yml'],
    evaluation_interval: ruleGroups()[0].interval,
    tests: [
      {
        interval: '1m',
        input_series: inputSeries(scraped, startMs),
        alert_rule_test: alertTests,
        promql_expr_test: promqlTests,
      },
    ],
  };
}

/** The provisioned rules with one rule's expression changed: to show a wrong rule would fail the test. */
function withRule(uid: Rule, change: (expr: string) => string): PrometheusRuleGroup[] {
  return groups.map((group) => ({
    ...group,
    rules: group.rules.map((rule) => (rule.alert === uid ? { ...rule, expr: change(rule.expr) } : rule)),
  }));
}

function runPromtool(test: object, rules: readonly PrometheusRuleGroup[] = groups): ToolResult {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'driftguard-timeline-'));
  try {
    fs.writeFileSync(path.join(directory, 'rules.yml'), stringify({ groups: rules }));
    fs.writeFileSync(path.join(directory, 'tests.yml'), stringify(test));
    return promtool(['test', 'rules', path.join(directory, 'tests.yml')]);
  } finally {
    fs.rmSync(directory, { recursive: true });
  }
}

/** promtool's verdict, with its complaints shortened to the first few lines when it fails. */
const verdict = (result: ToolResult) => [
  result.status,
  result.status === 0 ? 'SUCCESS' : result.output.split('\n').slice(0, 40).join('\n'),
];

// Scenario 2: the attack starts at the beginning of the scenario's day 80, hour H of the simulation;
// the pipeline uploads every 30 minutes until hour S.
const H = 1;
const S = H + 8;
const END = S + 3;
const shiftMs = Date.UTC(2026, 2, 10);
const suddenStartMs = shiftMs - H * HOUR_MS;
const minute = (hours: number) => hours * 60;
const SUDDEN_DRIFT: TimelinePlan = {
  scenario: 2,
  startMs: suddenStartMs,
  timelineStartMs: shiftMs - ATTACK_START_DAY * DAY_MS,
  minutes: minute(END),
  stopMinute: minute(S),
  uploadEveryMinutes: 30,
  labelDelayMs: 10 * MINUTE_MS,
};
// Scenario 1 over a week: a batch pipeline uploading every 6 hours, watched with a limit that allows for it.
const WEEK_MINUTES = (7 * DAY_MS) / MINUTE_MS;
const BASELINE: TimelinePlan = {
  scenario: 1,
  startMs: Date.UTC(2026, 2, 10),
  timelineStartMs: Date.UTC(2026, 2, 10) - 30 * DAY_MS,
  minutes: WEEK_MINUTES,
  uploadEveryMinutes: 360,
  labelDelayMs: 30 * MINUTE_MS,
  staleAfterMinutes: 420,
};

let sudden: ScrapedSeries;
let baseline: ScrapedSeries;
beforeAll(async () => {
  // Two servers at once: each waits on DuckDB about half the time, so they share the cores.
  [sudden, baseline] = await Promise.all([scrapeTimeline(SUDDEN_DRIFT, names), scrapeTimeline(BASELINE, names)]);
}, 1_200_000);

describe('alert timeline of demo scenario 2 (sudden drift), ingestion stopping later', () => {
  const model = { model: 'credit-risk-sudden-drift' };

  it('fires the PSI rule within an hour of 6 h after the shift and never before, health and accuracy after the shift, staleness after ingestion stops, and resolves none of them', () => {
    const attacked = [
      { ...model, feature: 'income' },
      { ...model, feature: 'debt_ratio' },
    ];
    const result = runPromtool(
      promtoolTest(sudden, suddenStartMs, {
        'driftguard-feature-psi': (at) => (at < minute(H + 6) ? [] : at >= minute(H + 7) ? attacked : null),
        'driftguard-model-health': (at) => (at < minute(H) ? [] : at >= minute(H + 7) ? [model] : null),
        'driftguard-accuracy-drop': (at) => (at < minute(H) ? [] : at >= minute(H + 8) ? [model] : null),
        // The model's default limit is 60 minutes; the rule waits 5 more.
        'driftguard-predictions-stale': (at) => (at < minute(S) + 60 ? [] : at >= minute(S) + 70 ? [model] : null),
      })
    );
    expect(verdict(result)).toEqual([0, 'SUCCESS']);
  });

  it('would catch a PSI rule firing before 6 h after the shift (one that needed 5 hours of data)', () => {
    const early = withRule('driftguard-feature-psi', (expr) => expr.replace('6 * 3600', '5 * 3600'));
    const result = runPromtool(
      promtoolTest(sudden, suddenStartMs, { 'driftguard-feature-psi': (at) => (at < minute(H + 6) ? [] : null) }),
      early
    );
    expect(result.status).not.toBe(0);
  });
});

describe('alert timeline of demo scenario 1 (baseline) over a simulated week', () => {
  /** Nothing firing in any minute of the week: no ALERTS sample in firing state (promtool stores them as it evaluates). */
  const nothingFires = { expr: 'ALERTS{alertstate="firing"}', eval_time: `${WEEK_MINUTES}m`, exp_samples: [] };
  const firedBy = (alertname: Rule, minute: number) => ({
    expr: `count_over_time(ALERTS{alertname="${alertname}",alertstate="firing"}[8d])`,
    eval_time: `${minute}m`,
    exp_samples: [],
  });

  it('fires no rule at any minute', () => {
    const result = runPromtool(
      promtoolTest(baseline, BASELINE.startMs, {}, [nothingFires, ...RULES.map((rule) => firedBy(rule, WEEK_MINUTES))])
    );
    expect(verdict(result)).toEqual([0, 'SUCCESS']);
  });

  it('would catch a rule that fired (a drift rule needing no hours of data, checked over the first hour)', () => {
    const twitchy = withRule('driftguard-feature-psi', (expr) => expr.replace('6 * 3600', '0'));
    expect(
      runPromtool(promtoolTest(baseline, BASELINE.startMs, {}, [firedBy('driftguard-feature-psi', 60)]), twitchy).status
    ).not.toBe(0);
  });
});
