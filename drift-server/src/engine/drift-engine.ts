import { DEFAULT_THRESHOLDS, Severity, SeverityThresholds } from '../stats';
import {
  BucketCounts,
  FeatureDefinition,
  inSlices,
  Model,
  NotFoundError,
  ReferenceBinning,
  ReferenceCalibration,
  Store,
} from '../store';
import { BaselineChoice } from './baseline';
import { EngineInputError } from './errors';
import { chiSquareOf, NO_NUMERIC_TESTS, numericTests } from './exact-tests';
import {
  averageDriftScore,
  binningOf,
  decideFeatures,
  FeatureComparer,
  FeatureDrift,
  SideCounts,
} from './feature-drift';
import { DEFAULT_PERSISTENCE, persistentVerdicts } from './persistence';
import { QueryCache } from './query-cache';
import { rawRowCoverage } from './raw-coverage';
import {
  BaselineOut,
  FeatureDetail,
  ModelSummary,
  TrendFrame,
  TrendPoint,
  Trends,
  TrendSeries,
  WindowOut,
} from './results';
import { alignWindow, intervalStartTimes, previousPeriod, TimeWindow } from './window';

function windowOut(window: TimeWindow): WindowOut {
  return { from: new Date(window.fromMs).toISOString(), to: new Date(window.toMs).toISOString() };
}

