import { QueryEditorProps, SelectableValue } from '@grafana/data';
import { Combobox, ComboboxOption, InlineField, InlineFieldRow, Input, RadioButtonGroup, Stack } from '@grafana/ui';
import React, { ChangeEvent } from 'react';
import { RETRAIN_JOB_STATUSES } from 'driftguard-api-contract';
import type { DataSource } from '../datasource';
import {
  ANNOTATION_QUERY_TYPE,
  AnnotationKind,
  DEFAULT_ANNOTATION_KIND,
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
  {
    label: 'Retrain jobs',
    value: 'retrainJobs',
    description: 'The jobs created, started or finished in the time range: status, trigger, times, outcome',
  },
];

const ANNOTATION_KIND_OPTIONS: Array<SelectableValue<AnnotationKind>> = [
  {
    label: 'Drift breaches',
    value: 'driftBreaches',
    description: 'Regions where a feature drifted beyond its threshold',
  },
  {
    label: 'Retrain jobs',
    value: 'retrainJobs',
    description: 'Each job from start to finish, or when it is scheduled',
  },
  { label: 'Alerts', value: 'alerts', description: 'Grafana alert notifications drift-server received' },
];

const STATUS_OPTIONS: ComboboxOption[] = RETRAIN_JOB_STATUSES.map((status) => ({
  label: status[0].toUpperCase() + status.slice(1),
  value: status,
}));

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

type EditorField = 'kind' | 'feature' | 'metric' | 'section' | 'interval' | 'baseline' | 'status';

/** The fields a query uses; a model-level trend metric covers every feature, so it takes none. */
function fieldsOf(query: DriftQuery): Set<EditorField> {
  switch (query.queryType) {
    case 'featureDetail':
      return new Set(['feature', 'section', 'baseline']);
    case 'trends':
      return new Set<EditorField>([
        'metric',
        'interval',
        'baseline',
        ...(isModelTrendMetric(query.metric) ? [] : (['feature'] as const)),
      ]);
    case 'retrainJobs':
      return new Set(['status']);
    case ANNOTATION_QUERY_TYPE:
      return new Set<EditorField>([
        'kind',
        ...((query.kind || DEFAULT_ANNOTATION_KIND) === 'driftBreaches'
          ? (['feature', 'interval', 'baseline'] as const)
          : []),
      ]);
    default:
      return new Set(['baseline']);
  }
}

export function QueryEditor({ query, onChange, onRunQuery, datasource }: Props) {
  const queryType = query.queryType ?? '';
  const fields = fieldsOf(query);
  const update = (patch: Partial<DriftQuery>) => {
    onChange({ ...query, ...patch });
    onRunQuery();
  };

  return (
    <Stack direction="column" gap={0}>
      {fields.has('kind') ? (
        <InlineField label="Annotations" labelWidth={LABEL_WIDTH}>
          <RadioButtonGroup<AnnotationKind>
            options={ANNOTATION_KIND_OPTIONS}
            value={(query.kind || DEFAULT_ANNOTATION_KIND) as AnnotationKind}
            onChange={(kind) => update({ kind })}
          />
        </InlineField>
      ) : (
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
        {fields.has('feature') && (
          <FeatureSelect
            datasource={datasource}
            model={query.model}
            value={query.feature}
            optional={queryType !== 'featureDetail'}
            onChange={(feature) => update({ feature })}
          />
        )}
        {fields.has('metric') && (
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
        {fields.has('status') && (
          <InlineField
            label="Status"
            labelWidth={LABEL_WIDTH}
            tooltip="Only jobs in this state, or a dashboard variable holding one; every job when empty"
          >
            <Combobox
              id="driftguard-status"
              width={20}
              options={STATUS_OPTIONS}
              value={query.status || null}
              createCustomValue
              isClearable
              placeholder="Any status"
              onChange={(option) => update({ status: option?.value || undefined })}
            />
          </InlineField>
        )}
      </InlineFieldRow>
      <InlineFieldRow>
        {fields.has('section') && (
          <InlineField label="Section" labelWidth={LABEL_WIDTH}>
            <RadioButtonGroup<DetailSection | ''>
              options={SECTION_OPTIONS}
              value={query.section ?? ''}
              onChange={(section) => update({ section: section || undefined })}
            />
          </InlineField>
        )}
        {fields.has('interval') && (
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
        {fields.has('baseline') && (
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
        )}
      </InlineFieldRow>
    </Stack>
  );
}
