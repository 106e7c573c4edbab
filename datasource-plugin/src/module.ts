import { DataSourcePlugin } from '@grafana/data';
import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import { DataSource } from './datasource';
import { DriftDataSourceOptions, DriftQuery, DriftSecureJsonData } from './types';

export const plugin = new DataSourcePlugin<DataSource, DriftQuery, DriftDataSourceOptions, DriftSecureJsonData>(
  DataSource
)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
