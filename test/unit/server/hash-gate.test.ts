import { describe, expect, it } from 'vitest';
import { HashGate } from '../../../server/chat/hash-gate';

/** A task the test finishes by hand; `started` tells whether the gate has run it yet. */
function controlled(log: string[], name: string) {
  let finish: (fail?: boolean) => void = () => {};
  const task = {
    started: false,
    run: () =>
      new Promise<string>((resolve, reject) => {
        task.started = true;
        log.push(`start ${name}`);
        finish = (fail = false) => (fail ? reject(new Error(`${name} failed`)) : resolve(name));
      }),
    finish: (fail?: boolean) => finish(fail),
  };
  return task;
}

/** Lets the gate's promise chains run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('HashGate', () => {
  it('runs at most `concurrency` tasks, queues the next ones in order and refuses beyond the queue at once', async () => {
    const log: string[] = [];
    const gate = new HashGate({ concurrency: 2, maxQueued: 2 });
    const tasks = ['a', 'b', 'c', 'd', 'e'].map((name) => controlled(log, name));
    const results = tasks.map((task) => gate.tryRun(task.run));
    expect(results.map((r) => r === undefined)).toEqual([false, false, false, false, true]);
    await settle();
    expect(log).toEqual(['start a', 'start b']);
    expect([gate.active, gate.queued]).toEqual([2, 2]);

    tasks[1]?.finish();
    await settle();
    expect(log).toEqual(['start a', 'start b', 'start c']);
    expect([gate.active, gate.queued]).toEqual([2, 1]);
    // A failing task frees its slot too.
    tasks[0]?.finish(true);
    await expect(results[0]).rejects.toThrow('a failed');
    await settle();
    expect(log).toEqual(['start a', 'start b', 'start c', 'start d']);
    expect(gate.tryRun(async () => 'f')).toBeDefined();
    expect(gate.tryRun(async () => 'g')).toBeDefined();
    expect(gate.tryRun(async () => 'h')).toBeUndefined();

    tasks[2]?.finish();
    tasks[3]?.finish();
    expect(await results[3]).toBe('d');
    await settle();
    expect([gate.active, gate.queued]).toEqual([0, 0]);
  });

  it('never has more than `concurrency` running under a flood', async () => {
    const gate = new HashGate({ concurrency: 2, maxQueued: 64 });
    let running = 0;
    let peak = 0;
    const task = async () => {
      running++;
      peak = Math.max(peak, running);
      await settle();
      running--;
    };
    const accepted = Array.from({ length: 100 }, () => gate.tryRun(task));
    expect(accepted.filter((p) => p === undefined)).toHaveLength(100 - 66);
    await Promise.all(accepted);
    expect(peak).toBe(2);
  });
});
