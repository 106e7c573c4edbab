import { setTemplateSrv, TemplateSrv } from '@grafana/runtime';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';
import type { DataSource } from '../datasource';
import { TestTemplateSrv } from '../test-support/TestTemplateSrv';
import { VariableQueryEditor } from './VariableQueryEditor';

beforeEach(() => setTemplateSrv(new TestTemplateSrv({}) as unknown as TemplateSrv));

describe('VariableQueryEditor', () => {
  it('asks for a model only when listing features', async () => {
    const onChange = jest.fn();
    const datasource = { listModels: jest.fn().mockResolvedValue([]) } as unknown as DataSource;
    const { rerender } = render(
      <VariableQueryEditor
        query={{ refId: 'V', queryType: 'models' }}
        datasource={datasource}
        onChange={onChange}
        onRunQuery={jest.fn()}
      />
    );
    expect(screen.queryByText('Model', { selector: 'label' })).not.toBeInTheDocument();
    await userEvent.click(screen.getByLabelText('Features'));
    expect(onChange).toHaveBeenCalledWith({ refId: 'V', queryType: 'features' });
    rerender(
      <VariableQueryEditor
        query={{ refId: 'V', queryType: 'features' }}
        datasource={datasource}
        onChange={onChange}
        onRunQuery={jest.fn()}
      />
    );
    expect(screen.getByText('Model', { selector: 'label' })).toBeInTheDocument();
  });
});
