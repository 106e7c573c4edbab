import { Transform, TransformCallback } from 'node:stream';
import { QUOTE, RowLimits, rowTooLong, Utf8Check } from './row-limits';

const LF = 0x0a;
const CR = 0x0d;

/**
 * Passes a CSV body through while checking what every reader of it relies on: that it is UTF-8
 * (never silently turned into U+FFFD) and that no record, quoted line breaks included, is longer
 * than the row limit (DuckDB's reader would otherwise drop a very long line without a word). It
 * also counts line endings: DuckDB's CSV reader fails a whole read, and with it the batch's
 * transaction, on a body that mixes LF and CRLF or holds a lone CR, so only a body with one kind of
 * line ending is handed to it.
 */
export class CsvScan extends Transform {
  private readonly utf8 = new Utf8Check();
  private lineFeeds = 0;
  private carriageReturns = 0;
  private pairs = 0;
  private endedWithCarriageReturn = false;
  private inQuotes = false;
  private records = 0;
  private recordBytes = 0;

  constructor(private readonly limits: RowLimits) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.utf8.push(chunk);
      this.scanRecords(chunk);
    } catch (error) {
      callback(error as Error);
      return;
    }
    this.countLineEndings(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.utf8.end();
    } catch (error) {
      callback(error as Error);
      return;
    }
    callback();
  }

  /** True when every line ends the same way: all LF, or all CRLF with no CR or LF elsewhere. */
  get uniform(): boolean {
    return this.carriageReturns === 0 || (this.carriageReturns === this.pairs && this.pairs === this.lineFeeds);
  }

  /** Record lengths by jumping between line feeds and quotes (found natively), not byte by byte. */
  private scanRecords(chunk: Buffer): void {
    let position = 0;
    let nextQuote = chunk.indexOf(QUOTE);
    for (;;) {
      if (this.inQuotes) {
        if (nextQuote === -1) return this.grow(chunk.length - position);
        this.grow(nextQuote + 1 - position);
        this.inQuotes = false;
      } else {
        const lineFeed = chunk.indexOf(LF, position);
        if (nextQuote !== -1 && (lineFeed === -1 || nextQuote < lineFeed)) {
          this.grow(nextQuote + 1 - position);
          this.inQuotes = true;
        } else if (lineFeed === -1) {
          return this.grow(chunk.length - position);
        } else {
          this.grow(lineFeed - position);
          this.records += 1;
          this.recordBytes = 0;
          position = lineFeed + 1;
          continue;
        }
      }
      position = nextQuote + 1;
      nextQuote = chunk.indexOf(QUOTE, position);
    }
  }

  private grow(bytes: number): void {
    this.recordBytes += bytes;
    if (this.recordBytes > this.limits.maxRowBytes)
      throw rowTooLong(`CSV record ${this.records + 1} (the header is record 1)`, this.limits);
  }

  private countLineEndings(chunk: Buffer): void {
    if (this.endedWithCarriageReturn && chunk[0] === LF) this.pairs += 1;
    for (let index = chunk.indexOf(LF); index !== -1; index = chunk.indexOf(LF, index + 1)) this.lineFeeds += 1;
    for (let index = chunk.indexOf(CR); index !== -1; index = chunk.indexOf(CR, index + 1)) {
      this.carriageReturns += 1;
      if (chunk[index + 1] === LF) this.pairs += 1;
    }
    this.endedWithCarriageReturn = chunk.length > 0 && chunk[chunk.length - 1] === CR;
  }
}
