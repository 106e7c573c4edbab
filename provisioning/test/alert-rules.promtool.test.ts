import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { promtool, ToolResult } from '../../drift-server/test/metrics/promtool';
import { AlertRule, alertRules, ruleGroups } from './support/grafana';

/**
 * The provisioned Grafana rules as the equivalent Prometheus alerting rules: Grafana fires an
 * instance when the threshold on query A holds at every evaluation for `for`, which is what
 * `(A) > threshold` with the same `for` and evaluation interval does in Prometheus. Any other
 * rule shape (reduce or math steps, several conditions) fails here rather than being half-tested.
 */
function asPrometheusRule(rule: AlertRule) {
  const condition = rule.data.find((query) => query.refId === rule.condition);
  const evaluators = condition?.model.conditions ?? [];
  const source = rule.data.find((query) => query.refId === condition?.model.expression);
  const operator = { gt: '>', lt: '<' }[evaluators[0]?.evaluator.type ?? ''];
  if (rule.data.length !== 2 || condition?.model.type !== 'threshold' || evaluators.length !== 1 || !operator || source?.datasourceUid !== 'prometheus' || !source.model.expr) {
    throw new Error(`rule ${rule.uid}: only "Prometheus query A, threshold C on A" rules can be translated for promtool`);
  }
  return { alert: rule.uid, expr: `(${source.model.expr}) ${operator} ${evaluators[0].evaluator.params[0]}`, for: rule.for, labels: rule.labels };
}

const rules = alertRules();
const rule = (uid: string) => rules.find((candidate) => candidate.uid === uid) as AlertRule;

interface Case {
  readonly name: string;
  readonly rule: string;
  /** Series in promtool's expanding notation, one sample a minute. */
  readonly series: Readonly<Record<string, string>>;
  /** Evaluation time → labels of the instances firing then (beyond the rule's own labels). */
  readonly expect: Readonly<Record<string, Record<string, string>[]>>;
}

const INCOME = '{model="credit-risk",feature="income"}';
const AGE = '{model="credit-risk",feature="age"}';
const MODEL = '{model="credit-risk"}';
const income = { model: 'credit-risk', feature: 'income' };
const model = { model: 'credit-risk' };

const CASES: Case[] = [
  {
    name: 'PSI 0.25 held 6 h fires for that feature only',
    rule: 'driftguard-feature-psi',
    series: {
      [`driftguard_feature_psi${INCOME}`]: '0.25x420',
      [`driftguard_feature_psi_critical${INCOME}`]: '0.03x420',
      [`driftguard_feature_psi${AGE}`]: '0.05x420',
      [`driftguard_feature_psi_critical${AGE}`]: '0.03x420',
    },
    expect: { '5h59m': [], '6h': [income], '7h': [income] },
  },
  {
    name: 'PSI 0.25 held 5 h 50 min does not fire',
    rule: 'driftguard-feature-psi',
    series: { [`driftguard_feature_psi${INCOME}`]: '0.25x349 0.05x70', [`driftguard_feature_psi_critical${INCOME}`]: '0.03x420' },
    expect: { '5h49m': [], '5h50m': [], '6h': [], '7h': [] },
  },
  {
    name: 'a single PSI spike does not fire',
    rule: 'driftguard-feature-psi',
    series: { [`driftguard_feature_psi${INCOME}`]: '0.05x179 0.9 0.05x240', [`driftguard_feature_psi_critical${INCOME}`]: '0.03x420' },
    expect: { '3h': [], '6h': [], '7h': [] },
  },
  {
    name: 'PSI 0.25 held 7 h within its sampling noise (psi_critical 0.3) does not fire',
    rule: 'driftguard-feature-psi',
    series: { [`driftguard_feature_psi${INCOME}`]: '0.25x420', [`driftguard_feature_psi_critical${INCOME}`]: '0.3x420' },
    expect: { '6h': [], '7h': [] },
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
    name: 'estimated accuracy 6 points under reference held 2 h fires',
    rule: 'driftguard-accuracy-drop',
    series: { [`driftguard_model_reference_accuracy${MODEL}`]: '0.9x240', [`driftguard_model_estimated_accuracy${MODEL}`]: '0.84x240' },
    expect: { '1h59m': [], '2h': [model], '4h': [model] },
  },
  {
    name: 'estimated accuracy 4 points under reference does not fire',
    rule: 'driftguard-accuracy-drop',
    series: { [`driftguard_model_reference_accuracy${MODEL}`]: '0.9x240', [`driftguard_model_estimated_accuracy${MODEL}`]: '0.86x240' },
    expect: { '3h': [], '4h': [] },
  },
  {
    name: 'estimated accuracy 6 points under reference held 1 h 50 min does not fire',
    rule: 'driftguard-accuracy-drop',
    series: { [`driftguard_model_reference_accuracy${MODEL}`]: '0.9x240', [`driftguard_model_estimated_accuracy${MODEL}`]: '0.84x109 0.88x130' },
    expect: { '1h50m': [], '2h': [], '3h': [] },
  },
  {
    name: 'a single accuracy dip does not fire',
    rule: 'driftguard-accuracy-drop',
    series: { [`driftguard_model_reference_accuracy${MODEL}`]: '0.9x240', [`driftguard_model_estimated_accuracy${MODEL}`]: '0.88x60 0.7 0.88x178' },
    expect: { '1h1m': [], '3h1m': [], '4h': [] },
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
    const groups = ruleGroups().map((group) => ({ name: group.name, interval: group.interval, rules: group.rules.map(asPrometheusRule) }));
    fs.writeFileSync(path.join(directory, 'rules.yml'), stringify({ groups }));
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

  it('fire when the condition holds for the whole "for" window, and not for shorter holds, spikes or noise', () => {
    const result = runPromtool(CASES);
    expect([result.status, result.output]).toEqual([0, expect.stringContaining('SUCCESS')]);
  });

  it('would catch a rule that fired after 5 h 50 min', () => {
    const [held6h] = CASES;
    const wrong: Case = { ...held6h, name: 'deliberately wrong expectation', expect: { '5h50m': [income] } };
    const result = runPromtool([wrong]);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('deliberately wrong expectation');
  });
});
