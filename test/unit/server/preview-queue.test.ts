import { describe, expect, it } from 'vitest';
import { PreviewQueue } from '../../../server/chat/preview-queue';

/** A job the test finishes by hand, recording when it started and with which mode. */
function controlled() {
  const started: { name: string; fetchPages: boolean }[] = [];
  const finish = new Map<string, () => void>();
  const job = (name: string) => (fetchPages: boolean) =>
    new Promise<void>((resolve) => {
      started.push({ name, fetchPages });
      finish.set(name, resolve);
    });
  const done = (name: string) => {
    const resolve = finish.get(name);
    if (resolve === undefined) throw new Error(`${name} has not started`);
    resolve();
  };
  return { started, job, done };
}

const turns = async (n = 5) => {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

describe('PreviewQueue', () => {
  it('runs one job at a time per sender, in order, while other senders run alongside', async () => {
    const queue = new PreviewQueue(10);
    const { started, job, done } = controlled();
    queue.push('a', job('a1'));
    queue.push('a', job('a2'));
    queue.push('b', job('b1'));
    await turns();
    expect(started.map((s) => s.name)).toEqual(['a1', 'b1']);
    done('b1');
    await turns();
    expect(started.map((s) => s.name)).toEqual(['a1', 'b1']);
    done('a1');
    await turns();
    expect(started.map((s) => s.name)).toEqual(['a1', 'b1', 'a2']);
    done('a2');
    await turns();
    // A sender whose queue emptied starts again at once.
    queue.push('a', job('a3'));
    await turns();
    expect(started.at(-1)).toEqual({ name: 'a3', fetchPages: true });
    done('a3');
    await queue.close();
  });

  it('gives the messages past a full backlog their verdicts at once, without page fetches', async () => {
    const queue = new PreviewQueue(2);
    const { started, job, done } = controlled();
    for (const name of ['a1', 'a2', 'a3', 'a4']) queue.push('a', job(name));
    await turns();
    expect(started).toEqual([
      { name: 'a1', fetchPages: true },
      { name: 'a4', fetchPages: false },
    ]);
    for (const name of ['a4', 'a1']) done(name);
    await turns();
    done('a2');
    await turns();
    done('a3');
    await queue.close();
    expect(started.map((s) => s.name)).toEqual(['a1', 'a4', 'a2', 'a3']);
  });

  it('on close, lets the jobs under way finish and starts no more', async () => {
    const queue = new PreviewQueue(10);
    const { started, job, done } = controlled();
    queue.push('a', job('a1'));
    queue.push('a', job('a2'));
    await turns();
    let closed = false;
    const closing = queue.close().then(() => (closed = true));
    await turns();
    expect(closed).toBe(false);
    done('a1');
    await closing;
    queue.push('a', job('a3'));
    await turns();
    expect(started.map((s) => s.name)).toEqual(['a1']);
  });

  it('keeps going after a job that throws', async () => {
    const queue = new PreviewQueue(10);
    const ran: string[] = [];
    queue.push('a', async () => {
      ran.push('bad');
      throw new Error('boom');
    });
    queue.push('a', async () => {
      ran.push('good');
    });
    await turns();
    await queue.close();
    expect(ran).toEqual(['bad', 'good']);
  });
});
