import { createDataFrame, DataFrame, FieldType } from '@grafana/data';
import { FeatureDrift } from 'driftguard-api-contract';
import { metricConfigFor } from './metricConfig';
import { SEVERITY_FIELD_CONFIG } from './palette';

const NUMERIC_COLUMNS = [
  'psi',
  'psi_critical',
  'js',
  'kl',
  'production_rows',
  'reference_rows',
  'production_missing_share',
] as const;

/** One row per feature, highest PSI first (drift-server's order), for a Table panel. */
export function featureTableFrame(model: string, features: FeatureDrift[]): DataFrame {
  return createDataFrame({
    name: `${model} features`,
    fields: [
      {
        name: 'feature',
        type: FieldType.string,
        values: features.map((f) => f.feature),
        config: { displayNameFromDS: 'Feature' },
      },
      {
        name: 'kind',
        type: FieldType.string,
        values: features.map((f) => f.kind),
        config: { displayNameFromDS: 'Kind' },
      },
      {
        name: 'importance',
        type: FieldType.number,
        values: features.map((f) => f.importance),
        config: metricConfigFor('importance'),
      },
      {
        name: 'severity',
        type: FieldType.string,
        values: features.map((f) => f.severity),
        config: SEVERITY_FIELD_CONFIG,
      },
      ...NUMERIC_COLUMNS.map((column) => ({
        name: column,
        type: FieldType.number,
        values: features.map((f) => f[column]),
        config: metricConfigFor(column),
      })),
    ],
  });
}
