/**
 * Bounds concurrent password hashing. scrypt runs on libuv's thread pool (4 threads by default),
 * the same pool that runs the `fdatasync` each durable message ack waits for
 * (server/store/wal-sync.ts). Unbounded, a burst of registrations or logins held every thread
 * and both cores, and acks waited seconds. At most `concurrency` hashes run at once; up to
 * `maxQueued` more wait in FIFO order; beyond that `tryRun` refuses at once, so that the caller
 * can answer `rate_limited` instead of queueing without bound.
 */

export interface HashGateOptions {
  /** Hashes running at once (each holds one thread-pool thread). */
  concurrency: number;
  /** Hashes waiting behind them; more are refused. */
  maxQueued: number;
}

export class HashGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly options: HashGateOptions) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) throw new Error('hash concurrency must be a positive integer');
    if (!Number.isInteger(options.maxQueued) || options.maxQueued < 0) throw new Error('hash queue length must be a non-negative integer');
  }

  /** Hashes running now. */
  get active(): number {
    return this.running;
  }

  /** Hashes waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }

  /**
   * Runs `task` once a slot is free, or returns undefined at once (and never runs it) when
   * every slot is taken and the queue is full. The decision is synchronous.
   */
  tryRun<T>(task: () => Promise<T>): Promise<T> | undefined {
    if (this.running < this.options.concurrency) {
      this.running++;
      return this.runHeld(task);
    }
    if (this.waiting.length >= this.options.maxQueued) return undefined;
    return new Promise<void>((resolve) => this.waiting.push(resolve)).then(() => this.runHeld(task));
  }

  /** Runs `task` in a slot already counted in `running`, and hands the slot on afterwards. */
  private async runHeld<T>(task: () => Promise<T>): Promise<T> {
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next in line, so `running` stays the same.
      if (next === undefined) this.running--;
      else next();
    }
  }
}
