import { createDataFrame, DataFrame, DataFrameType, FieldType } from '@grafana/data';
import { Trends } from '../api/types';
import { TrendMetric } from '../types';
import { metricConfigFor } from './metricConfig';

const TIME_SERIES_MULTI = { type: DataFrameType.TimeSeriesMulti, typeVersion: [0, 1] as [number, number] };

type FeatureMetric = Exclude<TrendMetric, 'volume'>;

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
export function featureTrendFrames(trends: Trends, metric: FeatureMetric): DataFrame[] {
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

export function trendFrames(trends: Trends, metric: TrendMetric): DataFrame[] {
  return metric === 'volume' ? [volumeFrame(trends)] : featureTrendFrames(trends, metric);
}
