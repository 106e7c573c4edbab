import { InterpolateFunction, PanelData } from '@grafana/data';
import { DataSourceRef } from '@grafana/schema';

interface ModelQuery {
  model?: string;
  datasource?: DataSourceRef | null;
}

/** The panel's queries as the dashboard defined them: the model they ask for and their data source. */
export function queryContext(data: PanelData, replaceVariables: InterpolateFunction) {
  const targets = (data.request?.targets ?? []) as ModelQuery[];
  const model = targets.find((target) => target.model)?.model;
  const datasource = targets.find((target) => target.datasource?.uid)?.datasource ?? undefined;
  return { model: model ? replaceVariables(model) : undefined, datasource };
}

/** The feature the dashboard variable holds, or undefined while it is unset. */
export function selectedFeature(variable: string, replaceVariables: InterpolateFunction): string | undefined {
  const reference = `\${${variable}}`;
  const value = replaceVariables(reference);
  return value === reference || value === '' ? undefined : value;
}
