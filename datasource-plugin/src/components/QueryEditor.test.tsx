import { setTemplateSrv, TemplateSrv } from '@grafana/runtime';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';
import type { DataSource } from '../datasource';
import { TestTemplateSrv } from '../test-support/TestTemplateSrv';
import { DriftQuery } from '../types';
import { QueryEditor } from './QueryEditor';

/** Only the lists the editor offers; the data source itself is tested against a live drift-server. */
function catalogue() {
  return {
    listModels: jest.fn().mockResolvedValue([{ id: 'credit-risk', name: 'Credit risk' }]),
    listFeatures: jest.fn().mockResolvedValue([
      { name: 'income', kind: 'numeric', importance: 3 },
      { name: 'region', kind: 'categorical', importance: 1 },
    ]),
  };
}

function renderEditor(query: DriftQuery) {
  const datasource = catalogue();
  const onChange = jest.fn();
  const onRunQuery = jest.fn();
  render(
    <QueryEditor
      query={query}
      datasource={datasource as unknown as DataSource}
      onChange={onChange}
      onRunQuery={onRunQuery}
    />
  );
  return { datasource, onChange, onRunQuery };
}

function expectFields(shown: string[], hidden: string[]) {
  for (const label of shown) {
    expect(screen.getByText(label, { selector: 'label' })).toBeInTheDocument();
  }
  for (const label of hidden) {
    expect(screen.queryByText(label, { selector: 'label' })).not.toBeInTheDocument();
  }
}

beforeEach(() => setTemplateSrv(new TestTemplateSrv({ model: 'credit-risk' }) as unknown as TemplateSrv));

describe('QueryEditor', () => {
  it('switches query type and runs the query', async () => {
    const { onChange, onRunQuery } = renderEditor({ refId: 'A', queryType: 'trends', model: 'credit-risk' });
    await userEvent.click(screen.getByLabelText('Feature table'));
    expect(onChange).toHaveBeenCalledWith({ refId: 'A', queryType: 'featureTable', model: 'credit-risk' });
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('offers the recommendation query type', async () => {
    const { onChange, onRunQuery } = renderEditor({ refId: 'C', queryType: 'modelSummary', model: '$model' });
    await userEvent.click(screen.getByLabelText('Recommendation'));
    expect(onChange).toHaveBeenCalledWith({ refId: 'C', queryType: 'recommendation', model: '$model' });
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('offers the retrain jobs query type', async () => {
    const { onChange, onRunQuery } = renderEditor({ refId: 'D', queryType: 'recommendation', model: '$model' });
    await userEvent.click(screen.getByLabelText('Retrain jobs'));
    expect(onChange).toHaveBeenCalledWith({ refId: 'D', queryType: 'retrainJobs', model: '$model' });
    expect(onRunQuery).toHaveBeenCalled();
  });

  // jsdom lays nothing out, so the status menu's options cannot be picked here (see the model menu below).
  it.each([
    [undefined, ''],
    ['failed', 'Failed'],
    ['$job_status', '$job_status'],
  ])('shows the status filter %s as %j, "Any status" when empty', (value, shown) => {
    renderEditor({ refId: 'D', queryType: 'retrainJobs', model: '$model', status: value });
    const status = screen.getByRole('combobox', { name: 'Status' });
    expect(status).toHaveValue(shown);
    expect(status).toHaveAttribute('placeholder', 'Any status');
  });

  it.each([
    ['modelSummary', ['Model', 'Baseline'], ['Feature', 'Metric', 'Interval', 'Section', 'Status']],
    ['retrainJobs', ['Model', 'Status'], ['Feature', 'Metric', 'Interval', 'Section', 'Baseline']],
    ['featureDetail', ['Model', 'Feature', 'Section', 'Baseline'], ['Metric', 'Interval']],
    ['trends', ['Model', 'Feature', 'Metric', 'Interval', 'Baseline'], ['Section']],
    ['recommendation', ['Model', 'Baseline'], ['Feature', 'Metric', 'Interval', 'Section']],
  ])('shows the fields a %s query uses', (queryType, shown, hidden) => {
    renderEditor({ refId: 'A', queryType });
    expectFields(shown, hidden);
  });

  it('hides the feature for a model-level trend metric', () => {
    renderEditor({ refId: 'A', queryType: 'trends', metric: 'health' });
    expectFields(['Model', 'Metric', 'Interval', 'Baseline'], ['Feature']);
  });

  // jsdom lays nothing out, so Combobox's virtualised menu renders no option rows here; the
  // browser test (editors.browser.test.ts) shows the rendered menus.
  it('loads the models from drift-server when the model menu opens', async () => {
    const { datasource } = renderEditor({ refId: 'A', queryType: 'modelSummary' });
    expect(datasource.listModels).not.toHaveBeenCalled();
    await userEvent.click(screen.getByPlaceholderText('Choose a model'));
    await waitFor(() => expect(datasource.listModels).toHaveBeenCalledTimes(1));
  });

  it('lists the features of the model behind $model', async () => {
    const { datasource } = renderEditor({ refId: 'A', queryType: 'featureDetail', model: '$model' });
    await userEvent.click(screen.getByPlaceholderText('Choose a feature'));
    await waitFor(() => expect(datasource.listFeatures).toHaveBeenCalledWith('credit-risk'));
  });

  it('keeps the interval text while typing and runs the query on blur', async () => {
    const { onChange, onRunQuery } = renderEditor({ refId: 'A', queryType: 'trends', model: 'credit-risk' });
    const interval = screen.getByPlaceholderText('auto');
    await userEvent.type(interval, '6');
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ interval: '6' }));
    expect(onRunQuery).not.toHaveBeenCalled();
    await userEvent.tab();
    await waitFor(() => expect(onRunQuery).toHaveBeenCalled());
  });

  it('offers annotation kinds instead of query types for annotation queries', () => {
    renderEditor({ refId: 'Anno', queryType: 'annotations', kind: 'driftBreaches' });
    expectFields(['Annotations', 'Model', 'Feature', 'Interval', 'Baseline'], ['Query type', 'Status']);
    expect(screen.getByLabelText('Drift breaches')).toBeChecked();
  });

  it.each(['retrainJobs', 'alerts'])('asks only for the model for %s annotations', (kind) => {
    renderEditor({ refId: 'Anno', queryType: 'annotations', kind });
    expectFields(['Annotations', 'Model'], ['Query type', 'Feature', 'Interval', 'Baseline', 'Status']);
  });

  it('switches the annotation kind and runs the query', async () => {
    const { onChange, onRunQuery } = renderEditor({ refId: 'Anno', queryType: 'annotations', model: '$model' });
    expect(screen.getByLabelText('Drift breaches')).toBeChecked();
    await userEvent.click(screen.getByLabelText('Alerts'));
    expect(onChange).toHaveBeenCalledWith({ refId: 'Anno', queryType: 'annotations', model: '$model', kind: 'alerts' });
    expect(onRunQuery).toHaveBeenCalled();
  });
});
