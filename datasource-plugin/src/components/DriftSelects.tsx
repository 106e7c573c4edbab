import { getTemplateSrv } from '@grafana/runtime';
import { Combobox, ComboboxOption, InlineField } from '@grafana/ui';
import React from 'react';
import type { DataSource } from '../datasource';

export const LABEL_WIDTH = 14;

/** Dashboard variables offered beside the server's values, so `$model` and `$feature` can be picked. */
function variableOptions(): ComboboxOption[] {
  return getTemplateSrv()
    .getVariables()
    .map((variable) => ({ label: `$${variable.name}`, value: `$${variable.name}`, description: 'Dashboard variable' }));
}

function matching(options: ComboboxOption[], input: string): ComboboxOption[] {
  const needle = input.toLowerCase();
  return options.filter((option) => `${option.label ?? ''} ${option.value}`.toLowerCase().includes(needle));
}

interface ChoiceProps {
  value?: string;
  onChange: (value: string | undefined) => void;
}

export function ModelSelect({ datasource, value, onChange }: ChoiceProps & { datasource: DataSource }) {
  const loadModels = async (input: string) => {
    const models = await datasource.listModels();
    return matching(
      [...variableOptions(), ...models.map((m) => ({ label: m.name, value: m.id, description: m.id }))],
      input
    );
  };
  return (
    <InlineField label="Model" labelWidth={LABEL_WIDTH}>
      <Combobox
        id="driftguard-model"
        width={28}
        options={loadModels}
        value={value ?? null}
        createCustomValue
        placeholder="Choose a model"
        onChange={(option) => onChange(option.value)}
      />
    </InlineField>
  );
}

interface FeatureSelectProps extends ChoiceProps {
  datasource: DataSource;
  model?: string;
  /** Empty means every feature (trends, annotations); a deep dive needs one. */
  optional: boolean;
}

export function FeatureSelect({ datasource, model, value, onChange, optional }: FeatureSelectProps) {
  const loadFeatures = async (input: string) => {
    const resolvedModel = model ? getTemplateSrv().replace(model) : '';
    const features = resolvedModel ? await datasource.listFeatures(resolvedModel) : [];
    return matching(
      [...variableOptions(), ...features.map((f) => ({ label: f.name, value: f.name, description: f.kind }))],
      input
    );
  };
  return (
    <InlineField label="Feature" labelWidth={LABEL_WIDTH}>
      <Combobox
        // A new model means a new feature list.
        key={model}
        id="driftguard-feature"
        width={28}
        options={loadFeatures}
        value={value || null}
        createCustomValue
        isClearable
        placeholder={optional ? 'All features' : 'Choose a feature'}
        onChange={(option) => onChange(option?.value || undefined)}
      />
    </InlineField>
  );
}
