import { QueryEditorProps, SelectableValue } from '@grafana/data';
import { InlineField, InlineFieldRow, RadioButtonGroup } from '@grafana/ui';
import React from 'react';
import type { DataSource } from '../datasource';
import { DriftDataSourceOptions, DriftQuery, DriftVariableQuery, VariableQueryType } from '../types';
import { LABEL_WIDTH, ModelSelect } from './DriftSelects';

type Props = QueryEditorProps<DataSource, DriftQuery, DriftDataSourceOptions, DriftVariableQuery>;

const TYPE_OPTIONS: Array<SelectableValue<VariableQueryType>> = [
  { label: 'Models', value: 'models', description: 'Model ids, shown by name' },
  { label: 'Features', value: 'features', description: 'Feature names of one model' },
];

export function VariableQueryEditor({ query, onChange, datasource }: Props) {
  const queryType = query.queryType ?? 'models';
  return (
    <InlineFieldRow>
      <InlineField label="Values" labelWidth={LABEL_WIDTH}>
        <RadioButtonGroup
          options={TYPE_OPTIONS}
          value={queryType}
          onChange={(value) => onChange({ ...query, queryType: value })}
        />
      </InlineField>
      {queryType === 'features' && (
        <ModelSelect datasource={datasource} value={query.model} onChange={(model) => onChange({ ...query, model })} />
      )}
    </InlineFieldRow>
  );
}
