import type { DemoRow } from './scenarios';
import type { ScenarioTimeline } from './timeline';

/** Where the feed sends its batches: a drift-server's API, as a serving system would. */
export interface FeedTarget {
  /** Base URL of the drift-server, e.g. http://127.0.0.1:8080. */
  readonly url: string;
  /** A token with scope ingest. */
  readonly token: string;
}

export interface FeedProgress {
  readonly predictions: number;
  readonly labels: number;
}

interface PendingLabel {
  readonly dueMs: number;
  readonly prediction_id: string;
  readonly label: DemoRow[string];
}

const ndjson = (rows: readonly object[]) => `${rows.map((row) => JSON.stringify(row)).join('\n')}\n`;

/**
 * A scenario's predictions sent to drift-server as their timestamps come due, without their
 * labels; each label follows `labelDelayMs` after its prediction's timestamp, as outcomes come in
 * later. Prediction batches carry an Idempotency-Key, so a resent batch is stored once.
 */
export class LiveFeed {
  private sentUpToMs: number;
  private pending: PendingLabel[] = [];

  constructor(
    private readonly target: FeedTarget,
    private readonly timeline: ScenarioTimeline,
    /** Predictions stamped up to this time are taken as sent already. */
    fromMs: number,
    private readonly labelDelayMs: number
  ) {
    this.sentUpToMs = fromMs;
  }

  /** Sends the predictions stamped up to `nowMs` and the labels due by then. */
  async advanceTo(nowMs: number): Promise<FeedProgress> {
    const rows = nowMs > this.sentUpToMs ? this.timeline.rowsBetween(this.sentUpToMs, nowMs) : [];
    if (rows.length > 0) {
      await this.post(
        'predictions',
        rows.map((row) => ({ ...row, label: null })),
        `live-${this.timeline.scenario.modelId}-${this.sentUpToMs}-${nowMs}`
      );
      for (const row of rows)
        this.pending.push({
          dueMs: Date.parse(String(row.timestamp)) + this.labelDelayMs,
          prediction_id: String(row.prediction_id),
          label: row.label,
        });
    }
    this.sentUpToMs = Math.max(this.sentUpToMs, nowMs);
    const due = this.pending.filter((label) => label.dueMs <= nowMs);
    if (due.length > 0) {
      await this.post(
        'labels',
        due.map(({ prediction_id, label }) => ({ prediction_id, label }))
      );
      this.pending = this.pending.filter((label) => label.dueMs > nowMs);
    }
    return { predictions: rows.length, labels: due.length };
  }

  private async post(kind: 'predictions' | 'labels', rows: readonly object[], idempotencyKey?: string): Promise<void> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.target.token}`,
      'content-type': 'application/x-ndjson',
    };
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    const response = await fetch(`${this.target.url}/api/v1/models/${this.timeline.scenario.modelId}/${kind}`, {
      method: 'POST',
      headers,
      body: ndjson(rows),
    });
    if (!response.ok)
      throw new Error(`the live feed's ${kind} batch was refused: HTTP ${response.status} ${await response.text()}`);
  }
}
