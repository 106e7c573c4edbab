import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { promtool, ToolResult } from '../../drift-server/test/metrics/promtool';
import { AlertRule, alertRules, ruleGroups } from './support/grafana';
import { prometheusRuleGroups } from './support/prometheus-rules';

const rules = alertRules();
const rule = (uid: string) => rules.find((candidate) => candidate.uid === uid) as AlertRule;

interface Case {
  readonly name: string;
  readonly rule: string;
  /** Series in promtool's expanding notation, one sample a minute from time 0. */
  readonly series: Readonly<Record<string, string>>;
  /** Evaluation time → labels of the instances firing then (beyond the rule's own labels). */
  readonly expect: Readonly<Record<string, Record<string, string>[]>>;
}

/** The labels a series carries once Prometheus has scraped it from drift-server. */
const SCRAPED = { job: 'driftguard', instance: 'drift-server:8080' };
const selector = (labels: Record<string, string>) =>
  `{${Object.entries({ ...labels, ...SCRAPED })
    .map(([name, value]) => `${name}="${value}"`)
    .join(',')}}`;
const income = { model: 'credit-risk', feature: 'income', ...SCRAPED };
const model = { model: 'credit-risk', ...SCRAPED };
const INCOME = selector({ model: 'credit-risk', feature: 'income' });
const AGE = selector({ model: 'credit-risk', feature: 'age' });
const MODEL = selector({ model: 'credit-risk' });
const HOURS = (hours: number) => 3600 * hours;

const CASES: Case[] = [
  {
    name: 'a feature critical in each of its last 6 hours of data fires at once, that feature only',
    rule: 'driftguard-feature-psi',
    series: {
      [`driftguard_feature_critical_streak_seconds${INCOME}`]: `${HOURS(5)}x59 ${HOURS(6)}x60 ${HOURS(7)}x60`,
      [`driftguard_feature_critical_streak_seconds${AGE}`]: '0x180',
    },
    expect: { '59m': [], '1h': [income], '3h': [income] },
  },
  {
    name: 'five hours of data critical never fire, however long the streak stays there',
    rule: 'driftguard-feature-psi',
    series: { [`driftguard_feature_critical_streak_seconds${INCOME}`]: `${HOURS(5)}x600` },
    expect: { '1h': [], '6h': [], '10h': [] },
  },
  {
    name: 'a streak broken by a calm hour resolves the alert',
    rule: 'driftguard-feature-psi',
    series: {
      [`driftguard_feature_critical_streak_seconds${INCOME}`]: `${HOURS(6)}x59 0x60`,
      [`driftguard_feature_critical_streak_seconds${AGE}`]: '0x120',
    },
    expect: { '59m': [income], '1h': [], '2h': [] },
  },
  {
    name: 'health 55 held 1 h fires',
    rule: 'driftguard-model-health',
    series: { [`driftguard_model_health_score${MODEL}`]: '55x120' },
    expect: { '59m': [], '1h': [model], '2h': [model] },
  },
  {
    name: 'health 55 held 50 min does not fire',
    rule: 'driftguard-model-health',
    series: { [`driftguard_model_health_score${MODEL}`]: '55x49 80x70' },
    expect: { '50m': [], '1h': [], '2h': [] },
  },
  {
    name: 'a single health dip does not fire',
    rule: 'driftguard-model-health',
    series: { [`driftguard_model_health_score${MODEL}`]: '80x30 40 80x90' },
    expect: { '31m': [], '1h31m': [], '2h': [] },
  },
  {
    name: 'health exactly 60 does not fire',
    rule: 'driftguard-model-health',
    series: { [`driftguard_model_health_score${MODEL}`]: '60x120' },
    expect: { '2h': [] },
  },
  {
    name: 'realized accuracy 15 points under reference on enough labels, held 2 h, fires though the estimate is above the reference',
    rule: 'driftguard-accuracy-drop',
    series: {
      [`driftguard_model_reference_accuracy${MODEL}`]: '0.78x240',
      [`driftguard_model_estimated_accuracy${MODEL}`]: '0.94x240',
      [`driftguard_model_realized_accuracy${MODEL}`]: '0.63x240',
      [`driftguard_model_labelled_rows${MODEL}`]: '750x240',
      [`driftguard_model_min_labelled_rows${MODEL}`]: '200x240',
    },
    expect: { '1h59m': [], '2h': [model], '4h': [model] },
  },
  {
    name: 'realized accuracy on too few labels is not acted on: the estimate decides',
    rule: 'driftguard-accuracy-drop',
    series: {
      [`driftguard_model_reference_accuracy${MODEL}`]: '0.78x240',
      [`driftguard_model_estimated_accuracy${MODEL}`]: '0.94x240',
      [`driftguard_model_realized_accuracy${MODEL}`]: '0.63x240',
      [`driftguard_model_labelled_rows${MODEL}`]: '150x240',
      [`driftguard_model_min_labelled_rows${MODEL}`]: '200x240',
    },
    expect: { '3h': [], '4h': [] },
  },
  {
    name: 'without labels, an estimate 6 points under reference held 2 h fires',
    rule: 'driftguard-accuracy-drop',
    series: {
      [`driftguard_model_reference_accuracy${MODEL}`]: '0.9x240',
      [`driftguard_model_estimated_accuracy${MODEL}`]: '0.84x240',
      [`driftguard_model_labelled_rows${MODEL}`]: '0x240',
      [`driftguard_model_min_labelled_rows${MODEL}`]: '200x240',
    },
    expect: { '1h59m': [], '2h': [model], '4h': [model] },
  },
  {
    name: 'accuracy 4 points under reference does not fire, nor a 6-point drop held 1 h 50 min, nor a single dip',
    rule: 'driftguard-accuracy-drop',
    series: {
      [`driftguard_model_reference_accuracy${MODEL}`]: '0.9x240',
      [`driftguard_model_estimated_accuracy${MODEL}`]: '0.86x60 0.84x109 0.86x10 0.7 0.86x58',
      [`driftguard_model_labelled_rows${MODEL}`]: '0x240',
      [`driftguard_model_min_labelled_rows${MODEL}`]: '200x240',
    },
    expect: { '1h': [], '2h50m': [], '3h': [], '4h': [] },
  },
  {
    name: "predictions older than the model's limit (10 min) fire 5 minutes after the limit; a model still receiving predictions does not",
    rule: 'driftguard-predictions-stale',
    series: {
      // The newest prediction stays at time 0 for credit-risk; fraud's arrive every minute.
      [`driftguard_model_last_prediction_timestamp_seconds${MODEL}`]: '0x60',
      [`driftguard_model_stale_after_seconds${MODEL}`]: '600x60',
      [`driftguard_model_last_prediction_timestamp_seconds${selector({ model: 'fraud' })}`]: '0+60x60',
      [`driftguard_model_stale_after_seconds${selector({ model: 'fraud' })}`]: '600x60',
    },
    expect: { '10m': [], '15m': [], '16m': [model], '1h': [model] },
  },
  {
    name: 'no DriftGuard series at all (drift-server not scraped) fires after the pending period',
    rule: 'driftguard-predictions-stale',
    series: { 'up{job="driftguard",instance="drift-server:8080"}': '0x60' },
    expect: { '4m': [], '5m': [{}], '1h': [{}] },
  },
];

