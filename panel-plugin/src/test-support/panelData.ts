import { CoreApp, DataQueryRequest, DataSourceApi, dateTime, LoadingState, PanelData, TimeRange } from '@grafana/data';
import { DataQuery } from '@grafana/schema';

export function timeRange(fromMs: number, toMs: number): TimeRange {
  return { from: dateTime(fromMs), to: dateTime(toMs), raw: { from: dateTime(fromMs), to: dateTime(toMs) } };
}

/** What Grafana hands a panel after running its queries through the data source. */
export async function queryPanelData(
  datasource: DataSourceApi,
  targets: DataQuery[],
  range: TimeRange,
  intervalMs: number
): Promise<PanelData> {
  const request: DataQueryRequest<DataQuery> = {
    requestId: 'panel',
    app: CoreApp.Dashboard,
    interval: `${intervalMs}ms`,
    intervalMs,
    range,
    scopedVars: {},
    targets,
    timezone: 'utc',
    startTime: Date.now(),
  };
  const response = await (datasource.query(request) as Promise<{
    data: PanelData['series'];
    errors?: PanelData['errors'];
  }>);
  return {
    state: LoadingState.Done,
    series: response.data,
    errors: response.errors && response.errors.length > 0 ? response.errors : undefined,
    request,
    timeRange: range,
  };
}
