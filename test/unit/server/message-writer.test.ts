import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Result } from '../../../protocol';
import { silentLogger } from '../../../server/chat/logger';
import type { ChatDeps } from '../../../server/chat/chat-deps';
import { MemberCache } from '../../../server/chat/member-cache';
import { MessageWriter } from '../../../server/chat/message-writer';
import { ProductShares } from '../../../server/chat/product-shares';
import type { LinkServices } from '../../../server/links/link-services';
import type { Written } from '../../../server/chat/message-writer';
import type { ChatStore } from '../../../server/store/chat-store';
import { openSqliteStore } from '../../../server/store/sqlite-store';

const GROUP = 'conv-group';
const DIRECT = 'conv-direct';

/** A durability sync the test completes or fails by hand; each call remembers what was committed when it started. */
class ControlledSync {
  readonly calls: { lastSeqAtStart: number; resolve(): void; reject(error: Error): void }[] = [];
  /** How many syncs have been completed (or failed) so far. */
  settled = 0;

  /** `committedSeq`: the group's newest seq in the file, whatever reads may show yet. */
  constructor(private readonly committedSeq: () => number) {}

  readonly sync = (): Promise<void> =>
    new Promise((resolve, reject) => {
      this.calls.push({ lastSeqAtStart: this.committedSeq(), resolve, reject });
    });

  complete(index: number): void {
    this.settled++;
    this.call(index).resolve();
  }

  fail(index: number): void {
    this.settled++;
    this.call(index).reject(new Error('EIO: simulated disk failure'));
  }

  call(index: number) {
    const call = this.calls[index];
    if (call === undefined) throw new Error(`no sync #${index}`);
    return call;
  }
}

/** Polls a condition once per event-loop turn, up to a deadline. */
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

