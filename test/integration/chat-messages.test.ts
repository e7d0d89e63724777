import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { err, ok } from '../../protocol';
import type { LinkPreview } from '../../protocol';
import type { LinkServices } from '../../server/links/link-services';
import { createChatWorld } from './helpers/chat-world';
import type { ChatWorld } from './helpers/chat-world';
import { call, emitAck, recordEvents, waitForEvent } from './helpers/sockets';

describe('messages', () => {
  let world: ChatWorld;
  beforeAll(async () => {
    world = await createChatWorld({ limits: { messagesPerUser: { burst: 10_000, perSecond: 10_000 }, eventsPerSocket: { burst: 10_000, perSecond: 10_000 } } });
  });
  afterAll(async () => {
    await world.close();
  });

  it('sends to every device of every member, stores the text exactly as sent, advances the sender read mark', async () => {
    const a = await world.user();
    const b = await world.user();
    const { conversation } = await world.contacts(a, b);
    const bSecond = await world.device(b);
    const aSecond = await world.device(a);
    const arrivals = [b.socket, bSecond, aSecond].map((s) => waitForEvent(s, 'message:new'));
    const text = '  你好 👋\n第二行  ';
    const { message } = await call(a.socket, 'messages:send', { conversationId: conversation.id, clientId: 'client-000001', text });
    expect(message).toMatchObject({ conversationId: conversation.id, seq: 1, senderId: a.user.id, clientId: 'client-000001', kind: 'text', text });
    for (const arrival of await Promise.all(arrivals)) expect(arrival).toEqual(message);
    const aView = (await call(a.socket, 'conversations:list', {})).conversations.find((c) => c.id === conversation.id);
    expect(aView).toMatchObject({ lastSeq: 1, readSeq: 1, unread: 0 });
    const bView = (await call(b.socket, 'conversations:list', {})).conversations.find((c) => c.id === conversation.id);
    expect(bView).toMatchObject({ lastSeq: 1, readSeq: 0, unread: 1, lastMessage: { id: message.id } });
  });

  it('shows a lone surrogate (which UTF-8 cannot store) as U+FFFD alike in the ack, the live event and history', async () => {
    const a = await world.user();
    const b = await world.user();
    const { conversation } = await world.contacts(a, b);
    const arrival = waitForEvent(b.socket, 'message:new');
    const { message } = await call(a.socket, 'messages:send', { conversationId: conversation.id, clientId: 'surrogate-01', text: 'x\uD800y\uDC00z 😀' });
    expect(message.text).toBe('x\uFFFDy\uFFFDz 😀');
    expect((await arrival).text).toBe(message.text);
    const history = await call(b.socket, 'messages:history', { conversationId: conversation.id });
    expect(history.messages.map((m) => m.text)).toEqual([message.text]);
  });

  it('a retry with the same clientId returns the same message and stores nothing more, even in the same batch', async () => {
    const a = await world.user();
    const b = await world.user();
    const { conversation } = await world.contacts(a, b);
    const payload = { conversationId: conversation.id, clientId: 'retry-000001', text: 'once' };
    const deliveries = recordEvents(b.socket, 'message:new');
    const [first, second] = await Promise.all([call(a.socket, 'messages:send', payload), call(a.socket, 'messages:send', payload)]);
    const third = await call(a.socket, 'messages:send', { ...payload, text: 'changed text' });
    expect(second.message).toEqual(first.message);
    expect(third.message).toEqual(first.message);
    const history = await call(b.socket, 'messages:history', { conversationId: conversation.id });
    expect(history.messages).toHaveLength(1);
    await call(b.socket, 'contacts:list', {});
    expect(deliveries).toHaveLength(1);
  });

  it('refuses a clientId already used in another conversation with invalid_input, rather than answering that message', async () => {
    const a = await world.user();
    const b = await world.user();
    const c = await world.user();
    const { conversation: withB } = await world.contacts(a, b);
    const { conversation: withC } = await world.contacts(a, c);
    const { conversation: bAndC } = await world.contacts(b, c);
    await call(a.socket, 'messages:send', { conversationId: withB.id, clientId: 'per-conversation-1', text: 'to b' });
    for (const conversationId of [withC.id, bAndC.id]) {
      const reused = await emitAck(a.socket, 'messages:send', { conversationId, clientId: 'per-conversation-1', text: 'to someone else' });
      expect(!reused.ok && reused.error.code).toBe('invalid_input');
    }
    expect((await call(c.socket, 'messages:history', { conversationId: withC.id })).messages).toEqual([]);
  });

  it('validates text and clientId and refuses non-members', async () => {
    const a = await world.user();
    const b = await world.user();
    const outsider = await world.user();
    const { conversation } = await world.contacts(a, b);
    const send = (text: unknown, clientId: unknown = 'client-valid-1') => emitAck(a.socket, 'messages:send', { conversationId: conversation.id, clientId, text });
    for (const result of await Promise.all([send('   '), send(''), send('x'.repeat(4001)), send(5), send('ok', 'short'), send('ok', 'x'.repeat(65))])) {
      expect(!result.ok && result.error.code).toBe('invalid_input');
    }
    expect((await send('字'.repeat(4000), 'client-max-len')).ok).toBe(true);
    expect((await send(`  ${'a'.repeat(4000)}  `, 'client-trimmed')).ok).toBe(true);
    // Only the trimmed length counts, however much whitespace pads it (the frame limit bounds it).
    const padded = await send(`${' '.repeat(20_000)}x${'\n'.repeat(20_000)}`, 'client-padded');
    expect(padded.ok && padded.message.text.trim()).toBe('x');
    const foreign = await emitAck(outsider.socket, 'messages:send', { conversationId: conversation.id, clientId: 'outsider-1', text: 'hi' });
    expect(!foreign.ok && foreign.error.code).toBe('not_member');
    const unknown = await emitAck(a.socket, 'messages:send', { conversationId: 'nope', clientId: 'unknown-conv', text: 'hi' });
    expect(!unknown.ok && unknown.error.code).toBe('not_member');
    const history = await emitAck(outsider.socket, 'messages:history', { conversationId: conversation.id });
    expect(!history.ok && history.error.code).toBe('not_member');
  });

  it('pages history backwards with no gaps and no duplicates', async () => {
    const a = await world.user();
    const b = await world.user();
    const { conversation } = await world.contacts(a, b);
    const sends = Array.from({ length: 137 }, (_, i) => call(i % 2 === 0 ? a.socket : b.socket, 'messages:send', { conversationId: conversation.id, clientId: `page-${String(i).padStart(6, '0')}`, text: `m${i}` }));
    await Promise.all(sends);
    const seqs: number[] = [];
    let beforeSeq: number | undefined;
    let pages = 0;
    for (;;) {
      const page = await call(a.socket, 'messages:history', { conversationId: conversation.id, limit: 20, ...(beforeSeq === undefined ? {} : { beforeSeq }) });
      pages++;
      const pageSeqs = page.messages.map((m) => m.seq);
      expect(pageSeqs).toEqual([...pageSeqs].sort((x, y) => x - y));
      seqs.unshift(...pageSeqs);
      if (!page.hasMore) break;
      beforeSeq = pageSeqs[0];
    }
    expect(pages).toBe(7);
    expect(seqs).toEqual(Array.from({ length: 137 }, (_, i) => i + 1));
    const defaultPage = await call(a.socket, 'messages:history', { conversationId: conversation.id });
    expect(defaultPage.messages).toHaveLength(50);
    for (const limit of [0, 101, 1.5, -1]) {
      const bad = await emitAck(a.socket, 'messages:history', { conversationId: conversation.id, limit });
      expect(!bad.ok && bad.error.code).toBe('invalid_input');
    }
  });

  it('catches up after a disconnect with messages:sync', async () => {
    const a = await world.user();
    const b = await world.user();
    const c = await world.user();
    const { conversation: ab } = await world.contacts(a, b);
    await call(a.socket, 'messages:send', { conversationId: ab.id, clientId: 'sync-000000', text: 'seen' });
    b.socket.close();
    for (let i = 1; i <= 3; i++) await call(a.socket, 'messages:send', { conversationId: ab.id, clientId: `sync-00000${i}`, text: `missed ${i}` });
    const group = await world.group(a, [c]);
    await call(a.socket, 'groups:addMembers', { conversationId: group.id, userIds: [b.user.id] });
    const back = await world.device(b);
    const result = await call(back, 'messages:sync', { since: { [ab.id]: 1 } });
    expect(result.messages.filter((m) => m.conversationId === ab.id).map((m) => m.text)).toEqual(['missed 1', 'missed 2', 'missed 3']);
    expect(result.conversations.map((x) => x.id).sort()).toEqual([ab.id, group.id].sort());
    expect(result.messages.filter((m) => m.conversationId === group.id).map((m) => m.system?.event)).toEqual(['member_added']);
    expect(result.hasMore).toBe(false);
    const groupSeen = result.messages.filter((m) => m.conversationId === group.id).at(-1)?.seq ?? 0;
    const nothing = await call(back, 'messages:sync', { since: { [ab.id]: 4, [group.id]: groupSeen } });
    expect(nothing).toEqual({ ok: true, messages: [], conversations: [], hasMore: false, removed: [] });
    // Added: with onlyNamed, a conversation the map does not name is left out, so a long map can go in parts.
    const named = await call(back, 'messages:sync', { since: { [ab.id]: 2 }, onlyNamed: true });
    expect(named.messages.map((m) => m.text)).toEqual(['missed 2', 'missed 3']);
    expect(named.conversations.map((x) => x.id)).toEqual([ab.id]);
    // A mark past the end (a client holding seqs of a reset server) gets the conversation and
    // its real lastSeq, and no messages; a mark at the end gets nothing.
    const ahead = await call(back, 'messages:sync', { since: { [ab.id]: 10, [group.id]: groupSeen } });
    expect(ahead.messages).toEqual([]);
    expect(ahead.conversations.map((x) => [x.id, x.lastSeq])).toEqual([[ab.id, 4]]);
    const bad = await emitAck(back, 'messages:sync', { since: {}, onlyNamed: 'yes' } as never);
    expect(!bad.ok && bad.error.code).toBe('invalid_input');
  });

  it('tells a client returning from offline which of its conversations it was removed from or left, and nothing of others', async () => {
    const owner = await world.user();
    const b = await world.user();
    const c = await world.user();
    const group = await world.group(owner, [b, c]);
    const { conversation: ab } = await call(owner.socket, 'conversations:openDirect', { userId: b.user.id });
    const { conversation: oc } = await call(owner.socket, 'conversations:openDirect', { userId: c.user.id });
    const { conversation: left } = await call(owner.socket, 'groups:create', { title: 'left while away', memberIds: [b.user.id] });
    b.socket.close();
    await call(owner.socket, 'groups:removeMember', { conversationId: group.id, userId: b.user.id });
    const elsewhere = await world.device(b);
    await call(elsewhere, 'groups:leave', { conversationId: left.id });
    elsewhere.close();
    const back = await world.device(b);
    // `oc` exists but was never b's; 'no-such-conversation' never existed: both read as not b's.
    const since = { [group.id]: 1, [ab.id]: 0, [left.id]: 1, [oc.id]: 0, 'no-such-conversation': 3 };
    const result = await call(back, 'messages:sync', { since });
    expect(result.removed.sort()).toEqual([group.id, left.id, oc.id, 'no-such-conversation'].sort());
    expect(result.conversations.map((x) => x.id)).toEqual([]);
    expect(result.messages.some((m) => m.conversationId !== ab.id)).toBe(false);
  });

  it('caps sync at 1000 messages and continues from where it stopped', async () => {
    const a = await world.user();
    const b = await world.user();
    const { conversation } = await world.contacts(a, b);
    const { store } = world.server.server;
    store.transaction(() => {
      for (let i = 0; i < 1200; i++) store.appendMessage({ conversationId: conversation.id, senderId: a.user.id, clientId: `bulk-${i}-${conversation.id}`, kind: 'text', text: `bulk ${i}`, createdAt: Date.now() });
    });
    const first = await call(b.socket, 'messages:sync', { since: { [conversation.id]: 0 } });
    expect(first.messages).toHaveLength(1000);
    expect(first.hasMore).toBe(true);
    const lastSeq = first.messages.at(-1)?.seq ?? 0;
    const second = await call(b.socket, 'messages:sync', { since: { [conversation.id]: lastSeq } });
    expect(second.messages).toHaveLength(200);
    expect(second.hasMore).toBe(false);
    expect([...first.messages, ...second.messages].map((m) => m.seq)).toEqual(Array.from({ length: 1200 }, (_, i) => i + 1));
  });

  it('answers fewer than 1000 long messages a call (about 1 MB at most), with hasMore, and loses none', async () => {
    const a = await world.user();
    const b = await world.user();
    const { conversation } = await world.contacts(a, b);
    const { store } = world.server.server;
    const text = '往来'.repeat(2000);
    store.transaction(() => {
      for (let i = 0; i < 600; i++) store.appendMessage({ conversationId: conversation.id, senderId: a.user.id, clientId: `long-${i}-${conversation.id}`, kind: 'text', text, createdAt: Date.now() });
    });
    const seqs: number[] = [];
    let since = 0;
    for (let round = 0; round < 20; round++) {
      const page = await call(b.socket, 'messages:sync', { since: { [conversation.id]: since } });
      // 12 KB of UTF-8 a message: about 85 of them in 1 MB.
      expect(page.messages.length).toBeGreaterThan(0);
      expect(page.messages.length).toBeLessThan(100);
      expect(Buffer.byteLength(JSON.stringify(page))).toBeLessThan(1.2 * 1024 * 1024);
      seqs.push(...page.messages.map((m) => m.seq));
      since = page.messages.at(-1)?.seq ?? since;
      if (!page.hasMore) break;
    }
    expect(seqs).toEqual(Array.from({ length: 600 }, (_, i) => i + 1));
  });

  it('moves read marks forward only and tells every member', async () => {
    const a = await world.user();
    const b = await world.user();
    const { conversation } = await world.contacts(a, b);
    for (let i = 0; i < 3; i++) await call(a.socket, 'messages:send', { conversationId: conversation.id, clientId: `read-00000${i}`, text: `r${i}` });
    const aTold = waitForEvent(a.socket, 'read', { filter: (r) => r.userId === b.user.id });
    expect(await call(b.socket, 'messages:read', { conversationId: conversation.id, seq: 2 })).toEqual({ ok: true });
    expect(await aTold).toEqual({ conversationId: conversation.id, userId: b.user.id, seq: 2 });
    const reads = recordEvents(a.socket, 'read');
    await call(b.socket, 'messages:read', { conversationId: conversation.id, seq: 1 });
    let view = (await call(b.socket, 'conversations:list', {})).conversations.find((c) => c.id === conversation.id);
    expect(view).toMatchObject({ readSeq: 2, unread: 1 });
    await call(b.socket, 'messages:read', { conversationId: conversation.id, seq: 999 });
    view = (await call(b.socket, 'conversations:list', {})).conversations.find((c) => c.id === conversation.id);
    expect(view).toMatchObject({ readSeq: 3, unread: 0 });
    const seenBySender = (await call(a.socket, 'conversations:list', {})).conversations.find((c) => c.id === conversation.id);
    expect(seenBySender?.members.find((m) => m.user.id === b.user.id)?.readSeq).toBe(3);
    await call(a.socket, 'contacts:list', {});
    expect(reads.map((r) => r.seq)).toEqual([3]);
  });

  it('a reply moves the sender’s read mark past what it answers, and every member (the sender’s other devices too) is told after the message', async () => {
    const a = await world.user();
    const b = await world.user();
    const { conversation } = await world.contacts(a, b);
    for (let i = 0; i < 2; i++) await call(b.socket, 'messages:send', { conversationId: conversation.id, clientId: `asked-00000${i}`, text: `question ${i}` });
    const aSecond = await world.device(a);
    const order: string[] = [];
    for (const event of ['message:new', 'read'] as const) (aSecond as unknown as { on(e: string, l: (p: { seq: number }) => void): void }).on(event, (p) => order.push(`${event} ${p.seq}`));
    const told = [aSecond, b.socket].map((s) => waitForEvent(s, 'read', { filter: (r) => r.userId === a.user.id }));
    const reads = recordEvents(b.socket, 'read');
    await call(a.socket, 'messages:send', { conversationId: conversation.id, clientId: 'answer-000001', text: 'the answer' });
    for (const read of await Promise.all(told)) expect(read).toEqual({ conversationId: conversation.id, userId: a.user.id, seq: 3 });
    expect(order).toEqual(['message:new 3', 'read 3']);
    // A second message in a row passes nothing unread: no event. Nor does a read of what is already read.
    await call(a.socket, 'messages:send', { conversationId: conversation.id, clientId: 'answer-000002', text: 'and more' });
    await call(a.socket, 'messages:read', { conversationId: conversation.id, seq: 4 });
    await call(b.socket, 'contacts:list', {});
    expect(reads.map((r) => r.seq)).toEqual([3]);
    const view = (await call(b.socket, 'conversations:list', {})).conversations.find((c) => c.id === conversation.id);
    expect(view?.members.find((m) => m.user.id === a.user.id)?.readSeq).toBe(4);
  });

  it('relays typing to the other members only', async () => {
    const a = await world.user();
    const b = await world.user();
    const { conversation } = await world.contacts(a, b);
    const aSecond = await world.device(a);
    const own = recordEvents(aSecond, 'typing');
    const seen = waitForEvent(b.socket, 'typing');
    expect(await call(a.socket, 'typing', { conversationId: conversation.id })).toEqual({ ok: true });
    expect(await seen).toEqual({ conversationId: conversation.id, userId: a.user.id });
    await call(aSecond, 'contacts:list', {});
    expect(own).toEqual([]);
  });
});

