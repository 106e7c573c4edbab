import { DEFAULT_THRESHOLDS, Severity, SeverityThresholds } from '../stats';
import { FeatureDefinition, Model, NotFoundError, ReferenceBinning, ReferenceCalibration, Store } from '../store';
import { BaselineChoice } from './baseline';
import { BucketedComparison, compareBuckets, ComparedBuckets, NO_BINS, readBuckets } from './bucket-comparison';
import { EngineInputError } from './errors';
import { chiSquareOf, NO_NUMERIC_TESTS, numericTests } from './exact-tests';
import { averageDriftScore, binningOf, FeatureDrift } from './feature-drift';
import { predictionDriftOf } from './prediction-drift';
import { QueryCache } from './query-cache';
import { rawRowCoverage } from './raw-coverage';
import { FeatureDetail, ModelSummary, TrendFrame, Trends } from './results';
import { calibrationState, calibrationVersion } from './calibration-state';
import type { ModelTrendInputs } from './model-trend-series';
import { trendDocument, TrendDocumentJob, TrendSeriesChoice } from './trend-document';
import { TrendWorkers } from './trend-workers';
import { baselineOut, TREND_HISTORY, trendFrame, trendSeries, windowOut } from './trend-series';
import { alignWindow, previousPeriod, TimeWindow } from './window';

/** Refuses feature names the model does not have, naming them. */
function checkFeatureNames(modelId: string, names: readonly string[], asked: readonly string[]): void {
  const unknown = asked.filter((name) => !names.includes(name));
  if (unknown.length > 0)
    throw new EngineInputError(
      `model ${JSON.stringify(modelId)} has no feature(s) ${unknown.map((name) => JSON.stringify(name)).join(', ')}`
    );
}

