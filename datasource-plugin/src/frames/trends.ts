import { createDataFrame, DataFrame, DataFrameType, FieldType } from '@grafana/data';
import { Trends } from 'driftguard-api-contract';
import { FeatureTrendMetric, isModelTrendMetric, ModelTrendMetric, TrendMetric } from '../types';
import { metricConfigFor } from './metricConfig';

const TIME_SERIES_MULTI = { type: DataFrameType.TimeSeriesMulti, typeVersion: [0, 1] as [number, number] };

function timeField(times: string[]) {
  return { name: 'time', type: FieldType.time, values: times.map((time) => Date.parse(time)), config: {} };
}

/** Predictions per interval: one series. */
export function volumeFrame(trends: Trends): DataFrame {
  return createDataFrame({
    name: 'volume',
    meta: TIME_SERIES_MULTI,
    fields: [
      timeField(trends.volume.map((point) => point.time)),
      {
        name: 'predictions',
        type: FieldType.number,
        values: trends.volume.map((p) => p.predictions),
        config: metricConfigFor('predictions'),
      },
    ],
  });
}

/**
 * One frame per feature (data plane timeseries-multi): time first, then the metric with
 * `model` and `feature` labels. Intervals without enough rows stay null, so graphs show gaps, not zeros.
 */
export function featureTrendFrames(trends: Trends, metric: FeatureTrendMetric): DataFrame[] {
  return trends.series.map((series) =>
    createDataFrame({
      name: series.feature,
      meta: TIME_SERIES_MULTI,
      fields: [
        timeField(series.points.map((point) => point.time)),
        {
          name: metric,
          type: FieldType.number,
          labels: { model: trends.model_id, feature: series.feature },
          values: series.points.map((point) => point[metric]),
          config: metricConfigFor(metric, series.feature),
        },
      ],
    })
  );
}

/** The model-level series (health, accuracy) as one time series labelled with the model. */
export function modelTrendFrame(trends: Trends, metric: ModelTrendMetric): DataFrame {
  if (!trends.model) {
    throw new Error(`drift-server sent no model series for ${trends.model_id}: ask for series=model`);
  }
  const { points } = trends.model;
  return createDataFrame({
    name: trends.model_id,
    meta: TIME_SERIES_MULTI,
    fields: [
      timeField(points.map((point) => point.time)),
      {
        name: metric,
        type: FieldType.number,
        labels: { model: trends.model_id },
        values: points.map((point) => point[metric]),
        config: metricConfigFor(metric),
      },
    ],
  });
}

export function trendFrames(trends: Trends, metric: TrendMetric): DataFrame[] {
  if (metric === 'volume') {
    return [volumeFrame(trends)];
  }
  return isModelTrendMetric(metric) ? [modelTrendFrame(trends, metric)] : featureTrendFrames(trends, metric);
}
