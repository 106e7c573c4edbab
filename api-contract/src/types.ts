/**
 * drift-server's resources under the names the plugins use, taken from the types openapi-typescript
 * generated from /api/v1/openapi.json (generated/openapi.d.ts); nothing here is written by hand.
 */
import type { components, paths } from '../generated/openapi';

type Schemas = components['schemas'];

/** The JSON body of a route's 200 or 201 answer. */
export type JsonAnswer<Path extends keyof paths, Method extends 'get' | 'post'> = paths[Path][Method] extends {
  responses: infer Responses;
}
  ? Responses extends { 200: { content: { 'application/json': infer Body } } }
    ? Body
    : Responses extends { 201: { content: { 'application/json': infer Body } } }
      ? Body
      : never
  : never;

export type Problem = Schemas['Problem'];
export type WhoAmI = Schemas['WhoAmI'];
export type Model = Schemas['Model'];
export type ModelList = Schemas['ModelList'];
export type Feature = Schemas['Feature'];
export type FeatureList = Schemas['FeatureList'];

export type FeatureDrift = Schemas['FeatureDrift'];
export type Severity = FeatureDrift['severity'];
export type FeatureKind = FeatureDrift['kind'];
export type Finding = Schemas['Finding'];

export type AccuracyFigure = Schemas['AccuracyFigure'];
export type EstimatedAccuracy = Schemas['EstimatedAccuracy'];

export type ModelSummary = Schemas['ModelSummary'];

export type Recommendation = Schemas['Recommendation'];
export type RecommendationKind = Recommendation['recommendation'];

export type FeatureDetail = Schemas['FeatureDetail'];
export type HistogramBin = Schemas['Bin'];
export type DescriptiveStats = NonNullable<FeatureDetail['stats']['reference']>;

export type Trends = Schemas['Trends'];
export type TrendsQuery = NonNullable<paths['/models/{modelId}/trends']['get']['parameters']['query']>;
/** Which series drift-server computes: the model series recomputes every feature per interval. */
export type TrendSeries = NonNullable<TrendsQuery['series']>;
export type TrendPoint = Trends['series'][number]['points'][number];
export type ModelTrendPoint = NonNullable<Trends['model']>['points'][number];

export type RetrainJob = Schemas['RetrainJob'];
export type RetrainJobList = Schemas['RetrainJobList'];
export type RetrainJobStatus = RetrainJob['status'];
export type RetrainTrigger = RetrainJob['trigger'];

export type AlertRecord = Schemas['AlertRecord'];
export type AlertAction = AlertRecord['action'];
export type AlertList = JsonAnswer<'/models/{modelId}/alerts', 'get'>;
