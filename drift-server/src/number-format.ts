/**
 * How reports and the CLI write figures for people: one rule per kind of number, so a table never
 * mixes notations. The CSV and JSON keep full precision; these are for reading.
 */

export const DASH = '–';
/** Below this a drift figure or p-value is written as "< 0.001": more digits say nothing a reader can act on. */
export const SMALLEST_SHOWN = 0.001;
const SIGNIFICANT_DIGITS = 3;

/** Whole numbers with thousands separators: 270,000. */
export const count = (value: number) => Math.round(value).toLocaleString('en-US');

/**
 * A figure to three significant digits in plain notation (0.00734, 0.123, 1.23, 12.3, 123), whole
 * numbers from 1 000 up (12,346), "< 0.001" below 0.001, "0" for zero, a dash for none.
 */
export function significant(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return DASH;
  if (value === 0) return '0';
  if (Math.abs(value) < SMALLEST_SHOWN) return value < 0 ? `> -${SMALLEST_SHOWN}` : `< ${SMALLEST_SHOWN}`;
  const rounded = Number(value.toPrecision(SIGNIFICANT_DIGITS));
  if (Math.abs(rounded) >= 1000) return count(value);
  return rounded.toPrecision(SIGNIFICANT_DIGITS);
}

/** A p-value: like `significant`, but one that underflowed to 0 is "< 0.001" too, never "0". */
export const pValue = (p: number | null) => (p === 0 ? `< ${SMALLEST_SHOWN}` : significant(p));

/** A share in [0, 1] as a percentage with one decimal; a share above 0 that would print as 0.0% is "< 0.1%". */
export function percent(share: number | null): string {
  if (share === null) return DASH;
  if (share > 0 && share < 0.0005) return '< 0.1%';
  return `${(100 * share).toFixed(1)}%`;
}

/** A difference of two shares in percentage points with its sign, never "-0.0": "+1.2 points", "-3.4 points", "0.0 points". */
export function signedPoints(difference: number): string {
  const rounded = Math.round(1000 * difference) / 10;
  if (rounded === 0) return '0.0 points';
  return `${rounded > 0 ? '+' : '-'}${Math.abs(rounded).toFixed(1)} points`;
}

/** An amount of money, rounded to whole units: "12,500 USD". */
export const money = (amount: number, currency: string) => `${count(amount)} ${currency}`;

/** Days to one decimal: "7.7 days", "1.0 day". */
export function days(value: number): string {
  const text = value.toFixed(1);
  return `${text} ${text === '1.0' ? 'day' : 'days'}`;
}
