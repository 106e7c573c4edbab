import { AlertRule, RuleGroup, ruleGroups } from './grafana';

/** One alerting rule in Prometheus' rule file format. */
export interface PrometheusRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface PrometheusRuleGroup {
  readonly name: string;
  readonly interval: string;
  readonly rules: PrometheusRule[];
}

const OPERATORS: Readonly<Record<string, string>> = { gt: '>', lt: '<' };

/**
 * A provisioned Grafana rule as the equivalent Prometheus alerting rule. Grafana fires an instance
 * once the threshold on query A has held at every evaluation for `for` (state.go resultAlerting:
 * evaluated − started ≥ for), which is what `(A) > threshold` with the same `for` and interval does
 * in Prometheus. noDataState Alerting, an empty result alerting, becomes `or absent(A)`. KeepLast has
 * no Prometheus equivalent and is left out: the DriftGuard series stay present while drift-server is
 * scraped, so it only matters when they all vanish (alerting.test.ts checks which rules keep their state then).
 * Any other rule shape (reduce or math steps, several conditions) fails here rather than being
 * half-translated.
 */
export function asPrometheusRule(rule: AlertRule): PrometheusRule {
  const condition = rule.data.find((query) => query.refId === rule.condition);
  const evaluators = condition?.model.conditions ?? [];
  const source = rule.data.find((query) => query.refId === condition?.model.expression);
  const operator = OPERATORS[evaluators[0]?.evaluator.type ?? ''];
  if (
    rule.data.length !== 2 ||
    condition?.model.type !== 'threshold' ||
    evaluators.length !== 1 ||
    !operator ||
    source?.datasourceUid !== 'prometheus' ||
    !source.model.expr
  ) {
    throw new Error(
      `rule ${rule.uid}: only "Prometheus query A, threshold C on A" rules can be translated for Prometheus`
    );
  }
  const query = source.model.expr.trim();
  const firing = `(${query}) ${operator} ${evaluators[0].evaluator.params[0]}`;
  return {
    alert: rule.uid,
    expr: rule.noDataState === 'Alerting' ? `${firing} or absent(${query})` : firing,
    for: rule.for,
    labels: rule.labels,
  };
}

/** The provisioned rule groups in Prometheus' rule file format (the `groups:` of a rules file). */
export function prometheusRuleGroups(groups: readonly RuleGroup[] = ruleGroups()): PrometheusRuleGroup[] {
  return groups.map((group) => ({
    name: group.name,
    interval: group.interval,
    rules: group.rules.map(asPrometheusRule),
  }));
}
