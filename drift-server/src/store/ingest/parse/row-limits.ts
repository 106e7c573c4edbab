import { isUtf8 } from 'node:buffer';
import { InvalidDataError } from '../../errors';

/**
 * How deep objects and arrays may nest in one JSON row, the row object itself counting 1. Row
 * values are scalars (the row reader refuses an object or array and names its column), so this
 * only bounds the work a hostile row can cause before it is refused.
 */
export const MAX_NESTING_DEPTH = 8;

/** The limits every upload format applies to one row, whatever its format. */
export interface RowLimits {
  /** Longest row: a CSV record, an NDJSON line, one element of a JSON array, one Parquet row's text. */
  readonly maxRowBytes: number;
}

/** The JSON structural bytes the splitters and the nesting check look for (ASCII, never inside a multi-byte UTF-8 character). */
export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;
export const OPEN_BRACKET = 0x5b;
export const CLOSE_BRACKET = 0x5d;
export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;

const decoder = new TextDecoder('utf-8', { fatal: true });

/** A row's bytes as text; bytes that are not UTF-8 refuse the upload rather than turn into U+FFFD. */
export function utf8Row(bytes: Uint8Array, where: string): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new InvalidDataError(
      `${where} is not valid UTF-8 (byte ${firstInvalidByte(bytes) + 1} of it); send text encoded as UTF-8`
    );
  }
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence (used on failure only). */
function firstInvalidByte(bytes: Uint8Array): number {
  for (let index = 0; index < bytes.length; index += 1) {
    const end = Math.min(bytes.length, index + 4);
    let length = 1;
    while (length <= end - index && !isUtf8(bytes.subarray(index, index + length))) length += 1;
    if (length > end - index) return index;
    index += length - 1;
  }
  return bytes.length;
}

/** Refuses JSON text nesting deeper than MAX_NESTING_DEPTH; only rows with a second bracket are scanned. */
export function checkNesting(bytes: Uint8Array, where: string): void {
  const first = bytes.indexOf(OPEN_BRACE);
  if (bytes.indexOf(OPEN_BRACE, first + 1) === -1 && bytes.indexOf(OPEN_BRACKET) === -1) return;
  let depth = 0;
  let inString = false;
  for (let index = 0; index < bytes.length; index += 1) {
    const code = bytes[index];
    if (inString) {
      if (code === BACKSLASH) index += 1;
      else if (code === QUOTE) inString = false;
    } else if (code === QUOTE) inString = true;
    else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      depth += 1;
      if (depth > MAX_NESTING_DEPTH) throw nestingError(where);
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) depth -= 1;
  }
}

export function nestingError(where: string): InvalidDataError {
  return new InvalidDataError(
    `${where} nests objects or arrays more than ${MAX_NESTING_DEPTH} deep; row values are numbers, text, booleans or null`
  );
}

export function rowTooLong(where: string, limits: RowLimits): InvalidDataError {
  return new InvalidDataError(
    `${where} is longer than ${limits.maxRowBytes} bytes, the limit for one row (DRIFTGUARD_MAX_ROW_BYTES)`
  );
}

/**
 * Checks that a body arriving in chunks is UTF-8: each chunk up to its last whole character is
 * checked natively, the bytes of a character cut by the chunk boundary wait for the next chunk.
 */
export class Utf8Check {
  private carry: Buffer = Buffer.alloc(0);
  private offset = 0;

  push(chunk: Buffer): void {
    const bytes = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const whole = wholeCharacters(bytes);
    if (!isUtf8(bytes.subarray(0, whole))) this.fail(bytes.subarray(0, whole));
    this.offset += whole;
    this.carry = Buffer.from(bytes.subarray(whole));
  }

  /** Raises when the body ended inside a character. */
  end(): void {
    if (this.carry.length > 0) this.fail(this.carry);
  }

  private fail(bytes: Uint8Array): never {
    throw new InvalidDataError(
      `the body is not valid UTF-8 at byte ${this.offset + firstInvalidByte(bytes) + 1}; send text encoded as UTF-8`
    );
  }
}

/** Length of the longest prefix of `bytes` that does not end inside a multi-byte character. */
function wholeCharacters(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back += 1) {
    const byte = bytes[bytes.length - back];
    if (byte < 0x80) return bytes.length;
    if (byte >= 0xc0) {
      const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
      return length > back ? bytes.length - back : bytes.length;
    }
  }
  return bytes.length;
}
