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

  touch(modelId: string): void {
    this.versions.set(modelId, (this.versions.get(modelId) ?? 0) + 1);
  }

  touchAll(): void {
    this.global += 1;
  }
}
