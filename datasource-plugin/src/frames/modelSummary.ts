import { createDataFrame, DataFrame, DataFrameType, FieldType } from '@grafana/data';
import { ModelSummary } from 'driftguard-api-contract';
import { metricConfigFor } from './metricConfig';

const ACCURACY_FIELDS = ['estimated_accuracy', 'realized_accuracy', 'reference_accuracy'] as const;

/** One row, number fields only (data plane numeric-wide): a Stat panel shows one tile per figure. */
export function modelSummaryFrame(summary: ModelSummary): DataFrame {
  return createDataFrame({
    name: summary.model_id,
    meta: { type: DataFrameType.NumericWide, typeVersion: [0, 1] },
    fields: [
      {
        name: 'total_predictions',
        type: FieldType.number,
        values: [summary.total_predictions],
        config: { displayNameFromDS: 'Total predictions', unit: 'short', decimals: 0 },
      },
      {
        name: 'predictions_per_day',
        type: FieldType.number,
        values: [summary.data_volume.predictions_per_day],
        config: { displayNameFromDS: 'Predictions per day', unit: 'short', decimals: 0 },
      },
      {
        name: 'average_drift_score',
        type: FieldType.number,
        values: [summary.average_drift_score],
        config: { ...metricConfigFor('psi'), displayNameFromDS: 'Average drift (PSI)' },
      },
      {
        name: 'drifted_features',
        type: FieldType.number,
        values: [summary.drifted_features],
        config: { displayNameFromDS: 'Drifted features', unit: 'short', decimals: 0 },
      },
      {
        name: 'health_score',
        type: FieldType.number,
        values: [summary.health_score],
        config: metricConfigFor('health'),
      },
      ...ACCURACY_FIELDS.map((name) => ({
        name,
        type: FieldType.number,
        // Without a calibration (or labels) the figure is null: the tile stays empty instead of showing NaN.
        values: [summary[name]?.value ?? null],
        config: metricConfigFor(name),
      })),
    ],
  });
}
