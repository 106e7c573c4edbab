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

  it.each([
    ['modelSummary', ['Model', 'Baseline'], ['Feature', 'Metric', 'Interval', 'Section']],
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

  it('hides the query type for annotation queries', () => {
    renderEditor({ refId: 'Anno', queryType: 'annotations', kind: 'driftBreaches' });
    expect(screen.queryByText('Query type', { selector: 'label' })).not.toBeInTheDocument();
    expect(screen.getByText('Interval', { selector: 'label' })).toBeInTheDocument();
  });
});
