/** Client addresses whose failures are remembered at most; beyond it the ones that failed longest ago are forgotten first. */
const MAX_ADDRESSES = 10_000;

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/**
 * Rate limit on failed authentications per client address: a token bucket holding `perMinute`
 * failures that refills at `perMinute` a minute. An address that has used them all up is refused
 * every authentication attempt (429, valid or not, so guessing gains nothing) until one refills.
 * Successful authentications cost nothing. 0 disables the limit.
 */
export class FailedAuthLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    readonly perMinute: number,
    private readonly clock: () => number = Date.now
  ) {}

  /** Whole seconds `address` must wait before it may try again; 0 when it may try now. */
  retryAfterSeconds(address: string): number {
    if (this.perMinute === 0) return 0;
    const bucket = this.buckets.get(address);
    if (!bucket) return 0;
    const tokens = this.refilled(bucket);
    return tokens >= 1 ? 0 : Math.max(1, Math.ceil(((1 - tokens) * 60) / this.perMinute));
  }

  recordFailure(address: string): void {
    if (this.perMinute === 0) return;
    const existing = this.buckets.get(address);
    const tokens = existing ? this.refilled(existing) : this.perMinute;
    // Re-inserted so the map's order is the order of the last failure.
    this.buckets.delete(address);
    this.buckets.set(address, { tokens: Math.max(0, tokens - 1), updatedMs: this.clock() });
    if (this.buckets.size > MAX_ADDRESSES) this.forget();
  }

  private refilled(bucket: Bucket): number {
    return Math.min(this.perMinute, bucket.tokens + ((this.clock() - bucket.updatedMs) * this.perMinute) / 60_000);
  }

  /** Drops addresses whose bucket is full again, then, if still too many, those that failed longest ago. */
  private forget(): void {
    for (const [address, bucket] of this.buckets)
      if (this.refilled(bucket) >= this.perMinute) this.buckets.delete(address);
    for (const address of this.buckets.keys()) {
      if (this.buckets.size <= MAX_ADDRESSES) break;
      this.buckets.delete(address);
    }
  }
}