describe('MessageWriter: group commit', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /**
   * `throwOn`: storing a send with this clientId throws, as a broken constraint or a full disk
   * would. `rollsBackBatch`: and, as SQLite does on a full disk, the failure ends the batch's
   * transaction as well, not only the send's savepoint.
   */
  async function setUp(throwOn?: string, rollsBackBatch = false) {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'wanglai-writer-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const store = openSqliteStore({ dataDir, sync: 'full' });
    cleanups.push(() => store.close());
    for (const id of ['alice', 'bob', 'carol']) store.createUser({ id, username: id, displayName: id, passwordHash: 'x', createdAt: 1 });
    store.insertConversation({ id: GROUP, kind: 'group', title: 'g', createdAt: 1 });
    store.insertConversation({ id: DIRECT, kind: 'direct', title: '', createdAt: 1, directKey: 'alice carol' });
    for (const [conversationId, userId] of [[GROUP, 'alice'], [GROUP, 'bob'], [DIRECT, 'alice'], [DIRECT, 'carol']] as const) {
      store.insertMember(conversationId, { userId, role: 'member', joinedAt: 1, joinSeq: 1, readSeq: 0 });
    }
    // A connection of its own reads what is committed; the store's reads stop before messages not yet durable.
    const reader = new Database(path.join(dataDir, 'chat.sqlite'), { readonly: true });
    cleanups.push(() => void reader.close());
    const committed = reader.prepare('SELECT coalesce(max(seq), 0) AS seq FROM messages WHERE conversation_id = ?');
    const lastSeq = () => (committed.get(GROUP) as { seq: number }).seq;
    const control = new ControlledSync(lastSeq);
    // The store's own methods, but appending `throwOn` throws after the seq was taken.
    const writerStore: ChatStore = Object.create(store) as ChatStore;
    let batchLost = false;
    writerStore.appendMessage = (message) => {
      const stored = store.appendMessage(message);
      if (message.clientId === throwOn) {
        batchLost = rollsBackBatch;
        throw new Error('SQLITE_FULL: simulated');
      }
      return stored;
    };
    writerStore.inTransaction = () => !batchLost && store.inTransaction();
    writerStore.transactionDeferredSync = (work) => {
      batchLost = false;
      return store.transactionDeferredSync(work);
    };
    const writer = new MessageWriter(writerStore, silentLogger, control.sync, undefined, 20);
    /** Every answer, in the order the writer gave them, with the number of syncs settled by then. */
    const answers: { clientId: string; result: Result<Written>; afterSyncs: number }[] = [];
    const send = (clientId: string, senderId = 'alice', conversationId = GROUP) => {
      const answered = writer.write({ kind: 'text', senderId, conversationId, clientId, text: clientId, createdAt: 2 });
      void answered.then((result) => answers.push({ clientId, result, afterSyncs: control.settled }));
      return answered;
    };
    return { dataDir, store, control, writer, answers, send, lastSeq };
  }

  it('answers a products:share that reuses the clientId of a committed send only once that send is durable', async () => {
    const { store, control, writer, send } = await setUp();
    const deps: ChatDeps = {
      store,
      members: new MemberCache(store),
      log: silentLogger,
      now: () => 3,
      presence: { isOnline: () => false },
      fanout: { toUsers: () => undefined, toUsersExcept: () => undefined },
    };
    // The retry never reaches the link services: the stored message answers it.
    const links = {} as LinkServices;
    const shares = new ProductShares(deps, writer, links);
    void send('shared-client-id');
    await until(() => control.calls.length === 1, 'the sync of the send');
    let answered = false;
    const retry = shares.share('alice', { conversationId: GROUP, clientId: 'shared-client-id', url: 'https://shop.example/p' }).then((result) => {
      answered = true;
      return result;
    });
    await turns(5);
    expect(answered).toBe(false);
    control.complete(0);
    expect(await retry).toMatchObject({ ok: true, value: { message: { clientId: 'shared-client-id', kind: 'text' } } });
  });

  it('answers each batch only after a sync that started after its commit, in commit order, one sync at a time', async () => {
    const { control, answers, send, lastSeq } = await setUp();
    send('t1-a');
    send('t1-b');
    await until(() => control.calls.length === 1, 'the first sync');
    expect(control.call(0).lastSeqAtStart).toBe(2);

    // Sends of later turns wait, uncommitted, while the first sync is in flight: they could not
    // be answered before the next sync anyway.
    send('t2-a');
    send('t2-b');
    send('t2-c');
    await turns(3);
    send('t3-a');
    await turns(3);
    expect(lastSeq()).toBe(2);
    expect(control.calls.length).toBe(1);
    expect(answers).toEqual([]);

    control.complete(0);
    await until(() => answers.length === 2, 'the first batch to be answered');
    await until(() => control.calls.length === 2, 'the second sync');
    // As the first sync completes, the waiting sends commit together and the next sync covers them.
    expect(control.call(1).lastSeqAtStart).toBe(6);
    await turns(3);
    expect(answers.length).toBe(2);

    control.complete(1);
    await until(() => answers.length === 6, 'every answer');
    expect(answers.map((a) => a.clientId)).toEqual(['t1-a', 't1-b', 't2-a', 't2-b', 't2-c', 't3-a']);
    const seqs = answers.map((a) => (a.result.ok ? a.result.value.message.seq : -1));
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6]);
    for (const { result, afterSyncs } of answers) {
      if (!result.ok) throw new Error(`unexpected ${result.error.code}`);
      // Answered after sync #afterSyncs completed, which had started with this message committed.
      expect(control.call(afterSyncs - 1).lastSeqAtStart).toBeGreaterThanOrEqual(result.value.message.seq);
    }
    expect(control.calls.length).toBe(2);
  });

  it('commits the sends of one turn in one transaction when no sync is in flight', async () => {
    const { control, send, lastSeq } = await setUp();
    send('idle-1');
    await until(() => control.calls.length === 1, 'the first sync');
    control.complete(0);
    await turns(3);
    send('idle-2');
    send('idle-3');
    await until(() => control.calls.length === 2, 'a sync for the next turn');
    expect(control.call(1).lastSeqAtStart).toBe(3);
    expect(lastSeq()).toBe(3);
    control.complete(1);
  });

  it('answers a batch `internal` when its sync fails, keeps working, and acks a retry only after a good sync', async () => {
    const { control, answers, send } = await setUp();
    const lost = send('fails-1');
    await until(() => control.calls.length === 1, 'the first sync');
    control.fail(0);
    const failed = await lost;
    expect(failed.ok ? 'ok' : failed.error.code).toBe('internal');

    // The committed row is found by the retry, which waits for a sync of its own.
    const retry = send('fails-1');
    const fresh = send('after-failure');
    await until(() => control.calls.length === 2, 'the next sync');
    await turns(3);
    expect(answers.length).toBe(1);
    control.complete(1);
    const [retried, next] = await Promise.all([retry, fresh]);
    if (!retried.ok || !next.ok) throw new Error('expected both to be stored');
    expect(retried.value.created).toBe(false);
    expect(retried.value.message.seq).toBe(1);
    expect(next.value).toMatchObject({ created: true, message: { seq: 2 } });
  });

  it('hands the messages of a failed sync over after the next good one, before its answers, and only those it created', async () => {
    const { control, writer, answers, send } = await setUp();
    const late: { clientId: string; seq: number; answersBefore: number }[] = [];
    writer.onLateDurable(({ message }) => late.push({ clientId: message.clientId, seq: message.seq, answersBefore: answers.length }));
    const lost = [send('late-1'), send('late-2'), send('refused', 'carol')];
    await until(() => control.calls.length === 1, 'the first sync');
    control.fail(0);
    await Promise.all(lost);
    expect(late).toEqual([]);
    const next = send('next');
    await until(() => control.calls.length === 2, 'the next sync');
    control.complete(1);
    await next;
    // Announced in seq order, before the answer of the sync that made them durable.
    expect(late).toEqual([
      { clientId: 'late-1', seq: 1, answersBefore: 3 },
      { clientId: 'late-2', seq: 2, answersBefore: 3 },
    ]);
    expect(answers.at(-1)).toMatchObject({ clientId: 'next', result: { ok: true, value: { message: { seq: 3 } } } });
  });

  it('syncs again by itself after a failed sync, without new sends, until the messages it held are announced', async () => {
    const { control, writer, send } = await setUp();
    const late: string[] = [];
    writer.onLateDurable(({ message }) => late.push(message.clientId));
    const lost = send('alone');
    await until(() => control.calls.length === 1, 'the first sync');
    control.fail(0);
    await lost;
    // No other send comes: the writer tries again by itself (after lateRetryMs), and again after a second failure.
    await until(() => control.calls.length === 2, 'a sync of its own');
    control.fail(1);
    await until(() => control.calls.length === 3, 'another sync of its own');
    expect(late).toEqual([]);
    control.complete(2);
    await until(() => late.length === 1, 'the late announcement');
    expect(late).toEqual(['alone']);
  });

  it('keeps a committed message out of every read until its sync succeeds, a failed one until a later one', async () => {
    const { control, send, store, lastSeq } = await setUp();
    const reads = () => ({
      lastSeq: store.conversation(GROUP)?.lastSeq,
      listed: store.membershipsOf('bob').find((m) => m.conversation.id === GROUP)?.conversation.lastSeq,
      last: store.lastMessage(GROUP)?.clientId,
      history: store.history(GROUP, 1, Number.MAX_SAFE_INTEGER, 10).messages.map((m) => m.clientId),
      after: store.messagesAfter(GROUP, 0, 10).map((m) => m.clientId),
    });
    const first = send('held-1');
    await until(() => control.calls.length === 1, 'the first sync');
    expect(lastSeq()).toBe(1);
    expect(reads()).toEqual({ lastSeq: 0, listed: 0, last: undefined, history: [], after: [] });
    control.complete(0);
    await first;
    expect(reads()).toEqual({ lastSeq: 1, listed: 1, last: 'held-1', history: ['held-1'], after: ['held-1'] });

    const failing = send('held-2');
    await until(() => control.calls.length === 2, 'the second sync');
    control.fail(1);
    await failing;
    expect(reads()).toMatchObject({ lastSeq: 1, history: ['held-1'] });
    const third = send('held-3');
    await until(() => control.calls.length === 3, 'the third sync');
    expect(reads()).toMatchObject({ lastSeq: 1, last: 'held-1', after: ['held-1'] });
    control.complete(2);
    await third;
    expect(reads()).toEqual({ lastSeq: 3, listed: 3, last: 'held-3', history: ['held-1', 'held-2', 'held-3'], after: ['held-1', 'held-2', 'held-3'] });
  });

  it('keeps refusals and idempotent retries in one batch without undoing the others', async () => {
    const { control, send } = await setUp();
    const results = [send('r-1'), send('r-1'), send('r-2', 'carol'), send('r-3', 'alice', DIRECT), send('r-4')];
    await until(() => control.calls.length === 1, 'the sync');
    control.complete(0);
    const [first, again, notMember, notContact, last] = await Promise.all(results);
    expect(first).toMatchObject({ ok: true, value: { created: true, message: { seq: 1 } } });
    expect(again).toMatchObject({ ok: true, value: { created: false, message: { seq: 1 } } });
    expect(notMember).toMatchObject({ ok: false, error: { code: 'not_member' } });
    expect(notContact).toMatchObject({ ok: false, error: { code: 'not_contact' } });
    expect(last).toMatchObject({ ok: true, value: { created: true, message: { seq: 2 } } });
  });

  it('answers a send whose storing throws `internal` and still stores the others of its batch, with no gap in seq', async () => {
    const { control, send, lastSeq, store } = await setUp('boom');
    const results = [send('b-1'), send('boom'), send('b-2')];
    await until(() => control.calls.length === 1, 'the sync');
    control.complete(0);
    const [first, failed, last] = await Promise.all(results);
    expect(first).toMatchObject({ ok: true, value: { created: true, message: { seq: 1 } } });
    expect(failed).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(last).toMatchObject({ ok: true, value: { created: true, message: { seq: 2 } } });
    expect(lastSeq()).toBe(2);
    expect(store.history(GROUP, 1, Number.MAX_SAFE_INTEGER, 10).messages.map((m) => m.clientId)).toEqual(['b-1', 'b-2']);
    expect(control.calls).toHaveLength(1);
  });

  it("fails the whole batch when a send's failure ended the batch's transaction, and stores none of it", async () => {
    const { control, send, lastSeq } = await setUp('full', true);
    const results = [send('f-1'), send('full'), send('f-2')];
    await until(() => control.calls.length === 1, 'the sync');
    control.complete(0);
    const answers = await Promise.all(results);
    expect(answers.map((a) => (a.ok ? 'ok' : a.error.code))).toEqual(['internal', 'internal', 'internal']);
    expect(lastSeq()).toBe(0);
    // The clients retry, and the retries are stored as new messages, so they are delivered.
    const retried = [send('f-1'), send('f-2')];
    await until(() => control.calls.length === 2, 'the second sync');
    control.complete(1);
    expect((await Promise.all(retried)).map((a) => a.ok && a.value.created)).toEqual([true, true]);
  });

  it('answers a lone send whose storing throws `internal` and stores nothing', async () => {
    const { control, send, lastSeq } = await setUp('boom');
    const failed = send('boom');
    // Answers keep commit order, so even a failure is answered once the sync ahead of it is done.
    await until(() => control.calls.length === 1, 'the sync');
    control.complete(0);
    expect(await failed).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(lastSeq()).toBe(0);
    const next = send('after');
    await until(() => control.calls.length === 2, 'the second sync');
    control.complete(1);
    expect(await next).toMatchObject({ ok: true, value: { message: { seq: 1 } } });
  });

  it('close() commits what is queued, waits for the sync in flight and the next, then refuses', async () => {
    const { control, writer, answers, send, lastSeq } = await setUp();
    const first = send('c-1');
    await until(() => control.calls.length === 1, 'the first sync');
    const queued = send('c-2');
    let closed = false;
    const closing = writer.close().then(() => {
      closed = true;
    });
    expect(lastSeq()).toBe(2);
    await turns(3);
    expect(closed).toBe(false);

    control.complete(0);
    await until(() => control.calls.length === 2, 'the final sync');
    await turns(3);
    expect(closed).toBe(false);
    expect(answers.map((a) => a.clientId)).toEqual(['c-1']);

    control.complete(1);
    await closing;
    expect(await first).toMatchObject({ ok: true });
    expect(await queued).toMatchObject({ ok: true, value: { message: { seq: 2 } } });
    expect(await send('c-3')).toMatchObject({ ok: false, error: { code: 'internal' } });
  });
});

