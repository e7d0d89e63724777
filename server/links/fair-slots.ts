/**
 * The safe fetcher's slots (docs/security.md, "The safe fetcher"): a global cap on fetches
 * running at once, a cap per site, and a bounded wait, served fairly across owners (the user a
 * fetch is for). Pure: no I/O, the clock is injected, so the tests drive it with a fake one.
 *
 * - At most `maxRunning` hold a slot, and at most `maxPerHost` of them for one host key.
 * - Waiting fetches are served round-robin across owner keys, not first come first served:
 *   when a slot frees, the next fetch is taken from the owner after the one served last that
 *   has a fetch its host has room for, and an owner with nothing running goes ahead of owners
 *   already holding slots. Within one owner, fetches go in arrival order (one whose host is
 *   full is passed over, not blocking that owner's other hosts).
 * - Every grant counts as a turn. A new owner joins the ring at the end of the current round
 *   (just before the owner served last); an owner leaves it when nothing of its waits or runs.
 * - At most `maxWaiting` wait (the queue bound), and none longer than `maxWaitMs`.
 */

export type SlotRefusal = 'queue_full' | 'wait_expired' | 'closed';

export type Slot = { ok: true; release(): void } | { ok: false; reason: SlotRefusal };

export interface SlotTimers {
  /** Calls `fn` once after `ms`; the function returned cancels it. */
  after(ms: number, fn: () => void): () => void;
}

