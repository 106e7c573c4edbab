import type { MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from './context';
import { ApiProblem } from './problems';

/** Routes whose answers are computed from aggregates and raw rows: the expensive reads. */
export const EXPENSIVE_READS = [
  '/models/:modelId/summary',
  '/models/:modelId/recommendation',
  '/models/:modelId/features/:feature',
  '/models/:modelId/trends',
  '/models/:modelId/report.csv',
  '/models/:modelId/report.pdf',
] as const;

/**
 * Admission control for the expensive reads: at most `concurrency` compute at once, the others
 * wait their turn in arrival order (costing no CPU), and past `maxWaiting` waiting a read is refused
 * with 503 and Retry-After instead of piling up. With the engine's work cut into time slices, this
 * bounds how long the event loop goes without answering anything else (/healthz, uploads) to about
 * `concurrency` slices.
 */
export class QueryGate {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    readonly concurrency: number,
    readonly maxWaiting: number
  ) {}

  middleware(): MiddlewareHandler<AppEnv> {
    return createMiddleware<AppEnv>(async (_c, next) => {
      await this.enter();
      try {
        await next();
      } finally {
        this.leave();
      }
    });
  }

  private enter(): Promise<void> {
    if (this.running < this.concurrency) {
      this.running += 1;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.maxWaiting) {
      throw new ApiProblem(
        'server-busy',
        `${this.maxWaiting} expensive reads are already waiting for one of ${this.concurrency} turns; retry shortly`,
        { 'retry-after': '1' }
      );
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private leave(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running -= 1;
  }
}