describe('links in messages', () => {
  let world: ChatWorld;
  let release: (previews: LinkPreview[]) => void = () => undefined;
  const previewCalls: string[][] = [];
  const links: LinkServices = {
    extract: (text) => (text.match(/https:\/\/\S+/g) ?? []).slice(0, 3),
    preview: (urls) => {
      previewCalls.push([...urls]);
      return new Promise((resolve) => {
        release = resolve;
      });
    },
    verdicts: async (urls) => urls.map((url) => (url.includes('shop.example') ? { url, verdict: 'verified', merchant: { id: 'm', name: 'Shop', verified: true } } : { url, verdict: 'unverified' })),
    verdict: async (url) => (url.startsWith('https://') ? ok({ url, verdict: 'unverified' }) : err('invalid_input', 'bad url')),
    productCard: async () => err('not_verified', 'no'),
    merchant: async () => err('not_found', 'no'),
  };
  beforeAll(async () => {
    world = await createChatWorld({ links });
  });
  afterAll(async () => {
    release([]);
    await world.close();
  });

  it('acks and delivers with pending links first, then stores and emits the previews', async () => {
    const a = await world.user();
    const b = await world.user();
    const { conversation } = await world.contacts(a, b);
    const delivered = waitForEvent(b.socket, 'message:new');
    const { message } = await call(a.socket, 'messages:send', { conversationId: conversation.id, clientId: 'links-000001', text: 'look https://shop.example/item and https://other.example/' });
    expect(message.links).toEqual([
      { url: 'https://shop.example/item', state: 'pending' },
      { url: 'https://other.example/', state: 'pending' },
    ]);
    expect((await delivered).links).toEqual(message.links);
    expect(previewCalls.at(-1)).toEqual(['https://shop.example/item', 'https://other.example/']);

    const previews: LinkPreview[] = [
      { url: 'https://shop.example/item', state: 'verified', title: 'Item', merchant: { id: 'm', name: 'Shop', verified: true } },
      { url: 'https://other.example/', state: 'unverified' },
    ];
    const updated = waitForEvent(b.socket, 'message:updated');
    release(previews);
    expect(await updated).toEqual({ conversationId: conversation.id, messageId: message.id, links: previews });
    const history = await call(b.socket, 'messages:history', { conversationId: conversation.id });
    expect(history.messages[0]?.links).toEqual(previews);
  });

  it('sends a preview only to members who may read its message, not to one added while it was fetched', async () => {
    const a = await world.user();
    const b = await world.user();
    const late = await world.user();
    await world.contacts(a, late);
    const group = await world.group(a, [b]);
    const { message } = await call(a.socket, 'messages:send', { conversationId: group.id, clientId: 'links-late-01', text: 'see https://shop.example/secret-item' });
    await call(a.socket, 'groups:addMembers', { conversationId: group.id, userIds: [late.user.id] });
    const lateUpdates = recordEvents(late.socket, 'message:updated');
    const seen = waitForEvent(b.socket, 'message:updated', { filter: (u) => u.messageId === message.id });
    release([{ url: 'https://shop.example/secret-item', state: 'unverified' }]);
    await seen;
    // Anything sent to the late member would have been sent before b's copy was awaited; a
    // later message to both shows the socket is live and ordered after the update.
    const after = waitForEvent(late.socket, 'message:new', { filter: (m) => m.clientId === 'links-late-02' });
    await call(a.socket, 'messages:send', { conversationId: group.id, clientId: 'links-late-02', text: 'plain' });
    await after;
    expect(lateUpdates).toEqual([]);
  });

  it('answers links:verdict through LinkServices', async () => {
    const a = await world.user();
    expect(await call(a.socket, 'links:verdict', { url: 'https://shop.example/' })).toEqual({ ok: true, verdict: { url: 'https://shop.example/', verdict: 'unverified' } });
    const bad = await emitAck(a.socket, 'links:verdict', { url: 'javascript:alert(1)' });
    expect(!bad.ok && bad.error.code).toBe('invalid_input');
  });

  it('sends text without links without asking for previews', async () => {
    const a = await world.user();
    const b = await world.user();
    const { conversation } = await world.contacts(a, b);
    const before = previewCalls.length;
    const { message } = await call(a.socket, 'messages:send', { conversationId: conversation.id, clientId: 'nolinks-0001', text: 'plain words' });
    expect(message.links).toBeUndefined();
    expect(previewCalls.length).toBe(before);
  });
});

