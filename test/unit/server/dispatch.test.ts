/**
 * Heavy events (sync, history, lists) take turns per socket: a burst from one socket never has
 * more than HEAVY_PER_SOCKET answers being built at once (their reading is synchronous, so a
 * burst of 60 syncs held every answer in memory before the first was queued). Those under way
 * go through the server's heavy lane, which starts one a turn of the event loop
 * (heavy-lane.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { ok, type AckResult, type ClientEventResults, type Result } from '../../../protocol';
import { resolveLimits } from '../../../server/chat/limits';
import { silentLogger } from '../../../server/chat/logger';
import { EventDispatcher, HEAVY_PER_SOCKET, HEAVY_WAITING_PER_SOCKET } from '../../../server/socket/dispatch';

type SyncResult = ClientEventResults['messages:sync'];

/** Lets every promise reaction already queued run (the dispatcher's are microtasks). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Lets the event loop turn until `condition` holds, for at most `most` turns. */
async function turnsUntil(condition: () => boolean, most = 50): Promise<void> {
  for (let turn = 0; turn < most && !condition(); turn++) await settle();
  expect(condition()).toBe(true);
}

const EMPTY_SYNC: SyncResult = { messages: [], conversations: [], hasMore: false, removed: [] };

/** A dispatcher whose sync handler answers only when the test says so. */
function world() {
  const started: string[] = [];
  const release: (() => void)[] = [];
  let typings = 0;
  const dispatcher = new EventDispatcher(
    {
      'messages:sync': (ctx) => {
        started.push(ctx.userId);
        return new Promise<Result<SyncResult>>((resolve) => release.push(() => resolve(ok(EMPTY_SYNC))));
      },
      typing: () => {
        typings++;
        return ok({});
      },
    },
    resolveLimits(undefined),
    silentLogger,
  );
  const answers: AckResult<object>[] = [];
  const sync = (socketId: string, open: () => boolean = () => true, backlog: () => number = () => 0) =>
    dispatcher.dispatch({ socketId, address: '192.0.2.1', open, backlog }, { userId: socketId }, 'messages:sync', [{ since: {} }, (answer: AckResult<object>) => answers.push(answer)]);
  const typing = (socketId: string) =>
    dispatcher.dispatch({ socketId, address: '192.0.2.1', open: () => true, backlog: () => 0 }, { userId: socketId }, 'typing', [{ conversationId: 'c1' }, (answer: AckResult<object>) => answers.push(answer)]);
  /** Answers the oldest sync under way, and lets the dispatcher take that in. */
  const answerOne = async () => {
    const count = answers.length;
    release.shift()?.();
    await settle();
    expect(answers).toHaveLength(count + 1);
  };
  return { dispatcher, started, answers, sync, typing, answerOne, typings: () => typings, pending: () => release.length, pendingRelease: () => release.shift()?.() };
}

