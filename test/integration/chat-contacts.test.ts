import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation } from '../../protocol';
import { createChatWorld } from './helpers/chat-world';
import type { ChatWorld } from './helpers/chat-world';
import { uniqueUsername } from './helpers/http';
import { call, recordEvents, emitAck, waitForEvent } from './helpers/sockets';

describe('users, contacts, presence, direct conversations', () => {
  let world: ChatWorld;
  beforeAll(async () => {
    world = await createChatWorld();
  });
  afterAll(async () => {
    await world.close();
  });

  it('searches by username prefix and display-name substring, never the caller, at most 20', async () => {
    const tag = uniqueUsername('srch').slice(0, 12);
    const me = await world.user({ username: `${tag}me` });
    const found = await world.user({ username: `${tag}zz`, displayName: '小红 Rose' });
    for (let i = 0; i < 22; i++) await world.user({ username: `${tag}n${i}` });
    const byPrefix = await call(me.socket, 'users:search', { query: tag.toUpperCase() });
    expect(byPrefix.users).toHaveLength(20);
    expect(byPrefix.users.some((u) => u.id === me.user.id)).toBe(false);
    const byName = await call(me.socket, 'users:search', { query: '小红' });
    expect(byName.users.map((u) => u.id)).toContain(found.user.id);
    const none = await call(me.socket, 'users:search', { query: '%_%' });
    expect(none.users.every((u) => u.username.includes('%') || u.displayName.includes('%_%'))).toBe(true);
    // No name holds a control character; SQLite's LIKE would read `tag\0zzz` only up to the NUL.
    for (const query of ['\u0000', `${tag}\u0000zzz`, `${tag}\u0007`]) {
      expect((await call(me.socket, 'users:search', { query })).users, JSON.stringify(query)).toEqual([]);
    }
    expect((await emitAck(me.socket, 'users:search', { query: '' })).ok).toBe(false);
    expect((await emitAck(me.socket, 'users:search', { query: 'x'.repeat(65) })).ok).toBe(false);
  });

  it('users:get answers the users with the given ids that exist (added: names of former members)', async () => {
    const me = await world.user();
    const other = await world.user({ displayName: 'Former Member' });
    const { users } = await call(me.socket, 'users:get', { userIds: [other.user.id, 'no-such-user', other.user.id, me.user.id] });
    expect(users.map((u) => u.id).sort()).toEqual([me.user.id, other.user.id].sort());
    expect(users.find((u) => u.id === other.user.id)).toEqual(other.user);
    for (const bad of [{ userIds: [] }, { userIds: Array.from({ length: 101 }, (_, i) => `u${i}`) }, { userIds: [5] }, {}]) {
      expect((await emitAck(me.socket, 'users:get', bad)).ok).toBe(false);
    }
  });

  it('matches display names in any case beyond ASCII: Émile as émile or ÉMILE, Çağlar as ÇAĞ', async () => {
    const me = await world.user();
    const emile = await world.user({ displayName: 'Émile Zola' });
    const caglar = await world.user({ displayName: 'Çağlar Öz' });
    for (const [query, id] of [
      ['Émile', emile.user.id],
      ['émile', emile.user.id],
      ['ÉMILE ZO', emile.user.id],
      ['ÇAĞ', caglar.user.id],
      ['ağlar ö', caglar.user.id],
    ] as const) {
      const { users } = await call(me.socket, 'users:search', { query });
      expect(users.map((u) => u.id), query).toContain(id);
    }
    expect((await call(me.socket, 'users:search', { query: 'émilie' })).users.some((u) => u.id === emile.user.id)).toBe(false);
  });

  it('folds the final sigma and the dotted İ: ΚΩΣ finds ΚΩΣΤΑΣ, ilker finds İlker', async () => {
    const me = await world.user();
    const kostas = await world.user({ displayName: 'ΚΩΣΤΑΣ Π' });
    const ilker = await world.user({ displayName: 'İlker Yılmaz' });
    for (const [query, id] of [
      ['ΚΩΣ', kostas.user.id],
      ['κωσ', kostas.user.id],
      ['κωστας', kostas.user.id],
      ['ΚΩΣΤΑΣ', kostas.user.id],
      ['ilker', ilker.user.id],
      ['İLKER', ilker.user.id],
      ['İlker', ilker.user.id],
    ] as const) {
      const { users } = await call(me.socket, 'users:search', { query });
      expect(users.map((u) => u.id), query).toContain(id);
    }
  });

  it('requests, notifies the addressee, accepts, and both get the contact and the direct conversation', async () => {
    const a = await world.user({ displayName: 'Ann' });
    const b = await world.user({ displayName: 'Bo' });
    const incoming = waitForEvent(b.socket, 'contacts:request');
    const { request } = await call(a.socket, 'contacts:request', { userId: b.user.id, note: 'hi, from the market' });
    expect(request).toMatchObject({ status: 'pending', note: 'hi, from the market', from: { id: a.user.id }, to: { id: b.user.id } });
    expect((await incoming).id).toBe(request.id);

    const again = await call(a.socket, 'contacts:request', { userId: b.user.id });
    expect(again.request.id).toBe(request.id);

    const listed = await call(b.socket, 'contacts:list', {});
    expect(listed.incoming.map((r) => r.id)).toEqual([request.id]);
    expect((await call(a.socket, 'contacts:list', {})).outgoing.map((r) => r.id)).toEqual([request.id]);

    expect((await emitAck(a.socket, 'contacts:respond', { requestId: request.id, accept: true })).ok).toBe(false);
    const forbidden = await emitAck(a.socket, 'contacts:respond', { requestId: request.id, accept: true });
    expect(!forbidden.ok && forbidden.error.code).toBe('forbidden');

    const aUpdated = waitForEvent(a.socket, 'contacts:updated', { filter: (u) => u.contact !== undefined });
    const aConversation = waitForEvent(a.socket, 'conversation:updated');
    const answer = await call(b.socket, 'contacts:respond', { requestId: request.id, accept: true });
    expect(answer.request.status).toBe('accepted');
    expect(answer.contact).toMatchObject({ user: { id: a.user.id }, online: true });
    expect(answer.conversation).toMatchObject({ kind: 'direct', title: 'Ann' });
    expect((await aUpdated).contact?.user.id).toBe(b.user.id);
    const seenByA = await aConversation;
    expect(seenByA.id).toBe(answer.conversation?.id);
    expect(seenByA.title).toBe('Bo');

    const contacts = await call(a.socket, 'contacts:list', {});
    expect(contacts.contacts.map((c) => c.user.id)).toEqual([b.user.id]);
    expect(contacts.outgoing).toEqual([]);
    const duplicate = await emitAck(a.socket, 'contacts:request', { userId: b.user.id });
    expect(!duplicate.ok && duplicate.error.code).toBe('invalid_input');
  });

  it('accepts both sides when requests cross', async () => {
    const a = await world.user();
    const b = await world.user();
    await call(a.socket, 'contacts:request', { userId: b.user.id });
    const crossed = await call(b.socket, 'contacts:request', { userId: a.user.id });
    expect(crossed.request.status).toBe('accepted');
    expect((await call(a.socket, 'contacts:list', {})).contacts.map((c) => c.user.id)).toEqual([b.user.id]);
    expect((await call(b.socket, 'contacts:list', {})).incoming).toEqual([]);
  });

  it('refuses a request to oneself, to nobody, and a note over 140', async () => {
    const a = await world.user();
    const self = await emitAck(a.socket, 'contacts:request', { userId: a.user.id });
    expect(!self.ok && self.error.code).toBe('invalid_input');
    const nobody = await emitAck(a.socket, 'contacts:request', { userId: 'no-such-user' });
    expect(!nobody.ok && nobody.error.code).toBe('not_found');
    const b = await world.user();
    const longNote = await emitAck(a.socket, 'contacts:request', { userId: b.user.id, note: 'x'.repeat(141) });
    expect(!longNote.ok && longNote.error.code).toBe('invalid_input');
    // Read beside the asker's name: no control characters, as in a name.
    for (const note of ['hi\u0000there', 'pay \u202egnp.exe', 'two\nlines']) {
      const refused = await emitAck(a.socket, 'contacts:request', { userId: b.user.id, note });
      expect(!refused.ok && refused.error.code, JSON.stringify(note)).toBe('invalid_input');
    }
    expect((await call(b.socket, 'contacts:list', {})).incoming).toEqual([]);
    const unknownRequest = await emitAck(a.socket, 'contacts:respond', { requestId: 'nope', accept: true });
    expect(!unknownRequest.ok && unknownRequest.error.code).toBe('not_found');
  });

  it('declines: no contact, the requester is told', async () => {
    const a = await world.user();
    const b = await world.user();
    const { request } = await call(a.socket, 'contacts:request', { userId: b.user.id });
    const told = waitForEvent(a.socket, 'contacts:updated', { filter: (u) => u.request?.status === 'declined' });
    const answer = await call(b.socket, 'contacts:respond', { requestId: request.id, accept: false });
    expect(answer.request.status).toBe('declined');
    expect(answer.contact).toBeUndefined();
    await told;
    expect((await call(a.socket, 'contacts:list', {})).contacts).toEqual([]);
  });

  it('takes back a request sent by mistake: contacts:remove ends it, both sides are told, it can no longer be accepted', async () => {
    const a = await world.user();
    const b = await world.user();
    const aSecond = await world.device(a);
    const { request } = await call(a.socket, 'contacts:request', { userId: b.user.id, note: 'oops, wrong person' });
    const ended = (u: { request?: { id: string; status: string } }): boolean => u.request?.id === request.id && u.request.status === 'declined';
    const told = [a.socket, aSecond, b.socket].map((socket) => waitForEvent(socket, 'contacts:updated', { filter: ended }));
    expect(await call(a.socket, 'contacts:remove', { userId: b.user.id })).toEqual({ ok: true });
    await Promise.all(told);
    expect((await call(a.socket, 'contacts:list', {})).outgoing).toEqual([]);
    expect((await call(b.socket, 'contacts:list', {})).incoming).toEqual([]);
    const late = await emitAck(b.socket, 'contacts:respond', { requestId: request.id, accept: true });
    expect(!late.ok && late.error.code).toBe('invalid_input');
    expect((await call(b.socket, 'contacts:list', {})).contacts).toEqual([]);
    // A new request afterwards is a new one, pending again.
    const again = await call(a.socket, 'contacts:request', { userId: b.user.id });
    expect(again.request.id).not.toBe(request.id);
    expect(again.request.status).toBe('pending');
    // The addressee's remove turns it down the same way.
    const declined = waitForEvent(a.socket, 'contacts:updated', { filter: (u) => u.request?.id === again.request.id && u.request.status === 'declined' });
    expect(await call(b.socket, 'contacts:remove', { userId: a.user.id })).toEqual({ ok: true });
    await declined;
    expect((await call(a.socket, 'contacts:list', {})).outgoing).toEqual([]);
    // With nothing left between them, a remove is quiet.
    const quiet = recordEvents(b.socket, 'contacts:updated');
    expect(await call(a.socket, 'contacts:remove', { userId: b.user.id })).toEqual({ ok: true });
    await call(b.socket, 'contacts:list', {});
    expect(quiet).toEqual([]);
  });

  it('removes on both sides; the direct conversation then refuses sends and opening', async () => {
    const a = await world.user();
    const b = await world.user();
    const { conversation } = await world.contacts(a, b);
    const told = waitForEvent(b.socket, 'contacts:updated', { filter: (u) => u.removedUserId === a.user.id });
    expect(await call(a.socket, 'contacts:remove', { userId: b.user.id })).toEqual({ ok: true });
    await told;
    expect((await call(b.socket, 'contacts:list', {})).contacts).toEqual([]);
    const send = await emitAck(b.socket, 'messages:send', { conversationId: conversation.id, clientId: 'client-0001', text: 'still there?' });
    expect(!send.ok && send.error.code).toBe('not_contact');
    const open = await emitAck(a.socket, 'conversations:openDirect', { userId: b.user.id });
    expect(!open.ok && open.error.code).toBe('not_contact');
    // Typing no longer reaches the former contact either.
    const typingSeen = recordEvents(a.socket, 'typing');
    const typing = await emitAck(b.socket, 'typing', { conversationId: conversation.id });
    expect(!typing.ok && typing.error.code).toBe('not_contact');
    await call(a.socket, 'contacts:list', {});
    expect(typingSeen).toEqual([]);
  });

  it('opens the same direct conversation for the same pair, titled with the other member', async () => {
    const a = await world.user({ displayName: 'Alpha' });
    const b = await world.user({ displayName: 'Beta' });
    const { conversation } = await world.contacts(a, b);
    const fromA = await call(a.socket, 'conversations:openDirect', { userId: b.user.id });
    const fromB = await call(b.socket, 'conversations:openDirect', { userId: a.user.id });
    expect(fromA.conversation.id).toBe(conversation.id);
    expect(fromB.conversation.id).toBe(conversation.id);
    expect(fromA.conversation.title).toBe('Beta');
    expect(fromB.conversation.title).toBe('Alpha');
    const stranger = await world.user();
    const refused = await emitAck(a.socket, 'conversations:openDirect', { userId: stranger.user.id });
    expect(!refused.ok && refused.error.code).toBe('not_contact');
    // Oneself and an id of nobody are no contacts either: the refusal the contract names.
    for (const userId of [a.user.id, 'no-such-user']) {
      const refusedToo = await emitAck(a.socket, 'conversations:openDirect', { userId });
      expect(!refusedToo.ok && refusedToo.error.code, userId).toBe('not_contact');
    }
  });

  it('lists conversations with the most recent activity first', async () => {
    const a = await world.user();
    const b = await world.user();
    const c = await world.user();
    const ab = (await world.contacts(a, b)).conversation;
    const ac = (await world.contacts(a, c)).conversation;
    await call(a.socket, 'messages:send', { conversationId: ab.id, clientId: 'order-0001', text: 'first' });
    await call(a.socket, 'messages:send', { conversationId: ac.id, clientId: 'order-0002', text: 'second' });
    let listed = await call(a.socket, 'conversations:list', {});
    expect(listed.conversations.map((x) => x.id)).toEqual([ac.id, ab.id]);
    await call(b.socket, 'messages:send', { conversationId: ab.id, clientId: 'order-0003', text: 'third' });
    listed = await call(a.socket, 'conversations:list', {});
    expect(listed.conversations.map((x) => x.id)).toEqual([ab.id, ac.id]);
    expect(listed.conversations[0]).toMatchObject({ lastSeq: 2, readSeq: 1, unread: 1, lastMessage: { text: 'third' } });
  });

  it('lists conversations in the order of their last messages even when those share a millisecond', async () => {
    const frozen = await createChatWorld({ now: () => 1_767_225_600_000 });
    try {
      const me = await frozen.user();
      const others = await Promise.all([frozen.user(), frozen.user(), frozen.user(), frozen.user()]);
      const conversations: Conversation[] = [];
      for (const other of others) conversations.push((await frozen.contacts(me, other)).conversation);
      const listed = async () => (await call(me.socket, 'conversations:list', {})).conversations.map((c) => c.id);
      // Sent one after another (each acknowledged), all at the same instant by the clock.
      for (const order of [[0, 1, 2, 3], [3, 1, 0, 2], [2, 3, 1, 0]]) {
        for (const i of order) await call(me.socket, 'messages:send', { conversationId: conversations[i]?.id ?? '', clientId: `tie-${order.join('')}-${i}`, text: `to ${i}` });
        expect(await listed()).toEqual([...order].reverse().map((i) => conversations[i]?.id));
      }
    } finally {
      await frozen.close();
    }
  });

  it('tells contacts when a user comes online (first device) and goes offline (last device)', async () => {
    const a = await world.user();
    const b = await world.user();
    await world.contacts(a, b);
    const second = await world.device(b);
    const offline = waitForEvent(a.socket, 'presence', { filter: (p) => p.userId === b.user.id && !p.online });
    b.socket.close();
    second.close();
    await offline;
    expect((await call(a.socket, 'contacts:list', {})).contacts[0]?.online).toBe(false);
    const online = waitForEvent(a.socket, 'presence', { filter: (p) => p.userId === b.user.id && p.online });
    await world.device(b);
    await online;
    expect((await call(a.socket, 'contacts:list', {})).contacts[0]?.online).toBe(true);
  });
});