export const realTimers: SlotTimers = {
  after(ms, fn) {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
};

export interface FairSlotsOptions {
  maxRunning: number;
  maxPerHost: number;
  maxWaiting: number;
  maxWaitMs: number;
  timers?: SlotTimers;
}

interface Waiter {
  owner: string;
  host: string;
  resolve: (slot: Slot) => void;
  cancelTimer?: (() => void) | undefined;
}

interface Owner {
  /** Waiting fetches, in arrival order. */
  waiting: Waiter[];
  running: number;
}

export class FairSlots {
  private readonly maxRunning: number;
  private readonly maxPerHost: number;
  private readonly maxWaiting: number;
  private readonly maxWaitMs: number;
  private readonly timers: SlotTimers;

  private active = 0;
  private queued = 0;
  private closed = false;
  private readonly byHost = new Map<string, number>();
  /** Owners with something waiting or running; none other. */
  private readonly owners = new Map<string, Owner>();
  /** The same owners in round-robin order. */
  private readonly ring: string[] = [];
  /** Index in `ring` of the owner to consider first: the one after the owner served last. */
  private cursor = 0;
  private lastServed: string | undefined;

  constructor(options: FairSlotsOptions) {
    this.maxRunning = options.maxRunning;
    this.maxPerHost = options.maxPerHost;
    this.maxWaiting = options.maxWaiting;
    this.maxWaitMs = options.maxWaitMs;
    this.timers = options.timers ?? realTimers;
  }

  /** Fetches holding a slot. */
  get running(): number {
    return this.active;
  }

  /** Fetches waiting for a slot. */
  get waiting(): number {
    return this.queued;
  }

  runningForHost(host: string): number {
    return this.byHost.get(host) ?? 0;
  }

  runningForOwner(owner: string): number {
    return this.owners.get(owner)?.running ?? 0;
  }

  /**
   * Resolves with a slot held (release it exactly once; later calls do nothing), or with the
   * reason there is none: the queue is full, the wait passed `maxWaitMs`, or the slots closed.
   */
  acquire(owner: string, host: string): Promise<Slot> {
    if (this.closed) return Promise.resolve({ ok: false, reason: 'closed' });
    // With a slot free, everything waiting waits for its host: a fetch whose host has room
    // takes the slot at once without passing anyone.
    if (this.active < this.maxRunning && this.runningForHost(host) < this.maxPerHost) {
      return Promise.resolve(this.grant(this.join(owner), owner, host));
    }
    if (this.queued >= this.maxWaiting) return Promise.resolve({ ok: false, reason: 'queue_full' });
    return new Promise<Slot>((resolve) => {
      const waiter: Waiter = { owner, host, resolve };
      this.join(owner).waiting.push(waiter);
      this.queued++;
      waiter.cancelTimer = this.timers.after(this.maxWaitMs, () => {
        waiter.cancelTimer = undefined;
        if (this.remove(waiter)) resolve({ ok: false, reason: 'wait_expired' });
      });
    });
  }

  /** Runs `task` holding a slot, and frees the slot however the task ends. */
  async run<T>(owner: string, host: string, task: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; reason: SlotRefusal }> {
    const slot = await this.acquire(owner, host);
    if (!slot.ok) return slot;
    try {
      return { ok: true, value: await task() };
    } finally {
      slot.release();
    }
  }

  /** Refuses everything waiting and everything asked from now on; running fetches keep their slots until released. */
  close(): void {
    this.closed = true;
    for (const [name, owner] of [...this.owners]) {
      for (const waiter of owner.waiting.splice(0)) {
        waiter.cancelTimer?.();
        waiter.resolve({ ok: false, reason: 'closed' });
      }
      this.leaveIfIdle(name, owner);
    }
    this.queued = 0;
  }

  /** The owner's entry; a new owner joins the ring at the end of the current round, just before the owner served last. */
  private join(name: string): Owner {
    const known = this.owners.get(name);
    if (known) return known;
    const owner: Owner = { waiting: [], running: 0 };
    this.owners.set(name, owner);
    const last = this.lastServed === undefined ? -1 : this.ring.indexOf(this.lastServed);
    const at = last >= 0 ? last : this.cursor;
    this.ring.splice(at, 0, name);
    if (at < this.cursor || (last < 0 && at === this.cursor)) this.cursor++;
    return owner;
  }

  private leaveIfIdle(name: string, owner: Owner): void {
    if (owner.running > 0 || owner.waiting.length > 0) return;
    this.owners.delete(name);
    const index = this.ring.indexOf(name);
    this.ring.splice(index, 1);
    if (index < this.cursor) this.cursor--;
    if (this.lastServed === name) this.lastServed = undefined;
  }

  private grant(owner: Owner, name: string, host: string): Slot {
    this.active++;
    owner.running++;
    this.byHost.set(host, this.runningForHost(host) + 1);
    this.lastServed = name;
    this.cursor = this.ring.indexOf(name) + 1;
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        this.active--;
        owner.running--;
        const left = this.runningForHost(host) - 1;
        if (left > 0) this.byHost.set(host, left);
        else this.byHost.delete(host);
        this.leaveIfIdle(name, owner);
        this.dispatch();
      },
    };
  }

  /** Takes a waiter out of its queue; false when it is no longer there. */
  private remove(waiter: Waiter): boolean {
    const owner = this.owners.get(waiter.owner);
    const at = owner ? owner.waiting.indexOf(waiter) : -1;
    if (!owner || at < 0) return false;
    owner.waiting.splice(at, 1);
    this.queued--;
    this.leaveIfIdle(waiter.owner, owner);
    return true;
  }

  private dispatch(): void {
    while (!this.closed && this.active < this.maxRunning && this.queued > 0) {
      const waiter = this.pick();
      if (waiter === undefined) return;
      const owner = this.owners.get(waiter.owner) as Owner;
      owner.waiting.splice(owner.waiting.indexOf(waiter), 1);
      this.queued--;
      waiter.cancelTimer?.();
      waiter.resolve(this.grant(owner, waiter.owner, waiter.host));
    }
  }

  /** One round from the cursor: the first owner with nothing running, else the first owner, that has a fetch its host has room for. */
  private pick(): Waiter | undefined {
    const count = this.ring.length;
    let fallback: Waiter | undefined;
    for (let step = 0; step < count; step++) {
      const owner = this.owners.get(this.ring[(this.cursor + step) % count] as string) as Owner;
      const waiter = owner.waiting.find((w) => this.runningForHost(w.host) < this.maxPerHost);
      if (waiter === undefined) continue;
      if (owner.running === 0) return waiter;
      fallback ??= waiter;
    }
    return fallback;
  }
}
