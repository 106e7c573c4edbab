import { InvalidDataError } from '../../errors';
import {
  BACKSLASH,
  CLOSE_BRACE,
  CLOSE_BRACKET,
  MAX_NESTING_DEPTH,
  nestingError,
  OPEN_BRACE,
  OPEN_BRACKET,
  QUOTE,
  RowLimits,
  rowTooLong,
} from './row-limits';

const COMMA = 0x2c;

function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

/**
 * Splits a JSON array of objects into the bytes of each object as they arrive, so a large array is
 * parsed one row at a time instead of as one document held in memory. An object's bytes are kept
 * as the chunks they came in and joined once it closes; an object longer than the row limit, or
 * nesting deeper than MAX_NESTING_DEPTH, is refused as soon as it does. Structural characters are
 * ASCII and never occur inside a multi-byte UTF-8 character, so the bytes are scanned undecoded.
 */
export class JsonArraySplitter {
  private state: 'before-array' | 'between' | 'in-object' | 'after-array' = 'before-array';
  private expectingValue = true;
  private elements = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private partial: Buffer[] = [];
  private partialBytes = 0;

  constructor(private readonly limits: RowLimits) {}

  /** Feeds bytes; returns the objects completed within them. */
  push(chunk: Buffer): Buffer[] {
    const completed: Buffer[] = [];
    let start = 0;
    for (let index = 0; index < chunk.length; index += 1) {
      const code = chunk[index];
      if (this.state === 'in-object') {
        if (this.inString) {
          if (this.escaped) this.escaped = false;
          else if (code === BACKSLASH) this.escaped = true;
          else if (code === QUOTE) this.inString = false;
        } else if (code === QUOTE) this.inString = true;
        else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
          this.depth += 1;
          if (this.depth > MAX_NESTING_DEPTH) throw nestingError(this.where());
        } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
          this.depth -= 1;
          if (this.depth === 0) {
            this.checkLength(index + 1 - start);
            completed.push(
              this.partial.length === 0
                ? chunk.subarray(start, index + 1)
                : Buffer.concat([...this.partial, chunk.subarray(start, index + 1)])
            );
            this.partial = [];
            this.partialBytes = 0;
            this.state = 'between';
          }
        }
        continue;
      }
      if (isWhitespace(code)) continue;
      if (this.step(code)) start = index;
    }
    if (this.state === 'in-object') {
      this.checkLength(chunk.length - start);
      this.partial.push(chunk.subarray(start));
      this.partialBytes += chunk.length - start;
    }
    return completed;
  }

  /** Raises unless the bytes seen so far were one complete array. */
  finish(): void {
    if (this.state !== 'after-array') throw new InvalidDataError('the JSON array is not closed: the body ended early');
  }

  private where(): string {
    return `row ${this.elements} of the JSON array`;
  }

  private checkLength(more: number): void {
    if (this.partialBytes + more > this.limits.maxRowBytes) throw rowTooLong(this.where(), this.limits);
  }

  /** Handles a structural character outside any object; true when it opens the next row object. */
  private step(code: number): boolean {
    const element = this.elements + 1;
    switch (this.state) {
      case 'before-array':
        if (code !== OPEN_BRACKET) throw new InvalidDataError('a JSON body must be an array of row objects');
        this.state = 'between';
        return false;
      case 'between':
        if (code === OPEN_BRACE && this.expectingValue) {
          this.state = 'in-object';
          this.depth = 1;
          this.expectingValue = false;
          this.elements = element;
          return true;
        }
        if (code === COMMA && !this.expectingValue) this.expectingValue = true;
        else if (code === CLOSE_BRACKET && (!this.expectingValue || this.elements === 0)) this.state = 'after-array';
        else throw new InvalidDataError(`row ${element} of the JSON array is not an object (or a comma is misplaced)`);
        return false;
      case 'after-array':
        throw new InvalidDataError('unexpected content after the closing ] of the JSON array');
      default:
        return false;
    }
  }
}