describe('heavy events of one socket', () => {
  it("asks a peer's open() and backlog() as its methods: a peer may be a class instance, not a bag of closures", async () => {
    const { dispatcher, answers, answerOne } = world();
    class Peer {
      readonly socketId = 's-class';
      readonly address = '192.0.2.9';
      asked = 0;
      open(): boolean {
        this.asked++;
        return true;
      }
      backlog(): number {
        this.asked++;
        return 0;
      }
    }
    const peer = new Peer();
    dispatcher.dispatch(peer, { userId: 'u-class' }, 'messages:sync', [{ since: {} }, (answer: AckResult<object>) => answers.push(answer)]);
    await turnsUntil(() => peer.asked > 0);
    await answerOne();
    expect(answers).toEqual([{ ok: true, ...EMPTY_SYNC }]);
  });

  it('run at most HEAVY_PER_SOCKET at once; the others start, in order, as turns free', async () => {
    const w = world();
    for (let i = 0; i < HEAVY_PER_SOCKET + 3; i++) w.sync('s1');
    await turnsUntil(() => w.started.length === HEAVY_PER_SOCKET);
    await settle();
    await settle();
    expect(w.started).toHaveLength(HEAVY_PER_SOCKET);
    // Another socket, and a light event of the same one, are not held back.
    w.sync('s2');
    w.typing('s1');
    expect(w.typings()).toBe(1);
    await turnsUntil(() => w.started.length === HEAVY_PER_SOCKET + 1);
    expect(w.started.at(-1)).toBe('s2');
    await w.answerOne();
    await turnsUntil(() => w.started.length === HEAVY_PER_SOCKET + 2);
    for (let turn = 0; turn < 100 && w.answers.length < HEAVY_PER_SOCKET + 5; turn++) {
      if (w.pending() > 0) await w.answerOne();
      else await settle();
    }
    expect(w.started).toHaveLength(HEAVY_PER_SOCKET + 4);
    expect(w.answers).toHaveLength(HEAVY_PER_SOCKET + 5);
    expect(w.answers.every((answer) => answer.ok)).toBe(true);
  });

  it('wait at most HEAVY_WAITING_PER_SOCKET behind those under way; the next is answered rate_limited at once', async () => {
    const w = world();
    const asked = HEAVY_PER_SOCKET + HEAVY_WAITING_PER_SOCKET + 3;
    for (let i = 0; i < asked; i++) w.sync('s1');
    // The three over the bound are answered now, before anything ran; the rest are kept.
    expect(w.answers.map((answer) => (answer.ok ? 'ok' : answer.error.code))).toEqual(['rate_limited', 'rate_limited', 'rate_limited']);
    for (let turn = 0; turn < 200 && w.answers.length < asked; turn++) {
      if (w.pending() > 0) await w.answerOne();
      else await settle();
    }
    expect(w.started).toHaveLength(HEAVY_PER_SOCKET + HEAVY_WAITING_PER_SOCKET);
    expect(w.answers.filter((answer) => answer.ok)).toHaveLength(HEAVY_PER_SOCKET + HEAVY_WAITING_PER_SOCKET);
  });

  it('are not run once their socket is gone', async () => {
    const w = world();
    let open = true;
    for (let i = 0; i < HEAVY_PER_SOCKET + 2; i++) w.sync('s1', () => open);
    await turnsUntil(() => w.started.length === HEAVY_PER_SOCKET);
    open = false;
    for (let i = 0; i < HEAVY_PER_SOCKET; i++) await w.answerOne();
    // The two that waited were let go without being run.
    await w.dispatcher.drain();
    expect(w.started).toHaveLength(HEAVY_PER_SOCKET);
  });

  it('are waited for by drain() when under way; those still waiting their turn are answered `internal`, not run', async () => {
    const w = world();
    for (let i = 0; i < HEAVY_PER_SOCKET + 1; i++) w.sync('s1');
    await turnsUntil(() => w.started.length === HEAVY_PER_SOCKET);
    let drained = false;
    const draining = w.dispatcher.drain().then(() => {
      drained = true;
    });
    for (let i = 0; i < HEAVY_PER_SOCKET - 1; i++) w.pendingRelease();
    await settle();
    expect(drained).toBe(false);
    w.pendingRelease();
    await draining;
    expect(w.started).toHaveLength(HEAVY_PER_SOCKET);
    expect(w.answers.filter((answer) => answer.ok)).toHaveLength(HEAVY_PER_SOCKET);
    expect(w.answers.filter((answer) => !answer.ok)).toEqual([{ ok: false, error: { code: 'internal', message: 'the server is shutting down' } }]);
  });

  it('are answered `internal` by drain() when held for a peer that does not read: a paused client does not hold a shutdown', async () => {
    const w = world();
    w.sync('s1', () => true, () => 2 * 1024 * 1024);
    await settle();
    await w.dispatcher.drain();
    expect(w.started).toEqual([]);
    expect(w.answers).toEqual([{ ok: false, error: { code: 'internal', message: 'the server is shutting down' } }]);
  });

  it('wait while their socket holds more than its peer has read, and run once it has read', async () => {
    const w = world();
    let backlog = 2 * 1024 * 1024;
    w.sync('s1', () => true, () => backlog);
    w.sync('s2');
    await turnsUntil(() => w.started.length === 1);
    expect(w.started).toEqual(['s2']);
    backlog = 0;
    // Looked at again on a short timer while nothing else can run: polled, never slept on.
    await expect.poll(() => w.started.length).toBe(2);
    expect(w.started).toEqual(['s2', 's1']);
  });
});
