import { Transform, TransformCallback } from 'node:stream';

const LF = 0x0a;
const CR = 0x0d;

/**
 * Passes a text body through while counting its line endings. DuckDB's CSV reader fails a whole
 * read, and with it the batch's transaction, on a body that mixes LF and CRLF or holds a lone CR,
 * so only a body with one kind of line ending is handed to it.
 */
export class LineEndingScan extends Transform {
  private lineFeeds = 0;
  private carriageReturns = 0;
  private pairs = 0;
  private endedWithCarriageReturn = false;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.endedWithCarriageReturn && chunk[0] === LF) this.pairs += 1;
    for (let index = chunk.indexOf(LF); index !== -1; index = chunk.indexOf(LF, index + 1)) this.lineFeeds += 1;
    for (let index = chunk.indexOf(CR); index !== -1; index = chunk.indexOf(CR, index + 1)) {
      this.carriageReturns += 1;
      if (chunk[index + 1] === LF) this.pairs += 1;
    }
    this.endedWithCarriageReturn = chunk.length > 0 && chunk[chunk.length - 1] === CR;
    callback(null, chunk);
  }

  /** True when every line ends the same way: all LF, or all CRLF with no CR or LF elsewhere. */
  get uniform(): boolean {
    return this.carriageReturns === 0 || (this.carriageReturns === this.pairs && this.pairs === this.lineFeeds);
  }
}
