import { describe, expect, it } from 'vitest';
import { FairSlots, type FairSlotsOptions, type Slot, type SlotTimers } from '../../../server/links/fair-slots';
import { siteOf } from '../../../server/links/safe-fetch';

/** A fake clock: timers fire only when the test moves time on. */
class FakeClock implements SlotTimers {
  now = 0;
  private timers: Array<{ at: number; fn: () => void; live: boolean }> = [];

  after(ms: number, fn: () => void): () => void {
    const timer = { at: this.now + ms, fn, live: true };
    this.timers.push(timer);
    return () => {
      timer.live = false;
    };
  }

  get pending(): number {
    return this.timers.filter((t) => t.live).length;
  }

  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.live && t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.now = due.at;
      due.live = false;
      due.fn();
    }
    this.now = until;
    this.timers = this.timers.filter((t) => t.live);
  }
}

/** Lets promise callbacks run (no time passes). */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

interface Request {
  label: string;
  slot?: Slot;
}

function setup(options: Partial<FairSlotsOptions> = {}) {
  const clock = new FakeClock();
  const slots = new FairSlots({ maxRunning: 2, maxPerHost: 2, maxWaiting: 100, maxWaitMs: 10_000, timers: clock, ...options });
  const granted: string[] = [];
  const requests = new Map<string, Request>();
  /** Asks for a slot; labelled `owner:n`, its grant is recorded in order. */
  const ask = (label: string, host = 'shop.test'): Request => {
    const owner = label.split(':')[0] ?? label;
    const request: Request = { label };
    requests.set(label, request);
    void slots.acquire(owner, host).then((slot) => {
      request.slot = slot;
      if (slot.ok) granted.push(label);
    });
    return request;
  };
  const release = async (label: string): Promise<void> => {
    const slot = requests.get(label)?.slot;
    if (!slot?.ok) throw new Error(`${label} holds no slot`);
    slot.release();
    await settle();
  };
  return { clock, slots, granted, ask, release };
}

describe('FairSlots: round-robin across owners', () => {
  it('serves waiting fetches one owner at a time, not first come first served', async () => {
    const { slots, granted, ask, release } = setup({ maxRunning: 1 });
    ask('a:0');
    for (const label of ['a:1', 'a:2', 'a:3', 'b:1', 'b:2', 'c:1']) ask(label);
    await settle();
    expect(granted).toEqual(['a:0']);
    expect(slots.waiting).toBe(6);
    while (slots.waiting > 0) await release(granted.at(-1) as string);
    // a was served last (a:0), so b comes next, then c, then a; FIFO would have given a:1, a:2, a:3 before b and c.
    expect(granted).toEqual(['a:0', 'b:1', 'c:1', 'a:1', 'b:2', 'a:2', 'a:3']);
  });

  it('takes the owner after the one served last that has something waiting', async () => {
    const { granted, ask, release } = setup({ maxRunning: 1 });
    ask('x:0');
    ask('a:1');
    ask('b:1');
    ask('c:1');
    ask('c:2');
    await settle();
    await release('x:0'); // a (idle, first in the round)
    ask('a:2'); // a, just served, asks again: it waits for b and c
    await settle();
    await release('a:1'); // b
    await release('b:1'); // c
    await release('c:1'); // a, then c again
    await release('a:2');
    expect(granted).toEqual(['x:0', 'a:1', 'b:1', 'c:1', 'a:2', 'c:2']);
  });

  it('puts an owner with nothing running ahead of owners already holding slots', async () => {
    const { granted, slots, ask, release } = setup({ maxRunning: 3, maxPerHost: 3 });
    for (const label of ['a:0', 'a:1', 'b:0', 'a:2', 'a:3', 'b:1', 'b:2']) ask(label);
    await settle();
    expect(granted).toEqual(['a:0', 'a:1', 'b:0']);
    ask('h:1'); // an honest owner arriving behind them all
    await settle();
    await release('a:0');
    // a and b each hold a slot; h holds none, so it goes first though it came last.
    expect(granted.at(-1)).toBe('h:1');
    expect(slots.runningForOwner('h')).toBe(1);
    await release('a:1');
    expect(granted.at(-1)).toBe('a:2');
  });

  // The audit: senders with 3 hanging links each hold all 8 slots (here on sites with room for
  // them all); an honest fetch arrives last. FIFO served it after every fetch queued before it
  // (11th free with 6 senders, 23rd with 10); round-robin after one fetch per idle owner ahead.
  it.each([
    [6, 4],
    [10, 8],
  ])('bounds an honest wait by the owners ahead of it, not their fetches: %i senders, slot at free %i', async (senders, expected) => {
    const { granted, slots, ask, release } = setup({ maxRunning: 8, maxPerHost: 8 });
    for (let s = 0; s < senders; s++) for (let n = 0; n < 3; n++) ask(`s${s}:${n}`);
    await settle();
    ask('honest:1');
    await settle();
    expect(granted).toHaveLength(8);
    const fifoPosition = slots.waiting;
    // Free the slots in the order they were taken, as equal deadlines would.
    let frees = 0;
    while (!granted.includes('honest:1')) {
      await release(granted[frees] as string);
      frees++;
    }
    expect(frees).toBe(expected);
    expect(fifoPosition).toBe(senders * 3 - 8 + 1);
  });
});