function promtoolTest(cases: readonly Case[]) {
  return {
    rule_files: ['rules.yml'],
    evaluation_interval: ruleGroups()[0].interval,
    tests: cases.map((test) => ({
      name: test.name,
      interval: '1m',
      input_series: Object.entries(test.series).map(([series, values]) => ({ series, values })),
      alert_rule_test: Object.entries(test.expect).map(([evalTime, firing]) => ({
        eval_time: evalTime,
        alertname: test.rule,
        exp_alerts: firing.map((labels) => ({ exp_labels: { ...labels, ...rule(test.rule).labels } })),
      })),
    })),
  };
}

function runPromtool(cases: readonly Case[]): ToolResult {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'driftguard-rules-'));
  try {
    fs.writeFileSync(path.join(directory, 'rules.yml'), stringify({ groups: prometheusRuleGroups() }));
    fs.writeFileSync(path.join(directory, 'tests.yml'), stringify(promtoolTest(cases)));
    return promtool(['test', 'rules', path.join(directory, 'tests.yml')]);
  } finally {
    fs.rmSync(directory, { recursive: true });
  }
}

describe('provisioned alert rules under promtool test rules', () => {
  it('cover every rule with synthetic series', () => {
    expect(new Set(CASES.map((test) => test.rule))).toEqual(new Set(rules.map((candidate) => candidate.uid)));
  });

  it('translate to rules Prometheus accepts (promtool check rules)', () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'driftguard-rules-'));
    try {
      fs.writeFileSync(path.join(directory, 'rules.yml'), stringify({ groups: prometheusRuleGroups() }));
      const result = promtool(['check', 'rules', path.join(directory, 'rules.yml')]);
      expect([result.status, result.output]).toEqual([
        0,
        expect.stringContaining(`SUCCESS: ${rules.length} rules found`),
      ]);
    } finally {
      fs.rmSync(directory, { recursive: true });
    }
  });

  it('fire when the condition holds for the whole "for" window, and not for shorter holds, spikes, too few labels or fresh data', () => {
    const result = runPromtool(CASES);
    expect([result.status, result.output]).toEqual([0, expect.stringContaining('SUCCESS')]);
  });

  it('would catch a drift rule that fired on five hours of data', () => {
    const [sixHours] = CASES;
    const wrong: Case = { ...sixHours, name: 'deliberately wrong expectation', expect: { '30m': [income] } };
    const result = runPromtool([wrong]);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('deliberately wrong expectation');
  });
});
