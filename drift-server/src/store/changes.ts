/**
 * Counts committed writes per model, so results computed from a model's data can be cached and
 * recognised as stale. In memory only: one server process owns the database file.
 */
export class ChangeCounter {
  private readonly versions = new Map<string, number>();
  private global = 0;

  /** Changes whenever data of the model, or data of every model, changed. */
  version(modelId: string): string {
    return `${this.global}.${this.versions.get(modelId) ?? 0}`;
  }

  /**
   * Runs a write of the model's data, counting a change both before and after it. Other connections
   * see a commit before COMMIT returns (DuckDB may checkpoint first), so a count taken only afterwards
   * would let a query in that gap cache the new data's result as the old one's, or the reverse; with
   * the count moved on before the write, whatever is computed meanwhile is cached under a key that
   * the count after it retires.
   */
  async writing<T>(modelId: string, write: () => Promise<T>): Promise<T> {
    this.touch(modelId);
    try {
      return await write();
    } finally {
      this.touch(modelId);
    }
  }

  /** As `writing`, for a write that may change any model's data. */
  async writingAll<T>(write: () => Promise<T>): Promise<T> {
    this.touchAll();
    try {
      return await write();
    } finally {
      this.touchAll();
    }
  }

  /** Retires every cached result, as a write to every model's data would. */
  touchAll(): void {
    this.global += 1;
  }

  private touch(modelId: string): void {
    this.versions.set(modelId, (this.versions.get(modelId) ?? 0) + 1);
  }
}
