import { CustomVariableSupport, DataQueryRequest, DataQueryResponse } from '@grafana/data';
import { from, Observable } from 'rxjs';
import type { DataSource } from '../datasource';
import { interpolateQuery } from '../queries/interpolate';
import { DriftVariableQuery } from '../types';
import { VariableQueryEditor } from '../components/VariableQueryEditor';

/** Query variables: `{"queryType":"models"}` and `{"queryType":"features","model":"$model"}`. */
export class DriftVariableSupport extends CustomVariableSupport<DataSource, DriftVariableQuery> {
  editor = VariableQueryEditor;

  constructor(private readonly datasource: DataSource) {
    super();
  }

  query(request: DataQueryRequest<DriftVariableQuery>): Observable<DataQueryResponse> {
    const query = interpolateQuery(request.targets[0], request.scopedVars);
    return from(this.datasource.variableValues(query).then((values) => ({ data: values })));
  }
}
