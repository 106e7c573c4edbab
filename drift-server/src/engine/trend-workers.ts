import { extname, join } from 'node:path';
import Piscina from 'piscina';
import type { TrendDocumentJob } from './trend-document';

/**
 * How much lower than the event loop the worker threads run (nice(2) per thread, where the
 * platform allows it): on a machine with few cores the threads then take the CPU the event loop
 * leaves, instead of delaying /healthz and every other request behind a trend's arithmetic.
 */
const NICE_INCREMENT = 10;

/** Count columns that are typed arrays: moved to the worker instead of copied. */
function transferables(job: TrendDocumentJob): ArrayBuffer[] {
  const columns = [job.reads.numeric, job.reads.categorical].flatMap((read) => [
    read.bucket,
    read.feature,
    read.key,
    read.n,
  ]);
  return columns.flatMap((column) => (ArrayBuffer.isView(column) ? [column.buffer as ArrayBuffer] : []));
}

/**
 * A pool of worker threads that compute trend answers (the drift statistics of every interval and
 * feature, the points, their JSON), so the event loop only reads the aggregates and sends bytes.
 * A 90-day hourly trend of 20 features is 40 000 points and about 14 MB of JSON.
 */
export class TrendWorkers {
  private pool: Piscina | undefined;
  /** Trend answers the threads have computed. */
  completed = 0;

  constructor(readonly threads: number) {}

  /** Started on first use: commands that never compute a trend answer (report, demo loading) start no threads. */
  private started(): Piscina {
    if (this.pool) return this.pool;
    const extension = extname(__filename);
    this.pool = new Piscina({
      filename: join(__dirname, `trend-worker${extension}`),
      minThreads: this.threads,
      maxThreads: this.threads,
      idleTimeout: Number.POSITIVE_INFINITY,
      niceIncrement: NICE_INCREMENT,
      // From TypeScript sources (tests, tsx) the worker loads its module through tsx's require hook.
      ...(extension === '.ts' ? { execArgv: ['--require', 'tsx/cjs'] } : {}),
    });
    return this.pool;
  }

  async trendDocument(job: TrendDocumentJob): Promise<Uint8Array<ArrayBuffer>> {
    const document = (await this.started().run(job, { transferList: transferables(job) })) as Uint8Array<ArrayBuffer>;
    this.completed += 1;
    return document;
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.destroy();
  }
}