describe('link previews shared fairly between senders', () => {
  let world: ChatWorld;
  /** Preview calls: the URLs and whether pages were to be fetched. */
  const calls: { urls: string[]; fetchPages: boolean }[] = [];
  /** Previews of hanging links finish only when the test says so. */
  const hanging: (() => void)[] = [];
  const answer = (urls: readonly string[], fetchPages: boolean): LinkPreview[] =>
    urls.map((url) => ({ url, state: 'verified', siteName: 'Shop', ...(fetchPages ? { title: `Title of ${url}` } : {}) }));
  const links: LinkServices = {
    extract: (text) => (text.match(/https:\/\/\S+/g) ?? []).slice(0, 3),
    preview: (urls, { fetchPages = true } = {}) => {
      calls.push({ urls: [...urls], fetchPages });
      if (!fetchPages || !urls.some((url) => url.includes('/hang'))) return Promise.resolve(answer(urls, fetchPages));
      return new Promise((resolve) => hanging.push(() => resolve(answer(urls, fetchPages))));
    },
    verdicts: async (urls) => urls.map((url) => (url.includes('shop.example') ? { url, verdict: 'verified', merchant: { id: 'm', name: 'Shop', verified: true } } : { url, verdict: 'unverified' })),
    verdict: async (url) => ok({ url, verdict: 'unverified' }),
    productCard: async () => err('not_verified', 'no'),
    merchant: async () => err('not_found', 'no'),
  };
  beforeAll(async () => {
    world = await createChatWorld({ links, limits: { messagesPerUser: { burst: 10_000, perSecond: 10_000 }, eventsPerSocket: { burst: 10_000, perSecond: 10_000 } } });
  });
  afterAll(async () => {
    for (const finish of hanging.splice(0)) finish();
    await world.close();
  });

  it('fetches one message at a time per sender, so a sender whose links hang delays no one else; past a backlog of 20, verdicts only', async () => {
    const flooder = await world.user();
    const victim = await world.user();
    const peer = await world.user();
    const { conversation: floodRoom } = await world.contacts(flooder, peer);
    const { conversation: victimRoom } = await world.contacts(victim, peer);
    const updates = recordEvents(peer.socket, 'message:updated');
    const floodUpdates = () => updates.filter((u) => u.conversationId === floodRoom.id);
    for (let i = 0; i < 24; i++) {
      await call(flooder.socket, 'messages:send', { conversationId: floodRoom.id, clientId: `flood-${String(i).padStart(4, '0')}`, text: `https://shop.example/hang?a${i} https://shop.example/hang?b${i}` });
    }
    // One message of the flooder is being fetched; 20 wait; the 3 past the backlog got verdicts only.
    await expect.poll(() => floodUpdates().length).toBe(3);
    expect(floodUpdates().every((u) => u.links.every((l) => l.state === 'verified' && l.title === undefined))).toBe(true);
    expect(calls.filter((c) => c.urls.some((u) => u.includes('/hang')) && c.fetchPages)).toHaveLength(1);

    const victimUpdate = waitForEvent(peer.socket, 'message:updated', { filter: (u) => u.conversationId === victimRoom.id });
    await call(victim.socket, 'messages:send', { conversationId: victimRoom.id, clientId: 'victim-0001', text: 'look https://shop.example/item' });
    expect((await victimUpdate).links).toEqual([{ url: 'https://shop.example/item', state: 'verified', siteName: 'Shop', title: 'Title of https://shop.example/item' }]);

    // As each hanging fetch finishes, the flooder's next message starts, in order, with pages.
    for (let done = 1; done <= 3; done++) {
      hanging.shift()?.();
      await expect.poll(() => floodUpdates().length).toBe(3 + done);
    }
    expect(floodUpdates().slice(3).map((u) => u.links[0]?.title)).toEqual(['https://shop.example/hang?a0', 'https://shop.example/hang?a1', 'https://shop.example/hang?a2'].map((url) => `Title of ${url}`));
  });
});

