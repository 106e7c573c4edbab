import { QueryEditorProps, SelectableValue } from '@grafana/data';
import { Combobox, ComboboxOption, InlineField, InlineFieldRow, Input, RadioButtonGroup, Stack } from '@grafana/ui';
import React, { ChangeEvent } from 'react';
import type { DataSource } from '../datasource';
import {
  ANNOTATION_QUERY_TYPE,
  DETAIL_SECTIONS,
  DetailSection,
  DriftDataSourceOptions,
  DriftQuery,
  isModelTrendMetric,
  PanelQueryType,
  TREND_METRICS,
  TrendMetric,
} from '../types';
import { FeatureSelect, LABEL_WIDTH, ModelSelect } from './DriftSelects';

type Props = QueryEditorProps<DataSource, DriftQuery, DriftDataSourceOptions>;

const QUERY_TYPE_OPTIONS: Array<SelectableValue<PanelQueryType>> = [
  {
    label: 'Model summary',
    value: 'modelSummary',
    description: 'Stat tiles: health, accuracy, predictions, average drift, drifted features',
  },
  { label: 'Feature table', value: 'featureTable', description: 'One row per feature with PSI, JS, KL and severity' },
  {
    label: 'Feature detail',
    value: 'featureDetail',
    description: 'Histogram of reference vs production, metrics, statistics',
  },
  {
    label: 'Trends',
    value: 'trends',
    description: 'A drift metric per feature, or the model health or accuracy, over the dashboard time range',
  },
  {
    label: 'Recommendation',
    value: 'recommendation',
    description: 'Retrain or not, why, and the money at stake',
  },
];

const METRIC_LABELS: Record<TrendMetric, string> = {
  psi: 'PSI',
  js: 'JS distance',
  kl: 'KL divergence',
  psi_critical: 'PSI noise level',
  production_rows: 'Production rows',
  health: 'Model health score',
  estimated_accuracy: 'Estimated accuracy',
  realized_accuracy: 'Realized accuracy',
  volume: 'Prediction volume',
};
const METRIC_OPTIONS = TREND_METRICS.map((metric) => ({ label: METRIC_LABELS[metric], value: metric }));

const SECTION_LABELS: Record<DetailSection, string> = {
  histogram: 'Histogram',
  metrics: 'Metrics',
  statistics: 'Statistics',
};
const SECTION_OPTIONS: Array<SelectableValue<DetailSection | ''>> = [
  { label: 'All', value: '' },
  ...DETAIL_SECTIONS.map((section) => ({ label: SECTION_LABELS[section], value: section })),
];

const BASELINE_OPTIONS: ComboboxOption[] = [
  { label: 'Latest reference', value: '', description: 'The newest uploaded reference version' },
  { label: 'Previous period', value: 'previous_period', description: 'Production data of the window just before' },
];

const FEATURE_REQUIRED: ReadonlySet<string> = new Set(['featureDetail']);
const FEATURE_OPTIONAL: ReadonlySet<string> = new Set(['trends', ANNOTATION_QUERY_TYPE]);
const USES_INTERVAL: ReadonlySet<string> = new Set(['trends', ANNOTATION_QUERY_TYPE]);

export function QueryEditor({ query, onChange, onRunQuery, datasource }: Props) {
  const queryType = query.queryType ?? '';
  // The model-level series covers every feature, so a feature choice would have no effect.
  const usesFeature =
    FEATURE_REQUIRED.has(queryType) || (FEATURE_OPTIONAL.has(queryType) && !isModelTrendMetric(query.metric));
  const update = (patch: Partial<DriftQuery>) => {
    onChange({ ...query, ...patch });
    onRunQuery();
  };

  return (
    <Stack direction="column" gap={0}>
      {queryType !== ANNOTATION_QUERY_TYPE && (
        <InlineField label="Query type" labelWidth={LABEL_WIDTH}>
          <RadioButtonGroup
            options={QUERY_TYPE_OPTIONS}
            value={queryType as PanelQueryType}
            onChange={(value) => update({ queryType: value })}
          />
        </InlineField>
      )}
      <InlineFieldRow>
        <ModelSelect datasource={datasource} value={query.model} onChange={(model) => update({ model })} />
        {usesFeature && (
          <FeatureSelect
            datasource={datasource}
            model={query.model}
            value={query.feature}
            optional={FEATURE_OPTIONAL.has(queryType)}
            onChange={(feature) => update({ feature })}
          />
        )}
        {queryType === 'trends' && (
          <InlineField label="Metric" labelWidth={LABEL_WIDTH}>
            <Combobox<TrendMetric>
              id="driftguard-metric"
              width={24}
              options={METRIC_OPTIONS}
              value={query.metric ?? 'psi'}
              onChange={(option) => update({ metric: option.value })}
            />
          </InlineField>
        )}
      </InlineFieldRow>
      <InlineFieldRow>
        {queryType === 'featureDetail' && (
          <InlineField label="Section" labelWidth={LABEL_WIDTH}>
            <RadioButtonGroup<DetailSection | ''>
              options={SECTION_OPTIONS}
              value={query.section ?? ''}
              onChange={(section) => update({ section: section || undefined })}
            />
          </InlineField>
        )}
        {USES_INTERVAL.has(queryType) && (
          <InlineField
            label="Interval"
            labelWidth={LABEL_WIDTH}
            tooltip="Point spacing, e.g. 1h, 6h, 1d; the panel interval when empty. drift-server rounds up to whole hours."
          >
            <Input
              id="driftguard-interval"
              width={12}
              placeholder="auto"
              value={query.interval ?? ''}
              onChange={(event: ChangeEvent<HTMLInputElement>) => onChange({ ...query, interval: event.target.value })}
              onBlur={onRunQuery}
            />
          </InlineField>
        )}
        <InlineField
          label="Baseline"
          labelWidth={LABEL_WIDTH}
          tooltip="Compare with the latest reference, a reference version number, or the previous period"
        >
          <Combobox
            id="driftguard-baseline"
            width={24}
            options={BASELINE_OPTIONS}
            value={query.baseline ?? ''}
            createCustomValue
            onChange={(option) => update({ baseline: option.value || undefined })}
          />
        </InlineField>
      </InlineFieldRow>
    </Stack>
  );
}
