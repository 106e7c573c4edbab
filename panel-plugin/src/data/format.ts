import { formattedValueToString, getValueFormat } from '@grafana/data';

const EMPTY = '—';

/** A figure in a Grafana unit (percentunit, currencyEUR, d …), or a dash when there is none. */
export function formatUnit(value: number | null | undefined, unit: string, decimals?: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return EMPTY;
  }
  return formattedValueToString(getValueFormat(unit)(value, decimals));
}

export const formatNumber = (value: number | null | undefined, decimals = 3) => formatUnit(value, 'none', decimals);

/** Whole numbers and large magnitudes without decimals, smaller measurements with `decimals`. */
export const formatMeasure = (value: number | null | undefined, decimals: number) =>
  formatNumber(value, Number.isInteger(value) || Math.abs(value ?? 0) >= 1000 ? 0 : decimals);

/** A signed difference; one that rounds to zero shows no sign. */
export function formatChange(from: number | null, to: number | null, decimals: number): string {
  if (from === null || to === null) {
    return '—';
  }
  const delta = to - from;
  const shown = formatMeasure(delta, decimals);
  return delta > 0 && Number(shown) !== 0 ? `+${shown}` : shown;
}
export const formatPercent = (value: number | null | undefined, decimals = 1) =>
  formatUnit(value, 'percentunit', decimals);

/**
 * A duration in days, always in days: Grafana's `d` unit turns 7.7 days into "1.1 weeks", while
 * drift-server's reasons say "7.7 days". One decimal, dropped when it is zero, as the reasons write it.
 */
export function formatDays(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return EMPTY;
  }
  const rounded = Number(value.toFixed(1));
  return `${rounded} ${rounded === 1 ? 'day' : 'days'}`;
}

/** A difference of two shares in percentage points ("12.7 points"), as drift-server's reasons give it. */
export function formatPoints(value: number | null | undefined, decimals = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return EMPTY;
  }
  return `${(value * 100).toFixed(decimals)} points`;
}

/** p-values span many orders of magnitude: fixed decimals would show most as 0.0000. */
export function formatPValue(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return EMPTY;
  }
  return value < 1e-4 ? '< 0.0001' : value.toFixed(4);
}
