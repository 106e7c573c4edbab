import { DataFrame } from '@grafana/data';
import { DriftApi, DriftParams } from '../api/DriftApi';
import { DriftApiError } from '../api/errors';
import { driftBreachAnnotationFrame } from '../frames/annotations';
import { featureDetailFrames } from '../frames/featureDetail';
import { featureTableFrame } from '../frames/featureTable';
import { modelSummaryFrame } from '../frames/modelSummary';
import { recommendationFrame } from '../frames/recommendation';
import { trendFrames } from '../frames/trends';
import { ANNOTATION_KINDS, ANNOTATION_QUERY_TYPE, DriftQuery, PanelQueryType } from '../types';

export interface QueryContext {
  api: DriftApi;
  window: DriftParams['window'];
  /** The panel's interval, used when the query sets none. */
  intervalMs: number;
}

type Runner = (query: DriftQuery & { model: string }, context: QueryContext) => Promise<DataFrame[]>;

function params(query: DriftQuery, context: QueryContext): DriftParams {
  return { window: context.window, baseline: query.baseline || undefined };
}

function trendParams(query: DriftQuery, context: QueryContext) {
  return {
    ...params(query, context),
    interval: query.interval || String(context.intervalMs),
    features: query.feature || undefined,
  };
}

const RUNNERS: Record<PanelQueryType | typeof ANNOTATION_QUERY_TYPE, Runner> = {
  modelSummary: async (query, context) => [
    modelSummaryFrame(await context.api.summary(query.model, params(query, context))),
  ],
  featureTable: async (query, context) => {
    const summary = await context.api.summary(query.model, params(query, context));
    return [featureTableFrame(summary.model_id, summary.features)];
  },
  featureDetail: async (query, context) => {
    if (!query.feature) {
      throw new DriftApiError('Choose a feature', 'other');
    }
    const detail = await context.api.featureDetail(query.model, query.feature, params(query, context));
    return featureDetailFrames(detail, query.section);
  },
  recommendation: async (query, context) => [
    recommendationFrame(await context.api.recommendation(query.model, params(query, context))),
  ],
  trends: async (query, context) =>
    trendFrames(await context.api.trends(query.model, trendParams(query, context)), query.metric ?? 'psi'),
  annotations: async (query, context) => {
    const kind = query.kind ?? 'driftBreaches';
    if (!ANNOTATION_KINDS.includes(kind)) {
      throw new DriftApiError(
        `Annotation kind "${kind}" is not supported by this version of the DriftGuard data source`,
        'other'
      );
    }
    return [driftBreachAnnotationFrame(await context.api.trends(query.model, trendParams(query, context)))];
  },
};

function isKnownType(queryType: string): queryType is keyof typeof RUNNERS {
  return Object.prototype.hasOwnProperty.call(RUNNERS, queryType);
}

/** Runs one interpolated query; failures surface as DriftApiError with a message meant for the panel. */
export function runQuery(query: DriftQuery, context: QueryContext): Promise<DataFrame[]> {
  const queryType = query.queryType ?? '';
  if (!isKnownType(queryType)) {
    return Promise.reject(
      new DriftApiError(
        `Query type "${queryType}" is not supported by this version of the DriftGuard data source`,
        'other'
      )
    );
  }
  if (!query.model) {
    return Promise.reject(new DriftApiError('Choose a model', 'other'));
  }
  return RUNNERS[queryType]({ ...query, model: query.model }, context);
}
