import {
  CoreApp,
  DataFrame,
  DataQueryError,
  DataQueryRequest,
  DataQueryResponse,
  DataSourceApi,
  DataSourceInstanceSettings,
  MetricFindValue,
  ScopedVars,
  TestDataSourceResponse,
} from '@grafana/data';
import {
  Feature,
  Model,
  ReportFormat,
  ReportOptions,
  RetrainingMethods,
  RetrainJob,
  ScheduleRetrainOptions,
  TimeWindow,
} from 'driftguard-api-contract';
import { DriftApi } from './api/DriftApi';
import { toDriftApiError } from './api/errors';
import { checkHealth } from './health/checkHealth';
import { interpolateQuery } from './queries/interpolate';
import { QueryContext, runQuery } from './queries/runQuery';
import {
  ANNOTATION_QUERY_TYPE,
  DEFAULT_ANNOTATION_KIND,
  DEFAULT_QUERY,
  DriftDataSourceOptions,
  DriftQuery,
  DriftVariableQuery,
  VARIABLE_QUERY_TYPES,
} from './types';
import { DriftVariableSupport } from './variables/DriftVariableSupport';

export class DataSource extends DataSourceApi<DriftQuery, DriftDataSourceOptions> implements RetrainingMethods {
  readonly api: DriftApi;
  private readonly serverUrl?: string;

  constructor(instanceSettings: DataSourceInstanceSettings<DriftDataSourceOptions>) {
    super(instanceSettings);
    // With proxy access Grafana gives `url` as /api/datasources/proxy/uid/<uid>; the routes hang under it.
    this.api = new DriftApi(instanceSettings.url ?? '');
    this.serverUrl = instanceSettings.jsonData.serverUrl;
    this.variables = new DriftVariableSupport(this);
    // Standard annotation support: annotation queries run through query() with queryType "annotations".
    this.annotations = { getDefaultQuery: () => ({ queryType: ANNOTATION_QUERY_TYPE, kind: DEFAULT_ANNOTATION_KIND }) };
  }

  getDefaultQuery(_: CoreApp): Partial<DriftQuery> {
    return DEFAULT_QUERY;
  }

  filterQuery(query: DriftQuery): boolean {
    return !query.hide;
  }

  async query(request: DataQueryRequest<DriftQuery>): Promise<DataQueryResponse> {
    const context: QueryContext = {
      api: this.api.forOneRefresh(),
      window: { fromMs: request.range.from.valueOf(), toMs: request.range.to.valueOf() },
      intervalMs: request.intervalMs,
    };
    const targets = request.targets.filter((target) => this.filterQuery(target));
    const results = await Promise.all(targets.map((target) => this.runTarget(target, request, context)));
    return {
      data: results.flatMap((result) => ('frames' in result ? result.frames : [])),
      errors: results.flatMap((result) => ('error' in result ? [result.error] : [])),
    };
  }

  private async runTarget(
    target: DriftQuery,
    request: DataQueryRequest<DriftQuery>,
    context: QueryContext
  ): Promise<{ frames: DataFrame[] } | { error: DataQueryError }> {
    try {
      const frames = await runQuery(interpolateQuery(target, request.scopedVars), context);
      return { frames: frames.map((frame) => ({ ...frame, refId: target.refId })) };
    } catch (caught) {
      const failure = toDriftApiError(caught);
      return { error: { refId: target.refId, message: failure.message, status: failure.status } };
    }
  }

  /**
   * Grafana calls this when a query leaves the dashboard (Explore, "Copy to Explore", dashboard
   * links) so that it carries the variables' values instead of a literal `$model`.
   */
  interpolateVariablesInQueries(queries: DriftQuery[], scopedVars: ScopedVars): DriftQuery[] {
    return queries.map((query) => ({ ...interpolateQuery(query, scopedVars), datasource: this.getRef() }));
  }

  /** Values of a model or feature variable; the panel plugin uses the same lists. */
  async variableValues(query: DriftVariableQuery): Promise<MetricFindValue[]> {
    if (!VARIABLE_QUERY_TYPES.includes(query.queryType)) {
      throw new Error(`Unknown variable query type "${query.queryType}"`);
    }
    if (query.queryType === 'models') {
      return (await this.listModels()).map((model) => ({ text: model.name, value: model.id }));
    }
    if (!query.model) {
      throw new Error('Choose the model whose features to list');
    }
    return (await this.listFeatures(query.model)).map((feature) => ({ text: feature.name, value: feature.name }));
  }

  listModels(): Promise<Model[]> {
    return this.api.models();
  }

  listFeatures(model: string): Promise<Feature[]> {
    return this.api.features(model);
  }

  scheduleRetrain(modelId: string, options?: ScheduleRetrainOptions): Promise<RetrainJob> {
    return this.api.scheduleRetrain(modelId, options);
  }

  cancelRetrain(jobId: string): Promise<RetrainJob> {
    return this.api.cancelRetrain(jobId);
  }

  listRetrainJobs(modelId: string): Promise<RetrainJob[]> {
    return this.api.retrainJobs(modelId);
  }

  reportUrl(modelId: string, format: ReportFormat, window: TimeWindow, options: ReportOptions = {}): string {
    return this.api.reportUrl(modelId, format, { window, baseline: options.baseline, table: options.table });
  }

  testDatasource(): Promise<TestDataSourceResponse> {
    return checkHealth(this.api, this.serverUrl);
  }
}
