import { getBackendSrv } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';
import {
  AlertRecord,
  Feature,
  FeatureDetail,
  Model,
  ModelSummary,
  Recommendation,
  ReportFormat,
  ReportOptions,
  RetrainJob,
  RetrainJobStatus,
  ScheduleRetrainOptions,
  TimeWindow,
  Trends,
  TrendSeries,
  WhoAmI,
} from 'driftguard-api-contract';
import { toDriftApiError } from './errors';
import { Health, OpenApiDocument } from './types';

/**
 * Route paths declared in plugin.json; Grafana's data proxy swaps each for drift-server's URL and a
 * token. Each route allows one method: reads are GET with the read token (Viewers), state changes
 * POST with the operate token (Editors), and `whoami-operate` is the one GET with the operate token,
 * for the health check to see that token's scopes.
 */
export const ROUTES = {
  health: 'health',
  read: 'read',
  operate: 'operate',
  operateWhoami: 'whoami-operate',
} as const;
type Route = (typeof ROUTES)[keyof typeof ROUTES];

/**
 * drift-server's API lives under this path. The route URLs are `serverUrl` alone and the path is
 * added here: Grafana joins the route URL and the rest of the request path with exactly one slash,
 * so a `serverUrl` ending in "/" still reaches /api/v1 (a route URL of `{{serverUrl}}/api/v1`
 * would give "//api/v1", which drift-server does not serve).
 */
const API_PATH = '/api/v1';

export type { TimeWindow };

export interface DriftParams {
  window: TimeWindow;
  baseline?: string;
}

function timeParams(window?: TimeWindow): Record<string, string> {
  return window ? { from: String(window.fromMs), to: String(window.toMs) } : {};
}

function windowParams({ window, baseline }: DriftParams): Record<string, string> {
  return { ...timeParams(window), ...(baseline ? { reference: baseline } : {}) };
}

const modelPath = (model: string) => `/models/${encodeURIComponent(model)}`;
const jobPath = (jobId: string) => `/retrain-jobs/${encodeURIComponent(jobId)}`;

/** drift-server's REST API, reached only through the data proxy routes of this data source. */
export class DriftApi {
  /** `sharedReads`: GETs already under way, answered once for every caller that asks the same. */
  constructor(
    private readonly proxyUrl: string,
    private readonly sharedReads?: Map<string, Promise<unknown>>
  ) {}

  /**
   * This API for the queries of one panel refresh: identical reads go to drift-server once, so the
   * feature table and the model summary of one panel share a single /summary.
   */
  forOneRefresh(): DriftApi {
    return new DriftApi(this.proxyUrl, new Map());
  }

  health(): Promise<Health> {
    return this.request<Health>('GET', `${ROUTES.health}/healthz`, {});
  }

  /** Any GET under /api/v1 needs scope read, so this also proves a token can read. */
  openApiDocument(): Promise<OpenApiDocument> {
    return this.get<OpenApiDocument>(ROUTES.read, '/openapi.json');
  }

  async models(): Promise<Model[]> {
    return (await this.get<{ models: Model[] }>(ROUTES.read, '/models')).models;
  }

  async features(model: string): Promise<Feature[]> {
    return (await this.get<{ features: Feature[] }>(ROUTES.read, `${modelPath(model)}/features`)).features;
  }

  summary(model: string, params: DriftParams): Promise<ModelSummary> {
    return this.get<ModelSummary>(ROUTES.read, `${modelPath(model)}/summary`, windowParams(params));
  }

  /** 409 when the model lacks business parameters or its reference has no calibration. */
  recommendation(model: string, params: DriftParams): Promise<Recommendation> {
    const path = `${modelPath(model)}/recommendation`;
    return this.get<Recommendation>(ROUTES.read, path, windowParams(params));
  }

  featureDetail(model: string, feature: string, params: DriftParams): Promise<FeatureDetail> {
    const path = `${modelPath(model)}/features/${encodeURIComponent(feature)}`;
    return this.get<FeatureDetail>(ROUTES.read, path, windowParams(params));
  }

