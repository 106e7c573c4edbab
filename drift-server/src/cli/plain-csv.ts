import { NumberText, readNumberText } from '../value-types';
import type { CsvColumn } from './csv-table';

const COMMA = 0x2c;
const NEWLINE = 0x0a;
const QUOTE = 0x22;
const CARRIAGE_RETURN = 0x0d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

/** Powers of ten that doubles hold exactly. */
const EXACT_POWERS_OF_TEN = Array.from({ length: 23 }, (_, power) => Number(`1e${power}`));
/** Decimal digits that always fit a double's 53-bit integer exactly. */
const EXACT_DIGITS = 15;

/**
 * Whether a byte may begin or end a field without csv-parse's `trim` having anything to take
 * away: printable ASCII only, since every byte ≤ 0x20 and the UTF-8 forms of the Unicode spaces
 * (bytes ≥ 0x80) may be whitespace it trims.
 */
const untrimmable = (byte: number) => byte > 0x20 && byte < 0x7f;

/**
 * The cells of one column of a plain CSV file as byte ranges of the file: `starts` holds, per
 * row, each field's first byte and, last, the byte after the row's newline, so field j of a row
 * ends one byte before field j + 1 begins.
 */
class PlainColumn implements CsvColumn {
  constructor(
    private readonly bytes: Buffer,
    private readonly starts: Uint32Array,
    private readonly stride: number,
    private readonly column: number,
    readonly length: number
  ) {}

  text(row: number): string | null {
    const start = this.starts[row * this.stride + this.column];
    const end = this.starts[row * this.stride + this.column + 1] - 1;
    return start === end ? null : this.bytes.toString('utf8', start, end);
  }

  /** Equal cells share one string, decoded once: a category column repeats a few values over many rows. */
  texts(): (string | null)[] {
    const { starts, stride, column } = this;
    const cells = new Array<string | null>(this.length);
    const decoded = new DecodedTexts(this.bytes);
    for (let row = 0; row < this.length; row += 1) {
      const start = starts[row * stride + column];
      const end = starts[row * stride + column + 1] - 1;
      cells[row] = start === end ? null : decoded.text(start, end);
    }
    return cells;
  }

  /**
   * Plain decimals without an exponent, of at most 15 digits with at most 22 after the point, are
   * an exact integer divided by an exact power of ten: one correctly rounded division, the same
   * double as Number() of the text. Every other cell goes through readNumberText itself.
   */
  number(row: number): NumberText {
    const { bytes } = this;
    const start = this.starts[row * this.stride + this.column];
    const end = this.starts[row * this.stride + this.column + 1] - 1;
    if (start === end) return null;
    let index = start;
    const negative = bytes[index] === MINUS;
    if (negative || bytes[index] === PLUS) index += 1;
    let mantissa = 0;
    let digits = 0;
    let fractionDigits = -1;
    for (; index < end; index += 1) {
      const byte = bytes[index];
      if (byte >= ZERO && byte <= NINE) {
        mantissa = mantissa * 10 + (byte - ZERO);
        digits += 1;
        if (fractionDigits >= 0) fractionDigits += 1;
      } else if (byte === DOT && fractionDigits < 0) fractionDigits = 0;
      else break;
    }
    if (index < end || digits === 0 || digits > EXACT_DIGITS || fractionDigits >= EXACT_POWERS_OF_TEN.length) {
      return readNumberText(bytes.toString('utf8', start, end));
    }
    const value = fractionDigits > 0 ? mantissa / EXACT_POWERS_OF_TEN[fractionDigits] : mantissa;
    return negative ? -value : value;
  }
}

function sameBytes(bytes: Buffer, start: number, end: number, otherStart: number, otherEnd: number): boolean {
  if (end - start !== otherEnd - otherStart) return false;
  for (let index = 0; index < end - start; index += 1)
    if (bytes[start + index] !== bytes[otherStart + index]) return false;
  return true;
}

/** The distinct byte ranges of a buffer as strings, each decoded once and found again by its FNV-1a hash (open addressing). */
class DecodedTexts {
  private slots = new Int32Array(1024).fill(-1);
  private readonly hashes: number[] = [];
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly texts: string[] = [];

  constructor(private readonly bytes: Buffer) {}

