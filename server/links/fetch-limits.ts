/**
 * The two small guards of the safe fetcher that are not about addresses: a global cap on
 * concurrent fetches with a bounded queue, and a short-lived result cache with a byte budget.
 */

export class ConcurrencyLimit {
  private active = 0;
  private readonly waiting: Array<(granted: boolean) => void> = [];

  constructor(
    private readonly max: number,
    private readonly maxQueued: number,
  ) {}

  get running(): number {
    return this.active;
  }

  /** Resolves true with a slot held, or false when the queue is full or the limit closed. */
  acquire(): Promise<boolean> {
    if (this.active < this.max) {
      this.active++;
      return Promise.resolve(true);
    }
    if (this.waiting.length >= this.maxQueued) return Promise.resolve(false);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next(true);
    else this.active--;
  }

  close(): void {
    for (const waiter of this.waiting.splice(0)) waiter(false);
  }
}

interface Entry<T> {
  value: T;
  expires: number;
  bytes: number;
}

/** Oldest entries go first when the entry count or byte budget is exceeded. */
export class ExpiringCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private bytes = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires <= this.now()) {
      this.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: T, ttlMs: number, bytes = 0): void {
    if (ttlMs <= 0 || bytes > this.maxBytes) return;
    this.delete(key);
    this.entries.set(key, { value, expires: this.now() + ttlMs, bytes });
    this.bytes += bytes;
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.delete(oldest);
    }
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  private delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.bytes -= entry.bytes;
    this.entries.delete(key);
  }
}

/** One call per key at a time: later callers share the pending promise of the first. */
export class InFlight<T> {
  private readonly pending = new Map<string, Promise<T>>();

  run(key: string, task: () => Promise<T>): Promise<T> {
    const existing = this.pending.get(key);
    if (existing) return existing;
    const promise = task().finally(() => this.pending.delete(key));
    this.pending.set(key, promise);
    return promise;
  }
}
