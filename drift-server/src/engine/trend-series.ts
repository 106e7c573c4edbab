import { inSlices, Model, modelOutput, ReferenceBinning } from '../store';
import type { BaselineChoice } from './baseline';
import type { ComparedBuckets } from './bucket-comparison';
import type { FeatureDrift } from './feature-drift';
import { DEFAULT_PERSISTENCE, persistentVerdicts } from './persistence';
import type { BaselineOut, TrendFrame, TrendPoint, Trends, TrendSeries, WindowOut } from './results';
import { intervalStartTimes, previousPeriod, TimeWindow } from './window';

/** The intervals just before a trend's window that decide whether its first points persist. */
export const TREND_HISTORY = DEFAULT_PERSISTENCE.m - 1;

export function windowOut(window: TimeWindow): WindowOut {
  return { from: new Date(window.fromMs).toISOString(), to: new Date(window.toMs).toISOString() };
}

export function baselineOut(binning: ReferenceBinning, window: TimeWindow, choice: BaselineChoice): BaselineOut {
  if (choice.kind === 'reference') return { kind: 'reference', version: binning.version, rows: binning.row_count };
  const previous = previousPeriod(window);
  return { kind: 'previous_period', ...windowOut(previous), binning_version: binning.version };
}

/** A trend's window, baseline and predictions per interval; `volume` maps a bucket of the aligned window (0 = the first interval) to its predictions. */
export function trendFrame(
  model: Model,
  binning: ReferenceBinning,
  window: TimeWindow,
  intervalMs: number,
  choice: BaselineChoice,
  volume: ReadonlyMap<number, number>
): TrendFrame {
  const times = intervalStartTimes(window.fromMs, intervalMs, (window.toMs - window.fromMs) / intervalMs);
  return {
    model_id: model.id,
    window: windowOut(window),
    interval_ms: intervalMs,
    baseline: baselineOut(binning, window, choice),
    volume: times.map((time, bucket) => ({ time, predictions: volume.get(bucket) ?? 0 })),
    persistence: DEFAULT_PERSISTENCE,
  };
}

/**
 * One series per feature, and the model output's, from buckets compared with TREND_HISTORY
 * intervals of history before the (aligned) window.
 */
export async function trendSeries(model: Model, frame: TrendFrame, buckets: ComparedBuckets): Promise<Trends> {
  const history = TREND_HISTORY;
  const driftsOf = (drift: (bucket: number) => FeatureDrift | undefined) =>
    Array.from({ length: history + frame.volume.length }, (_, offset) => drift(offset - history));
  const series: TrendSeries[] = [];
  for (const [index, feature] of model.features.entries()) {
    const points = await trendPoints(
      frame,
      driftsOf((bucket) => buckets.drift.get(bucket)?.[index])
    );
    series.push({ feature: feature.name, kind: feature.kind, points });
  }
  const output = buckets.output;
  // The buckets compare an output only when the model's output signal is what the reference froze.
  const column = modelOutput(model)?.column;
  const prediction_drift =
    output && column
      ? {
          column,
          points: await trendPoints(
            frame,
            driftsOf((bucket) => output.get(bucket))
          ),
        }
      : null;
  return { ...frame, series, prediction_drift };
}

/** The points of one series over the window, from its drift in every bucket from TREND_HISTORY intervals before it. */
async function trendPoints(frame: TrendFrame, drifts: readonly (FeatureDrift | undefined)[]): Promise<TrendPoint[]> {
  const history = TREND_HISTORY;
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
  return points;
}
