import { describe, expect, it } from 'vitest';
import { LookupGate } from '../../../server/links/lookup-gate';

/** A lookup the test answers by hand, counting starts. */
function manual() {
  const started: string[] = [];
  const answers = new Map<string, (addresses: string[]) => void>();
  const lookup = (name: string) => () => {
    started.push(name);
    return new Promise<string[]>((resolve) => answers.set(name, resolve));
  };
  return { started, answer: (name: string) => answers.get(name)?.([`addr-of-${name}`]), lookup };
}

describe('LookupGate', () => {
  it('holds a permit for a lookup its asker gave up on, until the lookup itself ends', async () => {
    const gate = new LookupGate(1);
    const dns = manual();
    const hung = new AbortController();
    const first = gate.run('hangs.test', dns.lookup('hangs.test'), hung.signal);
    first.catch(() => undefined);
    hung.abort();
    // The asker left, but the lookup still runs: the next one waits, and gives up at its own deadline.
    const waiting = new AbortController();
    const second = gate.run('honest.test', dns.lookup('honest.test'), waiting.signal);
    waiting.abort();
    await expect(second).rejects.toThrow('aborted');
    expect(dns.started).toEqual(['hangs.test']);
    // Once the hung lookup ends, the next one starts at once.
    dns.answer('hangs.test');
    const third = gate.run('honest.test', dns.lookup('honest.test'), new AbortController().signal);
    await expect.poll(() => dns.started).toEqual(['hangs.test', 'honest.test']);
    dns.answer('honest.test');
    expect(await third).toEqual(['addr-of-honest.test']);
  });

  it('lets a lookup of a name being asked share that answer, without a permit of its own', async () => {
    const gate = new LookupGate(1);
    const dns = manual();
    const signal = new AbortController().signal;
    const a = gate.run('shop.test', dns.lookup('shop.test'), signal);
    await expect.poll(() => dns.started).toEqual(['shop.test']);
    const b = gate.run('shop.test', dns.lookup('shop.test'), signal);
    dns.answer('shop.test');
    expect(await Promise.all([a, b])).toEqual([['addr-of-shop.test'], ['addr-of-shop.test']]);
    expect(dns.started).toEqual(['shop.test']);
    // And the permit is free again.
    const c = gate.run('other.test', dns.lookup('other.test'), signal);
    await expect.poll(() => dns.started).toEqual(['shop.test', 'other.test']);
    dns.answer('other.test');
    expect(await c).toEqual(['addr-of-other.test']);
  });
});
