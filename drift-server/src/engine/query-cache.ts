interface Entry {
  readonly result: Promise<unknown>;
  /** Estimated length of the result as JSON, once computed: the memory budget's unit. */
  size: number;
}

/** Characters a number takes in JSON, on average over the figures results hold (shares, PSI, counts). */
const NUMBER_LENGTH = 12;

/** Items of a longer array that are weighed, evenly spaced; the rest are taken to weigh what they weigh on average. */
const SAMPLED_ITEMS = 32;

/**
 * The length `value` would have as JSON, within a few percent on results whose long arrays hold
 * items of one shape (points per interval), without writing it out or walking all of it: a
 * 90-day hourly trend's 40 000 points took 50–130 ms to walk, all in one stretch of the event
 * loop; a sample of each long array takes well under a millisecond.
 */
export function estimatedJsonLength(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return value.length + 2;
    case 'number':
      return NUMBER_LENGTH;
    case 'boolean':
      return value ? 4 : 5;
    case 'object': {
      if (value === null) return 4;
      // A result already written out as JSON (a trend answer) weighs its bytes.
      if (ArrayBuffer.isView(value)) return value.byteLength;
      // Brackets, and a comma between members.
      let length = 1;
      if (Array.isArray(value)) {
        if (value.length <= SAMPLED_ITEMS) {
          for (const item of value) length += estimatedJsonLength(item) + 1;
          return Math.max(length, 2);
        }
        let sampled = 0;
        for (let index = 0; index < SAMPLED_ITEMS; index += 1)
          sampled += estimatedJsonLength(value[Math.floor((index * value.length) / SAMPLED_ITEMS)]) + 1;
        return length + Math.round((sampled * value.length) / SAMPLED_ITEMS);
      }
      for (const key in value) length += key.length + 4 + estimatedJsonLength((value as Record<string, unknown>)[key]);
      return Math.max(length, 2);
    }
    default:
      return 0;
  }
}

/**
 * Least-recently-used cache of query results within a size budget (measured as estimated JSON
 * length, so a 90-day hourly trend weighs what it holds). Keys carry the model's change version,
 * so a write makes older entries unreachable instead of stale. Pending computations are shared,
 * so identical concurrent queries (many dashboard viewers) run once.
 */
export class QueryCache {
  private readonly entries = new Map<string, Entry>();
  private size = 0;

  constructor(private readonly maxSize: number) {}

  get<T>(key: string, compute: () => Promise<T>): Promise<T> {
    if (this.maxSize === 0) return compute();
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.result as Promise<T>;
    }
    const entry: Entry = { result: compute(), size: 0 };
    this.entries.set(key, entry);
    entry.result.then(
      // Weighed once the waiting request has its answer.
      (result) => setImmediate(() => this.admit(key, entry, estimatedJsonLength(result))),
      () => this.remove(key, entry)
    );
    return entry.result as Promise<T>;
  }

  private admit(key: string, entry: Entry, size: number): void {
    if (this.entries.get(key) !== entry) return;
    // One result may take at most a quarter of the budget, so a few huge ones cannot flush the rest.
    if (size > this.maxSize / 4) {
      this.remove(key, entry);
      return;
    }
    entry.size = size;
    this.size += size;
    for (const [oldestKey, oldest] of this.entries) {
      if (this.size <= this.maxSize) break;
      this.remove(oldestKey, oldest);
    }
  }

  private remove(key: string, entry: Entry): void {
    if (this.entries.get(key) !== entry) return;
    this.entries.delete(key);
    this.size -= entry.size;
  }
}
