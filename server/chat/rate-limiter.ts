/** Token buckets keyed by user, socket, address or username: `burst` at once, then `perSecond`. */

export interface RateRule {
  burst: number;
  perSecond: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Above this many keys, buckets that have refilled completely are dropped: they hold no state. */
const SWEEP_THRESHOLD = 10_000;

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly rule: RateRule,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether `key` could spend one token now, without spending it. */
  allows(key: string): boolean {
    return this.refill(key).tokens >= 1;
  }

  /** Spends one token; false (and nothing spent) when the bucket is empty. */
  take(key: string): boolean {
    const bucket = this.refill(key);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Spends one token even when it goes negative, so that a flood keeps the key locked out longer. */
  charge(key: string): void {
    this.refill(key).tokens -= 1;
  }

  private refill(key: string): Bucket {
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      if (this.buckets.size >= SWEEP_THRESHOLD) this.sweep(now);
      bucket = { tokens: this.rule.burst, updatedAt: now };
      this.buckets.set(key, bucket);
      return bucket;
    }
    const elapsed = Math.max(0, now - bucket.updatedAt) / 1000;
    bucket.tokens = Math.min(this.rule.burst, bucket.tokens + elapsed * this.rule.perSecond);
    bucket.updatedAt = now;
    return bucket;
  }

  private sweep(now: number): void {
    for (const [key, bucket] of this.buckets) {
      const elapsed = Math.max(0, now - bucket.updatedAt) / 1000;
      if (bucket.tokens + elapsed * this.rule.perSecond >= this.rule.burst) this.buckets.delete(key);
    }
  }
}