describe('SqliteStore: deferred-sync commits', () => {
  let dataDir: string | undefined;
  afterEach(async () => {
    if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
  });

  it('syncs through the same -wal inode across checkpoints and WAL restarts, and keeps what it acknowledged', async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'wanglai-walsync-'));
    const store = openSqliteStore({ dataDir, sync: 'full' });
    store.createUser({ id: 'alice', username: 'alice', displayName: 'alice', passwordHash: 'x', createdAt: 1 });
    store.insertConversation({ id: GROUP, kind: 'group', title: 'g', createdAt: 1 });
    store.insertMember(GROUP, { userId: 'alice', role: 'member', joinedAt: 1, joinSeq: 1, readSeq: 0 });
    const writer = new MessageWriter(store, silentLogger);
    const walPath = path.join(dataDir, 'chat.sqlite-wal');
    const send = (clientId: string) => writer.write({ kind: 'text', senderId: 'alice', conversationId: GROUP, clientId, text: clientId, createdAt: 2 });

    expect(await send('w-1')).toMatchObject({ ok: true });
    const inode = statSync(walPath).ino;
    // Another connection empties the WAL; the next commit restarts it from its first frame.
    const other = new Database(path.join(dataDir, 'chat.sqlite'));
    other.pragma('wal_checkpoint(TRUNCATE)');
    other.close();
    expect(statSync(walPath).size).toBe(0);
    expect(await send('w-2')).toMatchObject({ ok: true });
    expect(statSync(walPath).ino).toBe(inode);
    expect(statSync(walPath).size).toBeGreaterThan(0);
    await writer.close();
    await store.close();

    const reopened = openSqliteStore({ dataDir, sync: 'full' });
    expect(reopened.history(GROUP, 1, Number.MAX_SAFE_INTEGER, 10).messages.map((m) => m.clientId)).toEqual(['w-1', 'w-2']);
    await reopened.close();
  });
});
