/** How often the database is probed, from the end of one probe to the start of the next. */
export const HEALTH_PROBE_INTERVAL_MS = 1000;
/**
 * A probe still unanswered after this long makes the database unhealthy until one answers. Under
 * heavy expensive reads a trivial query waits seconds inside DuckDB; this is far beyond that.
 */
export const HEALTH_PROBE_TIMEOUT_MS = 10_000;

export type HealthState =
  | { readonly healthy: true; /** Since the last probe answered. */ readonly checkedAgoMs: number }
  | { readonly healthy: false; readonly detail: string; readonly checkedAgoMs: number | undefined };

export interface HealthProbeOptions {
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly clock?: () => number;
}

/**
 * Checks the database in the background, one probe at a time, so a health request answers from
 * the last probe at once instead of queueing its own query behind expensive reads (inside DuckDB
 * a trivial query waited 0.1–1.4 s behind 90-day trends). Unhealthy while the last probe failed,
 * while one has been running longer than the timeout, and once stopped.
 */
export class HealthProbe {
  private readonly clock: () => number;
  private lastAnsweredMs: number | undefined;
  private failure: string | undefined;
  private runningSinceMs: number | undefined;
  private running: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly check: () => Promise<void>,
    private readonly options: HealthProbeOptions
  ) {
    this.clock = options.clock ?? Date.now;
  }

  /** Runs the first probe and resolves once it has answered (or failed); the next follow on their own. */
  start(): Promise<void> {
    this.probe();
    return this.running;
  }

  state(): HealthState {
    const now = this.clock();
    const checkedAgoMs = this.lastAnsweredMs === undefined ? undefined : now - this.lastAnsweredMs;
    if (this.stopped) return { healthy: false, detail: 'the database is closed', checkedAgoMs };
    if (this.runningSinceMs !== undefined && now - this.runningSinceMs > this.options.timeoutMs)
      return {
        healthy: false,
        detail: `the database has not answered a health probe for ${now - this.runningSinceMs} ms (limit ${this.options.timeoutMs} ms)`,
        checkedAgoMs,
      };
    if (this.failure !== undefined || checkedAgoMs === undefined)
      return { healthy: false, detail: this.failure ?? 'the database has not been probed yet', checkedAgoMs };
    return { healthy: true, checkedAgoMs };
  }

  /** Stops probing and waits for a probe under way, so the database can be closed after it. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private probe(): void {
    this.runningSinceMs = this.clock();
    this.running = this.check().then(
      () => {
        this.lastAnsweredMs = this.clock();
        this.failure = undefined;
      },
      (error: Error) => {
        this.failure = error.message.split('\n')[0];
      }
    );
    void this.running.then(() => {
      this.runningSinceMs = undefined;
      if (this.stopped) return;
      this.timer = setTimeout(() => this.probe(), this.options.intervalMs);
      // The probe alone must not keep a process (a CLI command, a test) alive.
      this.timer.unref();
    });
  }
}
