import { randomBytes } from 'node:crypto';
import type { DemoToken } from '../config';
import { DEMO_DAYS, LiveFeed, ROWS_PER_DAY, ScenarioNumber, ScenarioTimeline } from '../demo';
import type { Logger } from '../logger';
import type { RunningServer } from '../server';
import { Store } from '../store';
import type { CliIo } from './io';
import { DAY_MS } from '../time';

/** How often the feed sends what came due: a few predictions a tick at the demo's 3 000 a day. */
const TICK_MS = 10_000;
/**
 * The live demo's staleness limit: predictions arrive every 29 s on average, so a 10-minute gap
 * has a chance of e^-20 (about one in 500 million) while the feed runs, and the staleness alert
 * can be watched firing a quarter of an hour after the feed stops.
 */
export const LIVE_STALE_AFTER_MINUTES = 10;

export interface LiveSettings {
  readonly labelDelayMinutes: number;
  /** Stop sending after this many minutes and keep serving; undefined: send until stopped. */
  readonly streamMinutes: number | undefined;
}

/** The token the feed sends its batches with: scope ingest only, never printed. */
export function feedToken(): DemoToken {
  return { name: 'live-feed', scopes: ['ingest'], token: `dg_feed_${randomBytes(24).toString('base64url')}` };
}

export interface LivePlan {
  readonly timeline: ScenarioTimeline;
  /** Predictions stamped up to this time are stored already. */
  readonly fromMs: number;
}

/**
 * Prepares a loaded scenario for streaming: its model's staleness limit set for the feed's pace,
 * and where its timeline stands. The 90 days end when the model was registered, so the feed
 * continues from there (or from now, when the database was loaded earlier and the demo restarts:
 * the time it was stopped shows as the pause it was).
 */
export async function planLiveFeed(
  store: Store,
  number: ScenarioNumber,
  modelId: string,
  nowMs: number
): Promise<LivePlan> {
  const model = await store.models.update(modelId, { monitoring: { stale_after_minutes: LIVE_STALE_AFTER_MINUTES } });
  const { newestPredictionMs } = await store.freshness.of(modelId);
  const timeline = new ScenarioTimeline(number, Date.parse(model.created_at) - DEMO_DAYS * DAY_MS);
  return { timeline, fromMs: Math.max(nowMs, newestPredictionMs ?? nowMs) };
}

export interface RunningFeed {
  /** Stops sending; resolves once a batch under way has been answered. */
  stop(): Promise<void>;
}

/** Sends the plan's predictions and labels to the running server every TICK_MS until stopped (or for streamMinutes). */
export function startLiveFeed(
  server: RunningServer,
  token: DemoToken,
  plan: LivePlan,
  settings: LiveSettings,
  io: CliIo,
  logger: Logger
): RunningFeed {
  const feed = new LiveFeed(
    { url: server.url, token: token.token },
    plan.timeline,
    plan.fromMs,
    settings.labelDelayMinutes * 60_000
  );
  const stopAtMs =
    settings.streamMinutes === undefined ? Number.POSITIVE_INFINITY : Date.now() + settings.streamMinutes * 60_000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let tick: Promise<void> = Promise.resolve();
  const run = () => {
    tick = feed.advanceTo(Math.min(Date.now(), stopAtMs)).then(
      () => undefined,
      (error: Error) => {
        if (!stopped) logger.error('live feed batch failed', { error: error.message });
      }
    );
    void tick.then(() => {
      if (stopped) return;
      if (Date.now() >= stopAtMs) {
        stopped = true;
        io.out(
          `Live feed stopped after ${settings.streamMinutes} minutes; still serving. The staleness alert fires once the newest prediction is ${LIVE_STALE_AFTER_MINUTES} + 5 minutes old.\n`
        );
        return;
      }
      timer = setTimeout(run, TICK_MS);
    });
  };
  io.out(
    `Live feed: predictions of scenario ${plan.timeline.number} sent as they come due (${ROWS_PER_DAY.toLocaleString('en-US')} a day, every ${TICK_MS / 1000} s), ` +
      `each label ${settings.labelDelayMinutes} minutes after its prediction; the model counts as stale after ${LIVE_STALE_AFTER_MINUTES} minutes without one.\n`
  );
  run();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await tick;
    },
  };
}