describe('FairSlots: per-host cap', () => {
  it('runs at most maxPerHost per host; the rest wait without blocking other hosts', async () => {
    const { granted, slots, ask, release } = setup({ maxRunning: 8, maxPerHost: 2 });
    for (let n = 0; n < 5; n++) ask(`a:${n}`, 'slow.shop');
    ask('b:0', 'slow.shop');
    ask('b:1', 'fast.shop');
    ask('c:0', 'fast.shop');
    await settle();
    expect(granted).toEqual(['a:0', 'a:1', 'b:1', 'c:0']);
    expect(slots.runningForHost('slow.shop')).toBe(2);
    expect(slots.running).toBe(4);
    expect(slots.waiting).toBe(4);
    // A freed slow.shop slot goes to a waiting slow.shop fetch, round-robin: b has something running, a too.
    await release('a:0');
    expect(granted.at(-1)).toBe('b:0');
    await release('a:1');
    expect(granted.at(-1)).toBe('a:2');
    expect(slots.runningForHost('slow.shop')).toBe(2);
  });

  it("passes over an owner's fetch whose host is full and serves the same owner's other host", async () => {
    const { granted, ask, release } = setup({ maxRunning: 3, maxPerHost: 1 });
    ask('x:0', 'one.shop');
    ask('x:1', 'two.shop');
    ask('x:2', 'three.shop');
    ask('a:1', 'one.shop');
    ask('a:2', 'two.shop');
    await settle();
    await release('x:1');
    expect(granted.at(-1)).toBe('a:2');
    await release('x:0');
    expect(granted.at(-1)).toBe('a:1');
  });
});

describe('FairSlots: bounds', () => {
  it('refuses past the queue bound, but never a fetch that can start at once', async () => {
    const { slots, ask } = setup({ maxRunning: 2, maxPerHost: 1, maxWaiting: 3 });
    ask('a:0', 'one.shop');
    for (let n = 1; n <= 3; n++) ask(`a:${n}`, 'one.shop');
    const refused = ask('b:1', 'one.shop');
    const other = ask('b:2', 'two.shop');
    await settle();
    expect(refused.slot).toEqual({ ok: false, reason: 'queue_full' });
    expect(other.slot?.ok).toBe(true);
    expect(slots.waiting).toBe(3);
    expect(slots.running).toBe(2);
  });

  it('fails a fetch that waited past the deadline, and only that one', async () => {
    const { clock, slots, granted, ask, release } = setup({ maxRunning: 1, maxWaitMs: 10_000 });
    ask('a:0');
    const early = ask('b:1');
    clock.advance(6_000);
    const late = ask('c:1');
    clock.advance(3_999);
    await settle();
    expect(early.slot).toBeUndefined();
    clock.advance(1);
    await settle();
    expect(early.slot).toEqual({ ok: false, reason: 'wait_expired' });
    expect(late.slot).toBeUndefined();
    expect(slots.waiting).toBe(1);
    await release('a:0');
    expect(granted).toEqual(['a:0', 'c:1']);
    // The granted waiter's timer is gone: nothing fires for it later.
    expect(clock.pending).toBe(0);
    clock.advance(60_000);
    await settle();
    expect(late.slot?.ok).toBe(true);
  });

  it('frees the slot when the task succeeds and when it fails', async () => {
    const { slots } = setup({ maxRunning: 1 });
    expect(await slots.run('a', 'shop.test', async () => 'done')).toEqual({ ok: true, value: 'done' });
    expect(slots.running).toBe(0);
    await expect(slots.run('a', 'shop.test', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(slots.running).toBe(0);
    expect(slots.runningForHost('shop.test')).toBe(0);
    expect(slots.runningForOwner('a')).toBe(0);
    expect(await slots.run('b', 'shop.test', async () => 'next')).toEqual({ ok: true, value: 'next' });
  });

  it('hands a freed slot on when a running task fails', async () => {
    const { slots } = setup({ maxRunning: 1 });
    let fail: (error: Error) => void = () => undefined;
    const first = slots.run('a', 'shop.test', () => new Promise<never>((_, reject) => (fail = reject)));
    const second = slots.run('b', 'shop.test', async () => 'second');
    await settle();
    expect(slots.waiting).toBe(1);
    fail(new Error('connection lost'));
    await expect(first).rejects.toThrow('connection lost');
    expect(await second).toEqual({ ok: true, value: 'second' });
    expect(slots.running).toBe(0);
  });

  it('releases a slot once, however often release is called', async () => {
    const { slots, granted, ask, release } = setup({ maxRunning: 1 });
    ask('a:0');
    ask('b:1');
    ask('c:1');
    await settle();
    await release('a:0');
    await release('a:0');
    expect(granted).toEqual(['a:0', 'b:1']);
    expect(slots.running).toBe(1);
  });

  it('refuses what waits and what comes after close', async () => {
    const { clock, slots, ask } = setup({ maxRunning: 1 });
    ask('a:0');
    const waiting = ask('b:1');
    slots.close();
    await settle();
    expect(waiting.slot).toEqual({ ok: false, reason: 'closed' });
    expect(clock.pending).toBe(0);
    expect(await slots.acquire('c', 'shop.test')).toEqual({ ok: false, reason: 'closed' });
  });
});

describe('siteOf: the key of the per-site cap', () => {
  it.each([
    ['https://jade-garden.shop/products/x', 'jade-garden.shop'],
    ['https://www.jade-garden.shop/', 'jade-garden.shop'],
    ['https://a.b.c.jade-garden.shop./x', 'jade-garden.shop'],
    ['https://shop.example.co.uk/', 'example.co.uk'],
    ['https://alice.github.io/', 'alice.github.io'],
    ['http://93.184.216.34/x', '93.184.216.34'],
    ['http://[2001:db8::1]/', '[2001:db8::1]'],
    ['http://localhost/', 'localhost'],
    ['not a url', ''],
  ])('%s → %s', (url, site) => {
    expect(siteOf(url)).toBe(site);
  });
});