function severityCounts(features: readonly FeatureDrift[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { ok: 0, warning: 0, critical: 0, insufficient_data: 0 };
  for (const feature of features) counts[feature.severity] += 1;
  return counts;
}

function withoutBins({ bins, ...rest }: FeatureDrift): Omit<FeatureDrift, 'bins'> {
  void bins;
  return rest;
}

/** Features whose raw values one scan reads: one scan instead of one per feature, with memory bounded by the deep-dive row limit × this. */
const FEATURES_PER_RAW_SCAN = 10;

export interface DriftEngineOptions {
  /** Budget for results kept for repeated identical queries, in characters of JSON (0: no cache). */
  readonly cacheSize?: number;
  readonly thresholds?: SeverityThresholds;
  /** Worker threads that compute trend answers (`trendDocument`); 0 computes them on the event loop. */
  readonly trendThreads?: number;
}

/**
 * Per-feature drift of a model over a window, from hourly aggregates; raw rows only for the
 * feature deep dive (exact KS, descriptive statistics).
 */
export class DriftEngine {
  private readonly cache: QueryCache;
  private readonly thresholds: SeverityThresholds;
  private readonly workers: TrendWorkers | undefined;

  constructor(
    readonly store: Store,
    options: DriftEngineOptions = {}
  ) {
    this.cache = new QueryCache(options.cacheSize ?? 0);
    this.thresholds = options.thresholds ?? DEFAULT_THRESHOLDS;
    const threads = options.trendThreads ?? 0;
    this.workers = threads > 0 ? new TrendWorkers(threads) : undefined;
  }

  /** Trend answers computed by the worker threads so far. */
  get trendWorkerTasks(): number {
    return this.workers?.completed ?? 0;
  }

  /** Stops the trend worker threads, if any were started. */
  async close(): Promise<void> {
    await this.workers?.close();
  }

  summary(modelId: string, window: TimeWindow, choice: BaselineChoice): Promise<ModelSummary> {
    return this.cached(['summary', modelId, window, choice], () => this.computeSummary(modelId, window, choice));
  }

  /**
   * Every feature's trend. A verdict is decided over all of a model's features at once (the
   * false-discovery control spans them), so every trend computes them all.
   */
  trends(modelId: string, window: TimeWindow, intervalMs: number, choice: BaselineChoice): Promise<Trends> {
    return this.cached(['trends', modelId, window, intervalMs, choice], () =>
      this.computeTrends(modelId, window, intervalMs, choice)
    );
  }

  /**
   * The trend answer of the API as UTF-8 JSON (`trend-document.ts`), computed by the worker
   * threads when there are any: the event loop reads the aggregates and gets bytes back.
   */
  trendDocument(
    modelId: string,
    requested: TimeWindow,
    intervalMs: number,
    choice: BaselineChoice,
    series: TrendSeriesChoice,
    only?: readonly string[]
  ): Promise<Uint8Array<ArrayBuffer>> {
    const features = only === undefined || only.length === 0 ? undefined : only;
    return this.cached(['trend-document', modelId, requested, intervalMs, choice, series, features], async () => {
      const { model, binning } = await this.load(modelId, choice);
      if (features && series !== 'model')
        checkFeatureNames(
          modelId,
          model.features.map((feature) => feature.name),
          features
        );
      const window = alignWindow(requested, intervalMs);
      const comparison = { model, binning, window, bucketMs: intervalMs, choice, history: TREND_HISTORY };
      const [reads, modelSeries] = await Promise.all([
        readBuckets(this.store, comparison),
        series === 'features'
          ? undefined
          : this.modelTrendInputs(modelId, {
              baseline: baselineOut(binning, window, choice),
              window: windowOut(window),
              interval_ms: intervalMs,
            }),
      ]);
      const job: TrendDocumentJob = { comparison, reads, thresholds: this.thresholds, series, features, modelSeries };
      return this.workers ? this.workers.trendDocument(job) : trendDocument(job);
    });
  }

  featureDetail(
    modelId: string,
    featureName: string,
    window: TimeWindow,
    choice: BaselineChoice
  ): Promise<FeatureDetail> {
    return this.cached(
      ['feature', modelId, featureName, window, choice],
      async () => (await this.computeFeatureDetails(modelId, window, choice, [featureName]))[0]
    );
  }

  /** Every feature's deep dive, in the model's order; raw rows are read for several features per scan. */
  featureDetails(modelId: string, window: TimeWindow, choice: BaselineChoice): Promise<FeatureDetail[]> {
    return this.cached(['features', modelId, window, choice], () =>
      this.computeFeatureDetails(modelId, window, choice)
    );
  }

  /**
   * Runs `compute` once per identical query (kind, model id, arguments) until the model's data
   * changes; derived queries such as model health share this cache and its invalidation.
   */
  cached<T>(query: [string, string, ...unknown[]], compute: () => Promise<T>): Promise<T> {
    const [, modelId] = query;
    return this.cache.get(JSON.stringify([this.store.changes.version(modelId), ...query]), compute);
  }

  /**
   * A model's definition, frozen binning and calibration change only with a write to the model, so
   * they are cached like query results instead of re-read and re-parsed by every query.
   */
  model(modelId: string): Promise<Model> {
    return this.cached(['model', modelId], () => this.store.models.get(modelId));
  }

  /** The binning of `version`, or of the newest version when omitted. */
  binning(modelId: string, version?: number): Promise<ReferenceBinning> {
    return this.cached(['binning', modelId, version ?? 'newest'], () =>
      this.store.references.binning(modelId, version)
    );
  }

  calibration(modelId: string, version: number): Promise<ReferenceCalibration> {
    return this.cached(['calibration', modelId, version], () => this.store.references.calibration(modelId, version));
  }

  /** What the model-level series reads beside the trends: accuracy sums per interval and the calibration they are estimated under. */
  async modelTrendInputs(
    modelId: string,
    frame: Pick<TrendFrame, 'baseline' | 'window' | 'interval_ms'>
  ): Promise<ModelTrendInputs> {
    const version = calibrationVersion(frame.baseline);
    const calibration = await this.calibration(modelId, version);
    const accuracy = await this.store.aggregates.accuracy(modelId, version, {
      fromMs: Date.parse(frame.window.from),
      toMs: Date.parse(frame.window.to),
      bucketMs: frame.interval_ms,
    });
    return { accuracy, calibration: calibrationState(calibration, version) };
  }

  private async computeSummary(modelId: string, window: TimeWindow, choice: BaselineChoice): Promise<ModelSummary> {
    const { model, binning } = await this.load(modelId, choice);
    const [buckets, hours] = await Promise.all([
      this.compare({ model, binning, window, bucketMs: window.toMs - window.fromMs, choice, history: 0 }),
      this.store.aggregates.hoursWithData(model.id, window.fromMs, window.toMs),
    ]);
    const features = buckets.drift.get(0) ?? [];
    const predictions = buckets.volume.get(0) ?? 0;
    return {
      model_id: model.id,
      window: windowOut(window),
      baseline: baselineOut(binning, window, choice),
      total_predictions: predictions,
      data_volume: {
        predictions,
        hours_with_data: hours,
        predictions_per_day: predictions / ((window.toMs - window.fromMs) / 86_400_000),
      },
      average_drift_score: averageDriftScore(features),
      drifted_features: features.filter((feature) => feature.drifted).length,
      severity_counts: severityCounts(features),
      features: [...features].sort((a, b) => (b.psi ?? -1) - (a.psi ?? -1)).map(withoutBins),
      prediction_drift: predictionDriftOf(model, binning, buckets.output?.get(0), predictions),
    };
  }

  private async computeTrends(
    modelId: string,
    requested: TimeWindow,
    intervalMs: number,
    choice: BaselineChoice
  ): Promise<Trends> {
    const { model, binning } = await this.load(modelId, choice);
    const window = alignWindow(requested, intervalMs);
    const buckets = await this.compare({
      model,
      binning,
      window,
      bucketMs: intervalMs,
      choice,
      history: TREND_HISTORY,
    });
    return trendSeries(model, trendFrame(model, binning, window, intervalMs, choice, buckets.volume), buckets);
  }

  private async computeFeatureDetails(
    modelId: string,
    window: TimeWindow,
    choice: BaselineChoice,
    names?: readonly string[]
  ): Promise<FeatureDetail[]> {
    const { model, binning } = await this.load(modelId, choice);
    const indices =
      names === undefined
        ? model.features.map((_, index) => index)
        : names.map((name) => {
            const index = model.features.findIndex((feature) => feature.name === name);
            if (index === -1)
              throw new NotFoundError(`model ${JSON.stringify(model.id)} has no feature ${JSON.stringify(name)}`);
            return index;
          });
    const features = indices.map((index) => model.features[index]);
    const wanted = new Set(features.map((feature) => feature.name));
    const buckets = await this.compare(
      { model, binning, window, bucketMs: window.toMs - window.fromMs, choice, history: 0 },
      (feature) => wanted.has(feature.name)
    );
    const all = buckets.drift.get(0) ?? [];
    const drifts = indices.map((index) => all[index]);
    const details: FeatureDetail[] = [];
    for (let start = 0; start < indices.length; start += FEATURES_PER_RAW_SCAN) {
      const columns = indices.slice(start, start + FEATURES_PER_RAW_SCAN);
      const production = await this.store.rawValues.production(model.id, columns, window.fromMs, window.toMs);
      const reference =
        choice.kind === 'previous_period'
          ? await this.store.rawValues.production(model.id, columns, previousPeriod(window).fromMs, window.fromMs)
          : await this.store.rawValues.reference(model.id, binning.version, columns);
      columns.forEach((_, i) => {
        const feature = features[start + i];
        const drift = drifts[start + i];
        const bins = binning.features[feature.name];
        const exact =
          feature.kind === 'numeric' ? numericTests(reference[i].values, production[i].values) : NO_NUMERIC_TESTS;
        details.push({
          model_id: model.id,
          window: windowOut(window),
          baseline: baselineOut(binning, window, choice),
          drift: {
            ...drift,
            cuts: bins.kind === 'numeric' ? bins.cuts : null,
            binning: binningOf(bins),
            ...exact.tests,
            ...chiSquareOf(feature, drift),
          },
          stats: exact.stats,
          raw_rows: {
            reference: reference[i].values.length,
            production: production[i].values.length,
            truncated: reference[i].truncated || production[i].truncated,
          },
          coverage: rawRowCoverage(drift, reference[i], production[i]),
        });
      });
    }
    return details;
  }

  private async load(modelId: string, choice: BaselineChoice): Promise<{ model: Model; binning: ReferenceBinning }> {
    const model = await this.model(modelId);
    const binning = await this.binning(model.id, choice.kind === 'reference' ? choice.version : undefined);
    return { model, binning };
  }

  /** Reads and compares the buckets of `comparison`; only features `withBins` picks get the per-bin breakdown. */
  private async compare(
    comparison: BucketedComparison,
    withBins: (feature: FeatureDefinition) => boolean = NO_BINS
  ): Promise<ComparedBuckets> {
    return compareBuckets(comparison, await readBuckets(this.store, comparison), this.thresholds, withBins);
  }
}
