import { DataSourcePlugin } from '@grafana/data';
import { plugin } from './module';
import { DataSource } from './datasource';

describe('module', () => {
  it('exports a data source plugin with a config editor and a query editor', () => {
    expect(plugin).toBeInstanceOf(DataSourcePlugin);
    expect(plugin.DataSourceClass).toBe(DataSource);
    expect(plugin.components.ConfigEditor).toBeDefined();
    expect(plugin.components.QueryEditor).toBeDefined();
  });
});
