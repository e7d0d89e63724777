/**
 * A send whose durability sync fails is answered `internal`, yet its row is committed: a retry
 * finds it and history shows it. Its members must still be told of it once a later sync makes
 * it durable, or their live stream skips its seq for good (an audit made one fdatasync fail with
 * EIO: no socket ever got the message, and clients catching up from their newest seq never
 * asked for it).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '../../protocol';
import { createChatWorld, type ChatWorld } from './helpers/chat-world';
import { call, emitAck } from './helpers/sockets';

describe('a send whose sync to disk failed', () => {
  let world: ChatWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  /** A server of the test's own (its store's sync is replaced), with two contacts. */
  async function contactsInOwnWorld() {
    const current = await createChatWorld();
    world = current;
    const alice = await current.user();
    const bob = await current.user();
    const { conversation } = await current.contacts(alice, bob);
    return { current, alice, bob, conversation };
  }

  it('is announced once a later sync succeeds, once, and a retry answers it without a second announcement', async () => {
    const { current, alice, bob, conversation } = await contactsInOwnWorld();
    const seen: { who: string; message: Message }[] = [];
    alice.socket.on('message:new', (message: Message) => seen.push({ who: 'alice', message }));
    bob.socket.on('message:new', (message: Message) => seen.push({ who: 'bob', message }));

    const { store } = current.server.server;
    const sync = store.syncCommitted.bind(store);
    let failures = 1;
    store.syncCommitted = () => (failures-- > 0 ? Promise.reject(new Error('EIO: simulated')) : sync());

    const lost = await emitAck(alice.socket, 'messages:send', { conversationId: conversation.id, clientId: 'eio-lost-1', text: 'stored, not yet durable' });
    expect(lost).toMatchObject({ ok: false, error: { code: 'internal' } });
    // No one sends anything more: the server syncs again by itself, and tells both of them.
    await expect.poll(() => seen.map((s) => `${s.who}:${s.message.clientId}`).sort(), { timeout: 5000 }).toEqual(['alice:eio-lost-1', 'bob:eio-lost-1']);
    const announced = seen[0]?.message;

    const retry = await emitAck(alice.socket, 'messages:send', { conversationId: conversation.id, clientId: 'eio-lost-1', text: 'stored, not yet durable' });
    expect(retry).toMatchObject({ ok: true, message: { id: announced?.id, seq: announced?.seq } });
    await emitAck(alice.socket, 'messages:send', { conversationId: conversation.id, clientId: 'eio-next-1', text: 'the next one' });
    await expect.poll(() => seen.filter((s) => s.who === 'bob').map((s) => s.message.clientId), { timeout: 5000 }).toEqual(['eio-lost-1', 'eio-next-1']);
    expect(seen.filter((s) => s.who === 'bob').map((s) => s.message.seq)).toEqual([announced?.seq, (announced?.seq ?? 0) + 1]);
  });

  it('is read by no one before its sync has made it durable', async () => {
    const { current, alice, bob, conversation } = await contactsInOwnWorld();
    const { store } = current.server.server;
    const sync = store.syncCommitted.bind(store);
    let releaseSync: () => void = () => undefined;
    let holding = true;
    store.syncCommitted = () => (holding ? new Promise<void>((resolve) => (releaseSync = () => void sync().then(resolve))) : sync());

    const sent = emitAck(alice.socket, 'messages:send', { conversationId: conversation.id, clientId: 'slow-sync-1', text: 'not on disk yet' });
    const bobSees = async () => ({
      history: (await call(bob.socket, 'messages:history', { conversationId: conversation.id })).messages.map((m) => m.clientId),
      sync: (await call(bob.socket, 'messages:sync', { since: { [conversation.id]: 0 } })).messages.map((m) => m.clientId),
      list: (await call(bob.socket, 'conversations:list', {})).conversations.find((c) => c.id === conversation.id)?.lastSeq,
    });
    try {
      // The send is committed (its retry would find it) while its sync is still under way.
      await expect.poll(() => store.messageByClientId(alice.user.id, 'slow-sync-1') !== undefined, { timeout: 5000 }).toBe(true);
      expect(await bobSees()).toEqual({ history: [], sync: [], list: 0 });
    } finally {
      holding = false;
      releaseSync();
    }
    expect(await sent).toMatchObject({ ok: true, message: { seq: 1 } });
    expect(await bobSees()).toEqual({ history: ['slow-sync-1'], sync: ['slow-sync-1'], list: 1 });
  });
});