  text(start: number, end: number): string {
    const { bytes } = this;
    let hash = 0x811c9dc5;
    for (let index = start; index < end; index += 1) hash = Math.imul(hash ^ bytes[index], 0x01000193);
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot];
      if (entry === -1) return this.add(slot, hash, start, end);
      if (this.hashes[entry] === hash && sameBytes(bytes, this.starts[entry], this.ends[entry], start, end))
        return this.texts[entry];
    }
  }

  private add(slot: number, hash: number, start: number, end: number): string {
    const text = this.bytes.toString('utf8', start, end);
    this.slots[slot] = this.texts.push(text) - 1;
    this.hashes.push(hash);
    this.starts.push(start);
    this.ends.push(end);
    // At most half full, so probes stay short.
    if (this.texts.length * 2 > this.slots.length) this.rehash();
    return text;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = slots.length - 1;
    this.hashes.forEach((hash, entry) => {
      let slot = hash & mask;
      while (slots[slot] !== -1) slot = (slot + 1) & mask;
      slots[slot] = entry;
    });
    this.slots = slots;
  }
}

/** A copy of `values` with room for twice as many. */
function grown(values: Uint32Array<ArrayBuffer>): Uint32Array<ArrayBuffer> {
  const copy = new Uint32Array(values.length * 2);
  copy.set(values);
  return copy;
}

const SAMPLE_BYTES = 1 << 16;

/** Fields and lines a file holds, judged from its first 64 KiB with 10 % to spare: growing the arrays as they fill cost a tenth of the read. */
function expectedCounts(bytes: Buffer): { fields: number; lines: number } {
  const sample = Math.min(bytes.length, SAMPLE_BYTES);
  let commas = 0;
  let newlines = 0;
  for (let index = 0; index < sample; index += 1) {
    if (bytes[index] === COMMA) commas += 1;
    else if (bytes[index] === NEWLINE) newlines += 1;
  }
  const scale = (1.1 * bytes.length) / Math.max(sample, 1);
  return { fields: Math.ceil((commas + 2 * newlines) * scale) + 16, lines: Math.ceil(newlines * scale) + 16 };
}

/** The text of the first row's fields. */
function fieldTexts(bytes: Buffer, starts: Uint32Array, fields: number): string[] {
  return Array.from({ length: fields }, (_, field) => bytes.toString('utf8', starts[field], starts[field + 1] - 1));
}

/** A plain CSV file: its header's fields (not yet checked as names), its columns by position, each data row's line. */
export interface PlainCsv {
  readonly header: string[];
  readonly columns: CsvColumn[];
  readonly lines: ArrayLike<number>;
}

/**
 * Reads a CSV file's bytes without making an object per cell, when the file is plain: newline
 * line ends, no quotes, no carriage return, every field beginning and ending in printable ASCII,
 * every row as long as the header. Such a file means exactly what csv-parse (with `trim`,
 * `skip_empty_lines` and `bom`, as readCsvTable reads) makes of it: each field is the text between
 * its commas. Returns null for any other file, which csv-parse then reads and, if it is malformed,
 * names what is wrong and where as it always has.
 */
export function readPlainCsv(bytes: Buffer): PlainCsv | null {
  const length = bytes.length;
  // Offsets are 32-bit, and the one past the last byte must fit too.
  if (length >= 2 ** 32 - 1) return null;
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  // Local typed arrays and counters, grown by hand: the loop runs once per byte of the file.
  const expected = expectedCounts(bytes);
  let starts = new Uint32Array(expected.fields);
  let fieldCount = 0;
  let lines = new Uint32Array(expected.lines);
  let rows = 0;
  let header: string[] | undefined;
  let line = 1;
  let rowStart = 0;
  let fieldStart = bom ? 3 : 0;
  for (let index = fieldStart; index <= length; index += 1) {
    const byte = index < length ? bytes[index] : NEWLINE;
    // Every byte the loop acts on is at most a comma: digits and letters pass with one comparison.
    if (byte > COMMA) continue;
    if (byte !== COMMA && byte !== NEWLINE) {
      if (byte === QUOTE || byte === CARRIAGE_RETURN) return null;
      continue;
    }
    if (byte === NEWLINE && index === fieldStart && fieldCount === rowStart) {
      // A blank line, which csv-parse skips, though it counts it.
      line += 1;
      fieldStart = index + 1;
      continue;
    }
    if (index > fieldStart && !(untrimmable(bytes[fieldStart]) && untrimmable(bytes[index - 1]))) return null;
    if (fieldCount + 2 > starts.length) starts = grown(starts);
    starts[fieldCount++] = fieldStart;
    fieldStart = index + 1;
    if (byte === COMMA) continue;
    const rowFields = fieldCount - rowStart;
    starts[fieldCount++] = index + 1;
    if (!header) {
      header = fieldTexts(bytes, starts, rowFields);
      fieldCount = 0;
    } else {
      if (rowFields !== header.length) return null;
      if (rows === lines.length) lines = grown(lines);
      lines[rows++] = line;
    }
    rowStart = fieldCount;
    line += 1;
  }
  if (!header) return null;
  const stride = header.length + 1;
  const columns = header.map((_, column) => new PlainColumn(bytes, starts, stride, column, rows));
  return { header, columns, lines: lines.subarray(0, rows) };
}
