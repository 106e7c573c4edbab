import { EngineInputError } from './errors';
import { HOUR_MS, DAY_MS } from '../time';

/** A query window [fromMs, toMs), aligned to whole hours because aggregates are hourly. */
export interface TimeWindow {
  readonly fromMs: number;
  readonly toMs: number;
}

const MAX_WINDOW_MS = 800 * DAY_MS;
const MAX_POINTS = 10_000;
/** Instants the API takes lie in years 1970–9999, so every one it answers with is plain ISO 8601. */
const LATEST_INSTANT_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const EPOCH_MS_TEXT = /^\d{1,15}$/;
const DURATION_TEXT = /^(\d{1,15})(ms|s|m|h|d|w)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: HOUR_MS, d: DAY_MS, w: 7 * DAY_MS };

/** ISO 8601 (with or without zone; without means UTC) or epoch milliseconds, as text or a number, in years 1970–9999. */
export function parseInstant(given: string | number, name: string): number {
  const text = String(given).trim();
  const value =
    typeof given === 'number'
      ? given
      : EPOCH_MS_TEXT.test(text)
        ? Number(text)
        : Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(text) || !text.includes('T') ? text : `${text}Z`);
  if (!Number.isFinite(value))
    throw new EngineInputError(`${name} must be an ISO 8601 time or epoch milliseconds, got ${JSON.stringify(given)}`);
  if (!Number.isInteger(value) || value < 0 || value > LATEST_INSTANT_MS) {
    throw new EngineInputError(
      `${name} must lie between 1970-01-01 and 9999-12-31 (epoch milliseconds 0 to ${LATEST_INSTANT_MS}), got ${JSON.stringify(given)}`
    );
  }
  return value;
}

/**
 * The window to report on: `to` defaults to now and `from` to 24 hours before `to`; `from` is
 * floored and `to` ceiled to whole hours so every hour that overlaps the request is counted once.
 */
export function resolveWindow(from: string | undefined, to: string | undefined, nowMs = Date.now()): TimeWindow {
  const toMs = to === undefined ? nowMs : parseInstant(to, 'to');
  const fromMs = from === undefined ? toMs - DAY_MS : parseInstant(from, 'from');
  if (fromMs >= toMs)
    throw new EngineInputError(
      `from (${new Date(fromMs).toISOString()}) must be before to (${new Date(toMs).toISOString()})`
    );
  const window = { fromMs: Math.floor(fromMs / HOUR_MS) * HOUR_MS, toMs: Math.ceil(toMs / HOUR_MS) * HOUR_MS };
  if (window.toMs - window.fromMs > MAX_WINDOW_MS) throw new EngineInputError('a window may span at most 800 days');
  return window;
}

/** The window of the same length just before `window`: the rolling baseline. */
export function previousPeriod(window: TimeWindow): TimeWindow {
  const length = window.toMs - window.fromMs;
  return { fromMs: window.fromMs - length, toMs: window.fromMs };
}

/**
 * A trend interval: a duration like `1h`, `6h`, `1d` (Grafana's `$__interval` format) or
 * milliseconds, rounded up to whole hours, the aggregates' resolution. Without one, hourly points
 * for windows up to two days and daily points beyond.
 */
export function parseInterval(text: string | undefined, window: TimeWindow): number {
  let intervalMs: number;
  if (text === undefined || text === '') {
    intervalMs = window.toMs - window.fromMs <= 2 * DAY_MS ? HOUR_MS : DAY_MS;
  } else if (EPOCH_MS_TEXT.test(text)) {
    intervalMs = Number(text);
  } else {
    const match = DURATION_TEXT.exec(text);
    if (!match)
      throw new EngineInputError(
        `interval must look like 1h, 6h, 1d, 1w or be milliseconds, got ${JSON.stringify(text)}`
      );
    intervalMs = Number(match[1]) * UNIT_MS[match[2]];
  }
  if (intervalMs > MAX_WINDOW_MS)
    throw new EngineInputError(`interval may be at most 800 days, the longest window, got ${JSON.stringify(text)}`);
  intervalMs = Math.max(HOUR_MS, Math.ceil(intervalMs / HOUR_MS) * HOUR_MS);
  if ((window.toMs - window.fromMs) / intervalMs > MAX_POINTS) {
    throw new EngineInputError(
      `the window holds more than ${MAX_POINTS} intervals of ${intervalMs} ms; use a longer interval`
    );
  }
  return intervalMs;
}

/** Widens a window to whole intervals counted from the epoch, so trend points fall on stable boundaries. */
export function alignWindow(window: TimeWindow, intervalMs: number): TimeWindow {
  return {
    fromMs: Math.floor(window.fromMs / intervalMs) * intervalMs,
    toMs: Math.ceil(window.toMs / intervalMs) * intervalMs,
  };
}

/**
 * ISO 8601 start time of each of `count` intervals from `fromMs`. Starts fall on whole hours, so a
 * day's date is formatted once and each hour appended: a 90-day hourly trend has 2 160 of them,
 * and Date#toISOString for each took a tenth of the trend's time.
 */
export function intervalStartTimes(fromMs: number, intervalMs: number, count: number): string[] {
  const times = new Array<string>(count);
  let dayMs = Number.NaN;
  let date = '';
  for (let interval = 0; interval < count; interval += 1) {
    const ms = fromMs + interval * intervalMs;
    const day = Math.floor(ms / DAY_MS) * DAY_MS;
    if (day !== dayMs) {
      dayMs = day;
      date = new Date(day).toISOString().slice(0, 11);
    }
    const hour = (ms - day) / HOUR_MS;
    // Years outside 0000–9999 print with a sign and more digits; Date formats those.
    times[interval] =
      date[10] === 'T' && Number.isInteger(hour)
        ? `${date}${hour < 10 ? '0' : ''}${hour}:00:00.000Z`
        : new Date(ms).toISOString();
  }
  return times;
}
