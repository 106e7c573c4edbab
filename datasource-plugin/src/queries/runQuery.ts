import { DataFrame } from '@grafana/data';
import { RETRAIN_JOB_STATUSES, RetrainJobStatus, TrendSeries } from 'driftguard-api-contract';
import { DriftApi, DriftParams } from '../api/DriftApi';
import { DriftApiError } from '../api/errors';
import { alertAnnotationFrame, driftBreachAnnotationFrame, retrainJobAnnotationFrame } from '../frames/annotations';
import { featureDetailFrames } from '../frames/featureDetail';
import { featureTableFrame } from '../frames/featureTable';
import { modelSummaryFrame } from '../frames/modelSummary';
import { recommendationFrame } from '../frames/recommendation';
import { retrainJobsFrame } from '../frames/retrainJobs';
import { trendFrames } from '../frames/trends';
import {
  AnnotationKind,
  ANNOTATION_QUERY_TYPE,
  DEFAULT_ANNOTATION_KIND,
  DriftQuery,
  isAnnotationKind,
  isModelTrendMetric,
  PanelQueryType,
} from '../types';

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

function trendParams(query: DriftQuery, context: QueryContext, series: TrendSeries) {
  return {
    ...params(query, context),
    interval: query.interval || String(context.intervalMs),
    features: query.feature || undefined,
    series,
  };
}

function jobStatus(status: string | undefined): RetrainJobStatus | undefined {
  if (!status) {
    return undefined;
  }
  if (!(RETRAIN_JOB_STATUSES as readonly string[]).includes(status)) {
    throw new DriftApiError(
      `Unknown retrain job status "${status}": use one of ${RETRAIN_JOB_STATUSES.join(', ')}`,
      'other'
    );
  }
  return status as RetrainJobStatus;
}

const ANNOTATION_RUNNERS: Record<AnnotationKind, Runner> = {
  driftBreaches: async (query, context) => [
    driftBreachAnnotationFrame(await context.api.trends(query.model, trendParams(query, context, 'features'))),
  ],
  retrainJobs: async (query, context) => [
    retrainJobAnnotationFrame(await context.api.retrainJobs(query.model, { window: context.window })),
  ],
  alerts: async (query, context) => [alertAnnotationFrame(await context.api.alerts(query.model, context.window))],
};

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
    trendFrames(
      await context.api.trends(query.model, trendParams(query, context, isModelTrendMetric(query.metric) ? 'model' : 'features')),
      query.metric ?? 'psi',
    ),
  retrainJobs: async (query, context) => {
    const jobs = await context.api.retrainJobs(query.model, {
      window: context.window,
      status: jobStatus(query.status),
    });
    return [retrainJobsFrame(query.model, jobs)];
  },
  annotations: async (query, context) => {
    const kind = query.kind || DEFAULT_ANNOTATION_KIND;
    if (!isAnnotationKind(kind)) {
      throw new DriftApiError(
        `Annotation kind "${kind}" is not supported by this version of the DriftGuard data source`,
        'other'
      );
    }
    return ANNOTATION_RUNNERS[kind](query, context);
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
