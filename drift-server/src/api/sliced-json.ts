import type { Context, TypedResponse } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { JSONParsed } from 'hono/utils/types';
import { TimeSlicer } from '../store';
import { pacedBody } from './paced-body';

/** Arrays at least this long are written in runs of RUN items, each run by one JSON.stringify call; shorter ones are opened like objects. */
const LONG_ARRAY = 32;
const RUN = 64;

type Container = unknown[] | Record<string, unknown>;

/** Arrays and plain objects, which are opened; everything else (and objects with toJSON) JSON.stringify writes by itself. */
function isContainer(value: unknown): value is Container {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return true;
  const prototype: unknown = Object.getPrototypeOf(value);
  return (
    (prototype === Object.prototype || prototype === null) &&
    typeof (value as { toJSON?: unknown }).toJSON !== 'function'
  );
}

/** Characters of JSON encoded to one chunk of UTF-8: few enough to encode well within a slice. */
const CHUNK_CHARACTERS = 65_536;

/** JSON text as it is written, encoded to UTF-8 a chunk at a time. */
class Utf8Chunks {
  readonly chunks: Buffer[] = [];
  private parts: string[] = [];
  private pending = 0;

  push(text: string): void {
    this.parts.push(text);
    this.pending += text.length;
  }

  get full(): boolean {
    return this.pending >= CHUNK_CHARACTERS;
  }

  flush(): void {
    if (this.parts.length === 0) return;
    this.chunks.push(Buffer.from(this.parts.join('')));
    this.parts = [];
    this.pending = 0;
  }
}

/**
 * Writes `value` as JSON.stringify would into `out`, pausing (a `yield`) after each item of a
 * long array. Plain objects and short arrays are opened so that the long arrays inside them are
 * reached; everything else (numbers, strings, dates, the items of long arrays) is written by
 * JSON.stringify itself, so the text is the same byte for byte.
 */
function* write(value: Container, out: Utf8Chunks): Generator<void, void, undefined> {
  if (Array.isArray(value)) {
    out.push('[');
    if (value.length >= LONG_ARRAY) {
      for (let start = 0; start < value.length; start += RUN) {
        // The run's items without its brackets: JSON.stringify separates items by a bare comma.
        if (start > 0) out.push(',');
        out.push(JSON.stringify(value.slice(start, start + RUN)).slice(1, -1));
        yield;
      }
    } else {
      for (let index = 0; index < value.length; index += 1) {
        if (index > 0) out.push(',');
        const item: unknown = value[index];
        // What JSON.stringify leaves out of an object (undefined, functions, symbols) is null in an array.
        if (isContainer(item)) yield* write(item, out);
        else out.push(JSON.stringify(item) ?? 'null');
      }
    }
    out.push(']');
    return;
  }
  out.push('{');
  let separator = '';
  for (const key of Object.keys(value)) {
    const member = value[key];
    if (isContainer(member)) {
      out.push(`${separator}${JSON.stringify(key)}:`);
      yield* write(member, out);
    } else {
      const text = JSON.stringify(member);
      if (text === undefined) continue;
      out.push(`${separator}${JSON.stringify(key)}:${text}`);
    }
    separator = ',';
  }
  out.push('}');
}

/**
 * JSON.stringify(value) as UTF-8 chunks, written and encoded in time slices. A 90-day hourly
 * `series=all` trend is 14 MB of JSON, which JSON.stringify writes in one stretch of 60–200 ms
 * and the server then encodes in another of 100–250 ms on a busy machine, answering nothing else
 * meanwhile.
 */
export async function jsonChunksInSlices(value: unknown): Promise<Buffer[]> {
  if (!isContainer(value)) return [Buffer.from(JSON.stringify(value))];
  const out = new Utf8Chunks();
  const steps = write(value, out);
  const slicer = new TimeSlicer();
  while (!steps.next().done) {
    if (out.full) out.flush();
    if (slicer.due) await slicer.pause();
  }
  out.flush();
  return out.chunks;
}

/**
 * The answer c.json(value, status) gives, byte for byte and with its Content-Length, its JSON
 * written in time slices and sent a chunk at a time in time slices too (joining 14 MB into one
 * buffer is another stretch of its own).
 */
export async function jsonInSlices<T extends Container, S extends ContentfulStatusCode>(
  c: Context,
  value: T,
  status: S
): Promise<Response & TypedResponse<JSONParsed<T>, S, 'json'>> {
  const chunks = await jsonChunksInSlices(value);
  const length = chunks.reduce((total, chunk) => total + chunk.length, 0);
  return c.body(pacedBody(chunks), status, {
    'content-type': 'application/json',
    'content-length': String(length),
  }) as unknown as Response & TypedResponse<JSONParsed<T>, S, 'json'>;
}
