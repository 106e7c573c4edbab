import { DataSourceApi } from '@grafana/data';
import { DataSourceSrv } from '@grafana/runtime';
import { DataSourceRef } from '@grafana/schema';

/** Grafana's registry of data source instances, holding the real ones a test built. */
export class TestDataSourceSrv implements Pick<DataSourceSrv, 'get'> {
  constructor(private readonly instances: DataSourceApi[]) {}

  async get(ref?: DataSourceRef | string | null): Promise<DataSourceApi> {
    const uid = typeof ref === 'string' ? ref : ref?.uid;
    const instance = this.instances.find((candidate) => candidate.uid === uid);
    if (!instance) {
      throw new Error(`Datasource ${uid} was not found`);
    }
    return instance;
  }
}
