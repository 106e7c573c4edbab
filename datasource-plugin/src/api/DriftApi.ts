import { getBackendSrv } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';
import { toDriftApiError } from './errors';
import {
  FeatureDetail,
  FeatureInfo,
  Health,
  ModelInfo,
  ModelSummary,
  OpenApiDocument,
  Recommendation,
  Trends,
} from './types';

/** Route paths declared in plugin.json; Grafana's data proxy swaps each for its URL and token. */
export const ROUTES = {
  health: 'health',
  read: 'read',
  operate: 'operate',
} as const;
type Route = (typeof ROUTES)[keyof typeof ROUTES];

export interface TimeWindow {
  fromMs: number;
  toMs: number;
}

export interface DriftParams {
  window: TimeWindow;
  baseline?: string;
}

function windowParams({ window, baseline }: DriftParams): Record<string, string> {
  return {
    from: String(window.fromMs),
    to: String(window.toMs),
    ...(baseline ? { reference: baseline } : {}),
  };
}

/** drift-server's REST API, reached only through the data proxy routes of this data source. */
export class DriftApi {
  constructor(private readonly proxyUrl: string) {}

  health(): Promise<Health> {
    return this.get<Health>(ROUTES.health, '');
  }

  /** Any GET under /api/v1 needs scope read, so this also proves a token can read. */
  openApiDocument(route: typeof ROUTES.read | typeof ROUTES.operate): Promise<OpenApiDocument> {
    return this.get<OpenApiDocument>(route, '/openapi.json');
  }

  async models(): Promise<ModelInfo[]> {
    return (await this.get<{ models: ModelInfo[] }>(ROUTES.read, '/models')).models;
  }

  async features(model: string): Promise<FeatureInfo[]> {
    return (await this.get<{ features: FeatureInfo[] }>(ROUTES.read, `/models/${encodeURIComponent(model)}/features`))
      .features;
  }

  summary(model: string, params: DriftParams): Promise<ModelSummary> {
    return this.get<ModelSummary>(ROUTES.read, `/models/${encodeURIComponent(model)}/summary`, windowParams(params));
  }

  /** 409 when the model lacks business parameters or its reference has no calibration. */
  recommendation(model: string, params: DriftParams): Promise<Recommendation> {
    const path = `/models/${encodeURIComponent(model)}/recommendation`;
    return this.get<Recommendation>(ROUTES.read, path, windowParams(params));
  }

  featureDetail(model: string, feature: string, params: DriftParams): Promise<FeatureDetail> {
    const path = `/models/${encodeURIComponent(model)}/features/${encodeURIComponent(feature)}`;
    return this.get<FeatureDetail>(ROUTES.read, path, windowParams(params));
  }

  trends(model: string, params: DriftParams & { interval: string; features?: string }): Promise<Trends> {
    const query = {
      ...windowParams(params),
      interval: params.interval,
      ...(params.features ? { features: params.features } : {}),
    };
    return this.get<Trends>(ROUTES.read, `/models/${encodeURIComponent(model)}/trends`, query);
  }

  private async get<T>(route: Route, path: string, params?: Record<string, string>): Promise<T> {
    try {
      const response = await lastValueFrom(
        getBackendSrv().fetch<T>({
          url: `${this.proxyUrl}/${route}${path}`,
          method: 'GET',
          params,
          showErrorAlert: false,
        })
      );
      return response.data;
    } catch (error) {
      throw toDriftApiError(error);
    }
  }
}
