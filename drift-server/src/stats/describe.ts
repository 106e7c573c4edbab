import { mean, sampleStandardDeviation } from 'simple-statistics';
import { quantileSorted, sortSample, SortedSample } from './sample';
import { NumericSample } from './types';

export interface DescriptiveStats {
  readonly count: number;
  readonly missing: number;
  readonly mean: number | null;
  /** Sample standard deviation (n − 1 in the denominator); null below two values. */
  readonly std: number | null;
  readonly min: number | null;
  readonly q05: number | null;
  readonly q25: number | null;
  readonly q50: number | null;
  readonly q75: number | null;
  readonly q95: number | null;
  readonly max: number | null;
}

export function describeSorted({ sorted, missing }: SortedSample): DescriptiveStats {
  const count = sorted.length;
  if (count === 0) {
    return {
      count,
      missing,
      mean: null,
      std: null,
      min: null,
      q05: null,
      q25: null,
      q50: null,
      q75: null,
      q95: null,
      max: null,
    };
  }
  // simple-statistics only reads indices and length, so a typed array serves as its number[].
  const values = sorted as unknown as number[];
  return {
    count,
    missing,
    mean: mean(values),
    std: count > 1 ? sampleStandardDeviation(values) : null,
    min: sorted[0],
    q05: quantileSorted(sorted, 0.05),
    q25: quantileSorted(sorted, 0.25),
    q50: quantileSorted(sorted, 0.5),
    q75: quantileSorted(sorted, 0.75),
    q95: quantileSorted(sorted, 0.95),
    max: sorted[count - 1],
  };
}

/** Count, missing, mean, sample std, min, 5/25/50/75/95 % quantiles (numpy's linear method), max. */
export function describe(sample: NumericSample): DescriptiveStats {
  return describeSorted(sortSample(sample, 'sample'));
}
