import type { SeverityThresholds } from '../stats';
import {
  binCounts,
  BucketCounts,
  CategoryCountColumns,
  categoryCounts,
  CountColumns,
  FeatureBins,
  FeatureDefinition,
  inSlices,
  Model,
  outputCounting,
  ReferenceBinning,
  Store,
} from '../store';
import type { BaselineChoice } from './baseline';
import { decideFeatures, FeatureComparer, FeatureDrift, SideCounts } from './feature-drift';
import type { TimeWindow } from './window';

/** Buckets of `bucketMs` over a window, with `history` more before it (numbered −history…−1). */
export interface BucketedComparison {
  readonly model: Model;
  readonly binning: ReferenceBinning;
  readonly window: TimeWindow;
  readonly bucketMs: number;
  readonly choice: BaselineChoice;
  readonly history: number;
}

/**
 * What a comparison reads from the aggregates, as the store returns it (count columns, not maps):
 * plain data that can be handed to a worker thread and compared there.
 */
export interface BucketReads {
  readonly numericNames: readonly string[];
  readonly categoricalNames: readonly string[];
  readonly numeric: CountColumns;
  readonly categorical: CategoryCountColumns;
  /** Predictions per bucket as read: bucket 0 is the first read, `lead` buckets before the window. */
  readonly volume: Map<number, number>;
}

export interface ComparedBuckets {
  readonly drift: Map<number, FeatureDrift[]>;
  /** The model output's drift per bucket, decided on its own; null when the baseline has no output bins to compare with. */
  readonly output: Map<number, FeatureDrift> | null;
  /** Predictions per bucket of the window (0 = its first interval; negative: the history before it). */
  readonly volume: Map<number, number>;
}

/** For `compareBuckets`: no feature gets the per-bin breakdown. */
export const NO_BINS = () => false;

/** Buckets read before the first one compared: the history, and the previous-period baseline of the first. */
function leadOf({ history, choice }: BucketedComparison): number {
  return history + (choice.kind === 'previous_period' ? 1 : 0);
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

/** The model's output as the comparison compares it, like one more feature, with its frozen bins; null when its reference has none. */
function comparedOutput({
  model,
  binning,
}: Pick<BucketedComparison, 'model' | 'binning'>): { feature: FeatureDefinition; bins: FeatureBins } | null {
  const counted = outputCounting(model, binning.output);
  return counted ? { feature: counted.signal.definition, bins: counted.bins } : null;
}

/** Reads a comparison's counts and volume, every bucket from the first lead bucket to the window's end. */
export async function readBuckets(store: Store, comparison: BucketedComparison): Promise<BucketReads> {
  const { model, binning, window, bucketMs } = comparison;
  const range = { fromMs: window.fromMs - leadOf(comparison) * bucketMs, toMs: window.toMs, bucketMs };
  const namesOf = (kind: FeatureDefinition['kind']) =>
    model.features.filter((feature) => feature.kind === kind).map((feature) => feature.name);
  const output = comparedOutput(comparison)?.feature;
  const withOutput = (kind: FeatureDefinition['kind']) =>
    output?.kind === kind ? [...namesOf(kind), output.name] : namesOf(kind);
  const numericNames = withOutput('numeric');
  const categoricalNames = withOutput('categorical');
  const [numeric, categorical, volume] = await Promise.all([
    store.aggregates.numericCountColumns(model.id, binning.version, range, numericNames),
    store.aggregates.categoricalCountColumns(model.id, range, categoricalNames),
    store.aggregates.volume(model.id, range),
  ]);
  return { numericNames, categoricalNames, numeric, categorical, volume };
}

/**
 * Drift per bucket of every feature of the model: the verdicts of a bucket are decided over all
 * its features together. The previous-period baseline of bucket k is bucket k − 1. Only features
 * `withBins` picks get the per-bin breakdown of the deep dive. The model's output is compared the
 * same way and decided by the same rule as a family of its own, so monitoring it leaves the
 * features' false-discovery control, and so their verdicts, as they were.
 */
export async function compareBuckets(
  comparison: BucketedComparison,
  reads: BucketReads,
  thresholds: SeverityThresholds,
  withBins: (feature: FeatureDefinition) => boolean
): Promise<ComparedBuckets> {
  const { model, binning, window, bucketMs, choice, history } = comparison;
  const lead = leadOf(comparison);
  const numeric = await binCounts(reads.numericNames, reads.numeric);
  const categorical = await categoryCounts(reads.categoricalNames, reads.categorical);
  const comparers = model.features.map((feature) => ({
    comparer: new FeatureComparer(feature, binning.features[feature.name], thresholds),
    bins: withBins(feature),
  }));
  const compared = comparedOutput(comparison);
  const outputComparer = compared && new FeatureComparer(compared.feature, compared.bins, thresholds);
  const output = outputComparer ? new Map<number, FeatureDrift>() : null;
  const drift = new Map<number, FeatureDrift[]>();
  const bucketCount = Math.round((window.toMs - window.fromMs) / bucketMs);
  const previous = choice.kind === 'previous_period';
  await inSlices(history + bucketCount, (offset) => {
    const bucket = offset - history;
    const read = bucket + lead;
    const compare = (comparer: FeatureComparer, bins: boolean) => {
      const name = comparer.feature.name;
      const baseline = previous ? bucketSide(numeric, categorical, read - 1, name) : comparer.frozenReference;
      return comparer.compare(baseline, bucketSide(numeric, categorical, read, name), bins);
    };
    drift.set(
      bucket,
      decideFeatures(
        comparers.map(({ comparer, bins }) => compare(comparer, bins)),
        thresholds
      )
    );
    if (outputComparer) output?.set(bucket, decideFeatures([compare(outputComparer, false)], thresholds)[0]);
  });
  return { drift, output, volume: new Map([...reads.volume].map(([bucket, n]) => [bucket - lead, n])) };
}
