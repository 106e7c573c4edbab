/**
 * Longest stretch of CPU work one query runs before it hands the event loop back, so /healthz and
 * other requests are answered between the slices of expensive reads instead of after them.
 */
export const SLICE_MS = 8;

/** Resolves after the event loop has handled pending I/O (setImmediate runs after the poll phase). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Measures CPU slices: `due` once SLICE_MS has passed since the last yield. */
export class TimeSlicer {
  private started = performance.now();

  /** True once the current slice is used up; a synchronous check, for loops too hot to await on every turn. */
  get due(): boolean {
    return performance.now() - this.started >= SLICE_MS;
  }

  /** Yields when the current slice is used up; cheap to call often. */
  async pause(): Promise<void> {
    if (!this.due) return;
    await yieldToEventLoop();
    this.started = performance.now();
  }
}

/** Runs `work` for 0..count−1 in time slices: the same work as a loop, with the event loop handed back between slices. */
export async function inSlices(count: number, work: (index: number) => void): Promise<void> {
  const slicer = new TimeSlicer();
  for (let index = 0; index < count; index += 1) {
    work(index);
    // Checked after every item: one item may be a whole interval's verdicts over every feature.
    if (slicer.due) await slicer.pause();
  }
}
