import { createDataFrame, DataFrame, FieldConfig, FieldType, getValueFormatterIndex, MappingType } from '@grafana/data';
import { Recommendation, RecommendationKind } from 'driftguard-api-contract';
import { metricConfigFor } from './metricConfig';

const RECOMMENDATION_DISPLAY: Record<RecommendationKind, { text: string; color: string; index: number }> = {
  retrain_now: { text: 'Retrain now', color: 'red', index: 0 },
  schedule_retrain: { text: 'Schedule retraining', color: 'orange', index: 1 },
  monitor: { text: 'Monitor', color: 'yellow', index: 2 },
  no_action: { text: 'No action', color: 'green', index: 3 },
};

const MONEY_FIELDS = [
  ['revenue_at_risk_per_day', 'Revenue at risk per day'],
  ['retrain_cost', 'Retrain cost'],
  ['recoverable_value', 'Recoverable value'],
] as const;

/** Grafana's own unit for the currency code when it has one (currencyEUR shows €), else the code as prefix. */
export function currencyUnit(code: string): string {
  const builtIn = `currency${code.toUpperCase()}`;
  return builtIn in getValueFormatterIndex() ? builtIn : `currency:${code} `;
}

/** One row: the advice with its reasons (one per line) and the figures behind it, for Stat and Table panels. */
export function recommendationFrame(advice: Recommendation): DataFrame {
  const money: FieldConfig = { unit: currencyUnit(advice.currency), decimals: 0 };
  return createDataFrame({
    name: 'recommendation',
    fields: [
      {
        name: 'recommendation',
        type: FieldType.string,
        values: [advice.recommendation],
        config: {
          displayNameFromDS: 'Recommendation',
          mappings: [{ type: MappingType.ValueToText, options: RECOMMENDATION_DISPLAY }],
        },
      },
      {
        name: 'reasons',
        type: FieldType.string,
        values: [advice.reasons.join('\n')],
        config: { displayNameFromDS: 'Reasons' },
      },
      ...MONEY_FIELDS.map(([name, displayName]) => ({
        name,
        type: FieldType.number,
        values: [advice[name]],
        config: { ...money, displayNameFromDS: displayName },
      })),
      {
        name: 'payback_days',
        type: FieldType.number,
        values: [advice.payback_days],
        config: metricConfigFor('payback_days'),
      },
      {
        name: 'accuracy_drop',
        type: FieldType.number,
        values: [advice.accuracy_drop],
        config: metricConfigFor('accuracy_drop'),
      },
    ],
  });
}