  trends(model: string, params: DriftParams & { interval: string; features?: string; series: TrendSeries }): Promise<Trends> {
    const query = {
      ...windowParams(params),
      interval: params.interval,
      series: params.series,
      ...(params.features ? { features: params.features } : {}),
    };
    return this.get<Trends>(ROUTES.read, `${modelPath(model)}/trends`, query);
  }

  /** The token behind a route: lets the health check see the operate token's scopes. */
  whoami(route: typeof ROUTES.read | typeof ROUTES.operateWhoami): Promise<WhoAmI> {
    return this.get<WhoAmI>(route, '/whoami');
  }

  /** Jobs created, started or finished in the window (all when absent), newest first. */
  async retrainJobs(
    model: string,
    filter: { window?: TimeWindow; status?: RetrainJobStatus } = {}
  ): Promise<RetrainJob[]> {
    const query = { ...timeParams(filter.window), ...(filter.status ? { status: filter.status } : {}) };
    return (await this.get<{ jobs: RetrainJob[] }>(ROUTES.read, `${modelPath(model)}/retrain-jobs`, query)).jobs;
  }

  /** drift-server answers with the model's active job instead when one exists. */
  scheduleRetrain(model: string, options: ScheduleRetrainOptions = {}): Promise<RetrainJob> {
    const body = {
      ...(options.reason ? { reason: options.reason } : {}),
      ...(options.scheduledForMs !== undefined ? { scheduled_for: options.scheduledForMs } : {}),
      ...(options.window
        ? { from: new Date(options.window.fromMs).toISOString(), to: new Date(options.window.toMs).toISOString() }
        : {}),
    };
    return this.send<RetrainJob>('POST', ROUTES.operate, `${modelPath(model)}/retrain-jobs`, { data: body });
  }

  cancelRetrain(jobId: string): Promise<RetrainJob> {
    return this.send<RetrainJob>('POST', ROUTES.operate, `${jobPath(jobId)}/cancel`, { data: {} });
  }

  /** Alert notifications received for the model whose alert started in the window. */
  async alerts(model: string, window: TimeWindow): Promise<AlertRecord[]> {
    return (await this.get<{ alerts: AlertRecord[] }>(ROUTES.read, `${modelPath(model)}/alerts`, timeParams(window)))
      .alerts;
  }

  /** A link through the read route: the browser sends Grafana's session, Grafana adds the read token. */
  reportUrl(model: string, format: ReportFormat, params: DriftParams & Pick<ReportOptions, 'table'>): string {
    const query = new URLSearchParams({
      ...windowParams(params),
      ...(format === 'csv' && params.table ? { table: params.table } : {}),
    });
    return `${this.proxyUrl}/${ROUTES.read}${API_PATH}${modelPath(model)}/report.${format}?${query}`;
  }

  private get<T>(route: Route, path: string, params?: Record<string, string>): Promise<T> {
    if (!this.sharedReads) {
      return this.send<T>('GET', route, path, { params });
    }
    const key = JSON.stringify([route, path, params ?? {}]);
    let read = this.sharedReads.get(key) as Promise<T> | undefined;
    if (!read) {
      read = this.send<T>('GET', route, path, { params });
      this.sharedReads.set(key, read);
    }
    return read;
  }

  private send<T>(
    method: 'GET' | 'POST',
    route: Route,
    path: string,
    options: { params?: Record<string, string>; data?: object }
  ): Promise<T> {
    return this.request<T>(method, `${route}${API_PATH}${path}`, options);
  }

  private async request<T>(
    method: 'GET' | 'POST',
    proxyPath: string,
    { params, data }: { params?: Record<string, string>; data?: object }
  ): Promise<T> {
    try {
      const response = await lastValueFrom(
        getBackendSrv().fetch<T>({
          url: `${this.proxyUrl}/${proxyPath}`,
          method,
          params,
          data,
          showErrorAlert: false,
        })
      );
      return response.data;
    } catch (error) {
      throw toDriftApiError(error);
    }
  }
}