/** A feature's counts in a bucket, from the numeric or the categorical aggregates (names are unique across both). */
function bucketSide(
  numeric: BucketCounts<number>,
  categorical: BucketCounts<string>,
  bucket: number,
  feature: string
): SideCounts | undefined {
  return numeric.get(bucket)?.get(feature) ?? categorical.get(bucket)?.get(feature);
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

const NO_BINS = () => false;

/** Features whose raw values one scan reads: one scan instead of one per feature, with memory bounded by the deep-dive row limit × this. */
const FEATURES_PER_RAW_SCAN = 10;

export interface DriftEngineOptions {
  /** Budget for results kept for repeated identical queries, in characters of JSON (0: no cache). */
  readonly cacheSize?: number;
  readonly thresholds?: SeverityThresholds;
}

/**
 * Per-feature drift of a model over a window, from hourly aggregates; raw rows only for the
 * feature deep dive (exact KS, descriptive statistics).
 */
export class DriftEngine {
  private readonly cache: QueryCache;
  private readonly thresholds: SeverityThresholds;

  constructor(
    readonly store: Store,
    options: DriftEngineOptions = {}
  ) {
    this.cache = new QueryCache(options.cacheSize ?? 0);
    this.thresholds = options.thresholds ?? DEFAULT_THRESHOLDS;
  }

  summary(modelId: string, window: TimeWindow, choice: BaselineChoice): Promise<ModelSummary> {
    return this.cached(['summary', modelId, window, choice], () => this.computeSummary(modelId, window, choice));
  }

  /**
   * Every feature's trend, or those named in `only`. A verdict is decided over all of a model's
   * features at once (the false-discovery control spans them), so a one-feature trend costs what
   * all features cost; it is cut from the cached all-feature trend, so a dashboard asking for each
   * feature in turn pays for one computation, not one per feature.
   */
  async trends(
    modelId: string,
    window: TimeWindow,
    intervalMs: number,
    choice: BaselineChoice,
    only?: readonly string[]
  ): Promise<Trends> {
    const all = await this.cached(['trends', modelId, window, intervalMs, choice], () =>
      this.computeTrends(modelId, window, intervalMs, choice)
    );
    if (only === undefined || only.length === 0) return all;
    const unknown = only.filter((name) => !all.series.some((series) => series.feature === name));
    if (unknown.length > 0)
      throw new EngineInputError(
        `model ${JSON.stringify(modelId)} has no feature(s) ${unknown.map((name) => JSON.stringify(name)).join(', ')}`
      );
    return { ...all, series: all.series.filter((series) => only.includes(series.feature)) };
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

  private async computeSummary(modelId: string, window: TimeWindow, choice: BaselineChoice): Promise<ModelSummary> {
    const { model, binning } = await this.load(modelId, choice);
    const [buckets, hours] = await Promise.all([
      this.compareBuckets(model, binning, window, window.toMs - window.fromMs, choice, NO_BINS),
      this.store.aggregates.hoursWithData(model.id, window.fromMs, window.toMs),
    ]);
    const features = buckets.drift.get(0) ?? [];
    const predictions = buckets.volume.get(0) ?? 0;
    return {
      model_id: model.id,
      window: windowOut(window),
      baseline: this.baselineOut(binning, window, choice),
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
    };
  }

  /**
   * A trend's window, baseline and predictions per interval without the per-feature series: what
   * a model-level series (`series=model`) is shown with, from one aggregate read.
   */
  trendFrame(modelId: string, requested: TimeWindow, intervalMs: number, choice: BaselineChoice): Promise<TrendFrame> {
    return this.cached(['trend-frame', modelId, requested, intervalMs, choice], async () => {
      const { model, binning } = await this.load(modelId, choice);
      const window = alignWindow(requested, intervalMs);
      const volume = await this.store.aggregates.volume(model.id, { ...window, bucketMs: intervalMs });
      return this.frameOf(model, binning, window, intervalMs, choice, volume);
    });
  }

  private async computeTrends(
    modelId: string,
    requested: TimeWindow,
    intervalMs: number,
    choice: BaselineChoice
  ): Promise<Trends> {
    const { model, binning } = await this.load(modelId, choice);
    const window = alignWindow(requested, intervalMs);
    // The intervals just before the window decide whether its first points persist.
    const history = DEFAULT_PERSISTENCE.m - 1;
    const buckets = await this.compareBuckets(model, binning, window, intervalMs, choice, NO_BINS, history);
    const frame = this.frameOf(model, binning, window, intervalMs, choice, buckets.volume);
    const series: TrendSeries[] = [];
    for (const [index, feature] of model.features.entries()) {
      const drifts = Array.from(
        { length: history + frame.volume.length },
        (_, offset) => buckets.drift.get(offset - history)?.[index]
      );
      const persistent = persistentVerdicts(
        drifts.map((drift) => drift?.drifted ?? false),
        DEFAULT_PERSISTENCE
      ).slice(history);
      // A 90-day hourly trend has tens of thousands of points: they are built in time slices.
      const points: TrendPoint[] = new Array(frame.volume.length);
      await inSlices(frame.volume.length, (bucket) => {
        const drift = drifts[history + bucket];
        points[bucket] = {
          time: frame.volume[bucket].time,
          psi: drift?.psi ?? null,
          js: drift?.js ?? null,
          kl: drift?.kl ?? null,
          psi_critical: drift?.psi_critical ?? null,
          severity: drift?.severity ?? 'insufficient_data',
          production_rows: drift?.production_rows ?? 0,
          drifted: drift?.drifted ?? false,
          persistent: persistent[bucket],
          psi_corrected: drift?.psi_corrected ?? null,
          psi_noise: drift?.psi_noise ?? null,
          shift_q_value: drift?.shift_q_value ?? null,
          findings: drift?.findings ?? [],
        };
      });
      series.push({ feature: feature.name, kind: feature.kind, points });
    }
    return { ...frame, series };
  }

  /** `volume` maps a bucket of the aligned window (0 = the first interval) to its predictions. */
  private frameOf(
    model: Model,
    binning: ReferenceBinning,
    window: TimeWindow,
    intervalMs: number,
    choice: BaselineChoice,
    volume: Map<number, number>
  ): TrendFrame {
    const times = intervalStartTimes(window.fromMs, intervalMs, (window.toMs - window.fromMs) / intervalMs);
    return {
      model_id: model.id,
      window: windowOut(window),
      interval_ms: intervalMs,
      baseline: this.baselineOut(binning, window, choice),
      volume: times.map((time, bucket) => ({ time, predictions: volume.get(bucket) ?? 0 })),
      persistence: DEFAULT_PERSISTENCE,
    };
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
    const buckets = await this.compareBuckets(model, binning, window, window.toMs - window.fromMs, choice, (feature) =>
      wanted.has(feature.name)
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
          baseline: this.baselineOut(binning, window, choice),
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

  /**
   * Drift per bucket of `bucketMs` over the window, of every feature of the model: the verdicts of
   * a bucket are decided over all its features together. Buckets −history…−1 lie before the window.
   * The previous-period baseline of bucket k is bucket k − 1, so one extra bucket is read before
   * those. Only features `withBins` picks get the per-bin breakdown of the deep dive.
   */
  private async compareBuckets(
    model: Model,
    binning: ReferenceBinning,
    window: TimeWindow,
    bucketMs: number,
    choice: BaselineChoice,
    withBins: (feature: FeatureDefinition) => boolean,
    history = 0
  ): Promise<{ drift: Map<number, FeatureDrift[]>; volume: Map<number, number> }> {
    const lead = history + (choice.kind === 'previous_period' ? 1 : 0);
    const range = { fromMs: window.fromMs - lead * bucketMs, toMs: window.toMs, bucketMs };
    const { features } = model;
    const numericNames = features.filter((feature) => feature.kind === 'numeric').map((feature) => feature.name);
    const categoricalNames = features
      .filter((feature) => feature.kind === 'categorical')
      .map((feature) => feature.name);
    const [numeric, categorical, volume] = await Promise.all([
      this.store.aggregates.numericCounts(model.id, binning.version, range, numericNames),
      this.store.aggregates.categoricalCounts(model.id, range, categoricalNames),
      this.store.aggregates.volume(model.id, range),
    ]);
    const comparers = features.map((feature) => ({
      comparer: new FeatureComparer(feature, binning.features[feature.name], this.thresholds),
      bins: withBins(feature),
    }));
    const drift = new Map<number, FeatureDrift[]>();
    const bucketCount = Math.round((window.toMs - window.fromMs) / bucketMs);
    const previous = choice.kind === 'previous_period';
    await inSlices(history + bucketCount, (offset) => {
      const bucket = offset - history;
      const read = bucket + lead;
      const compared = comparers.map(({ comparer, bins }) => {
        const name = comparer.feature.name;
        const baseline = previous ? bucketSide(numeric, categorical, read - 1, name) : comparer.frozenReference;
        return comparer.compare(baseline, bucketSide(numeric, categorical, read, name), bins);
      });
      drift.set(bucket, decideFeatures(compared, this.thresholds));
    });
    return { drift, volume: new Map([...volume].map(([bucket, n]) => [bucket - lead, n])) };
  }

  private baselineOut(binning: ReferenceBinning, window: TimeWindow, choice: BaselineChoice): BaselineOut {
    if (choice.kind === 'reference') return { kind: 'reference', version: binning.version, rows: binning.row_count };
    const previous = previousPeriod(window);
    return { kind: 'previous_period', ...windowOut(previous), binning_version: binning.version };
  }
}
