import { RowLimits, rowTooLong } from './row-limits';

const LF = 0x0a;
const CR = 0x0d;

/**
 * Splits NDJSON into lines as the bytes arrive. A partial line is kept as the chunks it came in
 * and joined once, when its end arrives, so splitting is linear in the body size however long a
 * line is; a line longer than the row limit is refused as soon as it outgrows it.
 */
export class NdjsonSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private lines = 0;

  constructor(private readonly limits: RowLimits) {}

  /** Line number (1-based) of the line returned last. */
  get lineNumber(): number {
    return this.lines;
  }

  /** Feeds bytes; returns the lines completed within them, without their line endings. */
  push(chunk: Buffer): Buffer[] {
    const completed: Buffer[] = [];
    let start = 0;
    for (let end = chunk.indexOf(LF); end !== -1; end = chunk.indexOf(LF, start)) {
      this.checkLength(end - start);
      completed.push(this.take(chunk.subarray(start, end)));
      start = end + 1;
    }
    if (start < chunk.length) {
      this.checkLength(chunk.length - start);
      this.pending.push(chunk.subarray(start));
      this.pendingBytes += chunk.length - start;
    }
    return completed;
  }

  /** The last line, when the body does not end with a line feed. */
  finish(): Buffer[] {
    return this.pendingBytes > 0 ? [this.take(Buffer.alloc(0))] : [];
  }

  private checkLength(more: number): void {
    if (this.pendingBytes + more > this.limits.maxRowBytes) throw rowTooLong(`line ${this.lines + 1}`, this.limits);
  }

  private take(tail: Buffer): Buffer {
    const line = this.pending.length === 0 ? tail : Buffer.concat([...this.pending, tail]);
    this.pending = [];
    this.pendingBytes = 0;
    this.lines += 1;
    return line.length > 0 && line[line.length - 1] === CR ? line.subarray(0, line.length - 1) : line;
  }
}
