import { DataSourceSettings } from '@grafana/data';
import { fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';
import { DriftDataSourceOptions, DriftSecureJsonData } from '../types';
import { ConfigEditor } from './ConfigEditor';

function settings(overrides: Partial<DataSourceSettings<DriftDataSourceOptions, DriftSecureJsonData>> = {}) {
  return {
    jsonData: { serverUrl: 'http://drift-server:8080' },
    secureJsonFields: {},
    secureJsonData: {},
    ...overrides,
  } as DataSourceSettings<DriftDataSourceOptions, DriftSecureJsonData>;
}

describe('ConfigEditor', () => {
  it('edits the drift-server URL in jsonData, trimmed', () => {
    const onOptionsChange = jest.fn();
    render(<ConfigEditor options={settings()} onOptionsChange={onOptionsChange} />);
    const url = screen.getByLabelText(/^URL/);
    expect(url).toHaveValue('http://drift-server:8080');
    fireEvent.change(url, { target: { value: ' http://10.0.0.7:8080 ' } });
    expect(onOptionsChange).toHaveBeenCalledWith(
      expect.objectContaining({ jsonData: { serverUrl: 'http://10.0.0.7:8080' } })
    );
  });

  it('keeps tokens in secureJsonData, one field each', async () => {
    const onOptionsChange = jest.fn();
    render(
      <ConfigEditor options={settings({ secureJsonData: { readToken: 'r' } })} onOptionsChange={onOptionsChange} />
    );
    await userEvent.type(screen.getByLabelText(/^Operate token/), 'x');
    expect(onOptionsChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ secureJsonData: { readToken: 'r', operateToken: 'x' } })
    );
    expect(onOptionsChange.mock.calls[0][0].jsonData).toEqual({ serverUrl: 'http://drift-server:8080' });
  });

  it('shows a saved token as configured and resets only that one', async () => {
    const onOptionsChange = jest.fn();
    render(
      <ConfigEditor
        options={settings({ secureJsonFields: { readToken: true, operateToken: true } })}
        onOptionsChange={onOptionsChange}
      />
    );
    expect(screen.getAllByDisplayValue('configured')).toHaveLength(2);
    await userEvent.click(screen.getAllByRole('button', { name: 'Reset' })[1]);
    expect(onOptionsChange).toHaveBeenCalledWith(
      expect.objectContaining({
        secureJsonFields: { readToken: true, operateToken: false },
        secureJsonData: { operateToken: '' },
      })
    );
  });

  it('explains which token is used for what', () => {
    render(<ConfigEditor options={settings()} onOptionsChange={jest.fn()} />);
    expect(screen.getByText(/scope "read" only\. Grafana sends it for every Viewer, so Save & test refuses an admin token/)).toBeInTheDocument();
    expect(screen.getByText(/scopes "read" and "operate" only\. .*an admin token would make each of them a drift-server admin/)).toBeInTheDocument();
    expect(screen.getByText(/send_user_header = true/)).toBeInTheDocument();
  });
});
