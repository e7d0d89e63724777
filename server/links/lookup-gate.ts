/**
 * Name lookups of the preview fetcher, a few at a time. `dns.lookup` runs getaddrinfo on libuv's
 * thread pool, of which at most half (2 of the default 4 threads) may resolve names at once, and
 * a lookup cannot be cancelled: a fetch that gives up at its deadline leaves its lookup running
 * until the system resolver gives up (tens of seconds against a name server that never
 * answers). Pages naming hosts under such a server piled up abandoned lookups faster than they
 * drained: every other site's previews and cards failed for 14 minutes after a 45-second
 * attack, and a verification service reached by host name failed too. Behind this gate the
 * fetcher holds at most `permits` lookups, abandoned ones included, so a thread stays free for
 * the rest of the server; a lookup waiting for a permit gives up at its fetch's deadline
 * without ever starting. A lookup of a name already being asked shares that question.
 */
export class LookupGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly shared = new Map<string, Promise<unknown>>();

  constructor(private readonly permits: number) {}

  /** `lookup(name)` once a permit is free; rejects when `signal` aborts first. */
  run<T>(name: string, lookup: () => Promise<T>, signal: AbortSignal): Promise<T> {
    const same = this.shared.get(name) as Promise<T> | undefined;
    if (same !== undefined) return same;
    return this.acquire(signal).then(() => {
      const started = this.shared.get(name) as Promise<T> | undefined;
      if (started !== undefined) {
        // Asked meanwhile by another fetch: its answer serves both, and the permit goes back.
        this.release();
        return started;
      }
      const asked = lookup();
      this.shared.set(name, asked);
      // The permit is held until the lookup itself ends, whoever still waits for it.
      const done = (): void => {
        if (this.shared.get(name) === asked) this.shared.delete(name);
        this.release();
      };
      asked.then(done, done);
      return asked;
    });
  }

  private acquire(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(new Error('aborted'));
    if (this.running < this.permits) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const grant = (): void => {
        signal.removeEventListener('abort', onAbort);
        this.running++;
        resolve();
      };
      const onAbort = (): void => {
        const at = this.waiting.indexOf(grant);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(new Error('aborted'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(grant);
    });
  }

  private release(): void {
    this.running--;
    this.waiting.shift()?.();
  }
}