describe('history while a preview resolves', () => {
  let world: ChatWorld;
  const verified = (url: string): LinkPreview => ({ url, state: 'verified', siteName: 'Shop', title: `Title of ${url}`, merchant: { id: 'm', name: 'Shop', verified: true } });
  let releaseSlow: () => void = () => undefined;
  let holdVerdicts = false;
  let verdictsHeld = false;
  let releaseVerdicts: () => void = () => undefined;
  const links: LinkServices = {
    extract: (text) => (text.match(/https:\/\/\S+/g) ?? []).slice(0, 3),
    preview: (urls) =>
      urls.some((url) => url.includes('/slow'))
        ? new Promise((resolve) => (releaseSlow = () => resolve(urls.map(verified))))
        : Promise.resolve(urls.map(verified)),
    verdicts: async (urls) => {
      if (holdVerdicts) {
        verdictsHeld = true;
        await new Promise<void>((resolve) => (releaseVerdicts = resolve));
      }
      return urls.map((url) => ({ url, verdict: 'verified', merchant: { id: 'm', name: 'Shop', verified: true } }));
    },
    verdict: async (url) => ok({ url, verdict: 'unverified' }),
    productCard: async () => err('not_verified', 'no'),
    merchant: async () => err('not_found', 'no'),
  };
  beforeAll(async () => {
    world = await createChatWorld({ links });
  });
  afterAll(async () => {
    releaseSlow();
    releaseVerdicts();
    await world.close();
  });

  it('does not answer a preview as pending when it resolved while the page waited for verdicts', async () => {
    const a = await world.user();
    const b = await world.user();
    const { conversation } = await world.contacts(a, b);
    const first = waitForEvent(b.socket, 'message:updated');
    await call(a.socket, 'messages:send', { conversationId: conversation.id, clientId: 'resolve-01', text: 'https://shop.example/ok' });
    await first;
    const { message: slow } = await call(a.socket, 'messages:send', { conversationId: conversation.id, clientId: 'resolve-02', text: 'https://shop.example/slow' });
    holdVerdicts = true;
    // The page holds a verified preview (so its verdicts are asked) and the one still pending.
    const page = call(b.socket, 'messages:history', { conversationId: conversation.id });
    await expect.poll(() => verdictsHeld).toBe(true);
    const updated = waitForEvent(b.socket, 'message:updated', { filter: (u) => u.messageId === slow.id });
    releaseSlow();
    await updated;
    holdVerdicts = false;
    releaseVerdicts();
    const { messages } = await page;
    expect(messages.find((m) => m.id === slow.id)?.links).toEqual([verified('https://shop.example/slow')]);
  });
});
