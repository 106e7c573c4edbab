import type { AccuracyFigure, ModelHealth } from '../engine';
import { count, days, money, percent, significant, signedPoints } from '../number-format';

function accuracyText(name: string, figure: AccuracyFigure | null, missing: string): string {
  if (figure === null) return `${name} ${missing}`;
  return `${name} ${percent(figure.value)} (95% band ${percent(figure.lower)}–${percent(figure.upper)}, ${count(figure.rows)} rows)`;
}

/** What the demo prints about a model's health over a window: score, causes, accuracy and the recommendation. */
export function healthReport(health: ModelHealth): string {
  const { health: score, accuracy, cost_benefit: costs } = health;
  const lines = [
    `Window [${health.window.from}, ${health.window.to}) (the end is exclusive), against reference version ${accuracy.calibration.reference_version}`,
  ];
  lines.push(
    `Health score: ${score.health === null ? 'unknown (too few rows)' : `${score.health.toFixed(1)} / 100`}, ${score.drifted_features} feature(s) drifted`
  );
  lines.push('Top drifting features:');
  if (score.top_features.length === 0) lines.push('  none: no feature drifts beyond sampling noise');
  for (const feature of score.top_features) {
    lines.push(
      `  ${feature.feature.padEnd(24)} PSI ${significant(feature.psi).padEnd(7)} ${feature.severity.padEnd(8)}  -${feature.points_lost.toFixed(1)} points (${percent(feature.share_of_penalty)} of the loss)`
    );
  }
  lines.push(
    `Accuracy: ${accuracyText('estimated', accuracy.estimated, `unavailable (${accuracy.calibration.reason ?? 'no scored rows in the window'})`)}`
  );
  lines.push(`          ${accuracyText('realized', accuracy.realized, 'unavailable (no labels yet)')}`);
  lines.push(`          ${accuracyText('reference', accuracy.reference, 'unavailable')}`);
  if (accuracy.estimate_error !== null)
    lines.push(`          estimate error (estimated - realized) ${signedPoints(accuracy.estimate_error)}`);
  lines.push(`Recommendation: ${costs.recommendation}`);
  for (const reason of costs.reasons) lines.push(`  - ${reason}`);
  for (const gap of health.cost_benefit_unavailable) lines.push(`  (${gap})`);
  if (costs.value_per_error !== null) {
    const amount = (value: number | null) => (value === null ? '-' : money(value, costs.currency));
    lines.push(
      `  Revenue at risk ${amount(costs.revenue_at_risk_per_day)} a day at ${count(costs.predictions_per_day)} predictions a day (${health.predictions_per_day.source}); ` +
        `recoverable ${amount(costs.recoverable_per_day)} a day, ${amount(costs.recoverable_value)} over the horizon; retrain cost ${amount(costs.retrain_cost)}, ` +
        `payback ${costs.payback_days === null ? 'never' : days(costs.payback_days)}`
    );
  }
  return `${lines.join('\n')}\n`;
}
