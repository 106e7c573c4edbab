interface Entry {
  readonly result: Promise<unknown>;
  /** Length of the result as JSON, once computed: the memory budget's unit. */
  size: number;
}

/**
 * Least-recently-used cache of query results within a size budget (measured as JSON length, so a
 * 90-day hourly trend weighs what it holds). Keys carry the model's change version, so a write
 * makes older entries unreachable instead of stale. Pending computations are shared, so identical
 * concurrent queries (many dashboard viewers) run once.
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
      // Measured once the waiting request has its answer: stringifying a large result takes milliseconds.
      (result) => setImmediate(() => this.admit(key, entry, JSON.stringify(result).length)),
      () => this.remove(key, entry),
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
