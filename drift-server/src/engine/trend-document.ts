import type { SeverityThresholds } from '../stats';
import { BucketedComparison, BucketReads, compareBuckets, NO_BINS } from './bucket-comparison';
import { ModelTrendInputs, modelTrendOf } from './model-trend-series';
import { trendFrame, trendSeries } from './trend-series';

/** Which series a trend answer carries: per feature, the model's own (health, accuracy), or both. */
export type TrendSeriesChoice = 'features' | 'model' | 'all';

/**
 * Everything a trend answer is computed from, already read from the store: plain data, so the
 * computation can run in a worker thread (`trend-workers.ts`) as well as in-process.
 */
export interface TrendDocumentJob {
  /** Over the aligned window, with TREND_HISTORY intervals of history. */
  readonly comparison: BucketedComparison;
  readonly reads: BucketReads;
  readonly thresholds: SeverityThresholds;
  readonly series: TrendSeriesChoice;
  /** The features whose series are listed; all when absent (verdicts are decided over all of them either way). */
  readonly features?: readonly string[];
  /** Read for the model series (`series` model or all). */
  readonly modelSeries?: ModelTrendInputs;
}

/**
 * The trend answer as UTF-8 JSON: what JSON.stringify gives for the per-feature trends (with the
 * model series beside them when asked for), encoded where it is computed, so that a worker hands
 * back one transferable buffer instead of an object graph the event loop would copy and write out.
 */
export async function trendDocument(job: TrendDocumentJob): Promise<Uint8Array<ArrayBuffer>> {
  const { model, binning, window, bucketMs, choice } = job.comparison;
  const buckets = await compareBuckets(job.comparison, job.reads, job.thresholds, NO_BINS);
  const trends = await trendSeries(
    model,
    trendFrame(model, binning, window, bucketMs, choice, buckets.volume),
    buckets
  );
  const modelSeries =
    job.modelSeries && (await modelTrendOf(trends, model, job.modelSeries.accuracy, job.modelSeries.calibration));
  const only = job.features;
  const series =
    job.series === 'model'
      ? []
      : only === undefined || only.length === 0
        ? trends.series
        : trends.series.filter((item) => only.includes(item.feature));
  return new TextEncoder().encode(
    JSON.stringify({ ...trends, series, ...(modelSeries ? { model: modelSeries } : {}) })
  );
}
