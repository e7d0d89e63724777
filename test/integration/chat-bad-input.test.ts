import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatWorld } from './helpers/chat-world';
import type { ChatWorld } from './helpers/chat-world';
import { call, connectError, emitAck, emitRawAck, raw, waitForDisconnect } from './helpers/sockets';

const codeOf = (result: unknown) => (result as { ok: boolean; error?: { code: string } }).error?.code;

describe('bad socket input never crashes or stalls the server', () => {
  let world: ChatWorld;
  beforeAll(async () => {
    world = await createChatWorld();
  });
  afterAll(async () => {
    await world.close();
  });

  it('refuses a missing, unknown or malformed token with connect_error "unauthorized"', async () => {
    for (const auth of [{}, { token: 'nope' }, { token: 42 }, { token: { $ne: null } }, { token: 'x'.repeat(10_000) }]) {
      expect(await connectError(world.url, auth)).toBe('unauthorized');
    }
  });

  it('answers every malformed payload with invalid_input', async () => {
    const a = await world.user();
    const payloads: unknown[] = [undefined, null, 42, 'text', [], [1, 2], true, { conversationId: 5, clientId: [], text: {} }, { __proto__: { text: 'x' } }];
    for (const event of ['messages:send', 'groups:create', 'contacts:request', 'messages:sync', 'messages:read', 'users:search']) {
      for (const payload of payloads) expect(codeOf(await emitRawAck(a.socket, event, [payload]))).toBe('invalid_input');
    }
    // `__proto__` is a key like any other: a valid seq is answered (an id that is not the
    // caller's), a bad one refused, and nothing is polluted.
    const sync = await emitAck(a.socket, 'messages:sync', JSON.parse('{"since":{"__proto__":5}}') as unknown);
    expect(sync).toMatchObject({ ok: true, removed: ['__proto__'] });
    for (const bad of ['-5', '"abc"', '1.5', 'null', '{"x":1}', '[1]']) {
      expect(codeOf(await emitRawAck(a.socket, 'messages:sync', [JSON.parse(`{"since":{"__proto__":${bad}}}`) as unknown]))).toBe('invalid_input');
    }
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(codeOf(await emitRawAck(a.socket, 'messages:sync', [{ since: { x: -1 } }]))).toBe('invalid_input');
    expect(codeOf(await emitRawAck(a.socket, 'messages:send', []))).toBe('invalid_input');
    // Socket.IO turns a binary attachment into a Buffer, an object zod's `{}` schemas would take.
    for (const event of ['contacts:list', 'conversations:list', 'messages:sync']) {
      expect(codeOf(await emitRawAck(a.socket, event, [Buffer.from('abc')]))).toBe('invalid_input');
    }
  });

  it('refuses a clientId with a lone surrogate, which would read back as other characters', async () => {
    const a = await world.user();
    const b = await world.user();
    const { conversation } = await world.contacts(a, b);
    for (const clientId of ['lone\ud800abcd', 'dup\udc01clientid']) {
      expect(codeOf(await emitAck(a.socket, 'messages:send', { conversationId: conversation.id, clientId, text: 'x' }))).toBe('invalid_input');
    }
    // A pair is one character: fine, and it reads back as sent.
    const sent = await call(a.socket, 'messages:send', { conversationId: conversation.id, clientId: 'pair😀clientid', text: 'x' });
    const history = await call(a.socket, 'messages:history', { conversationId: conversation.id });
    expect(history.messages.map((m) => m.clientId)).toEqual([sent.message.clientId]);
    expect(sent.message.clientId).toBe('pair😀clientid');
  });

  it('answers unknown events with invalid_input and ignores events without a callback', async () => {
    const a = await world.user();
    for (const event of ['nope', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'error', 'products:share']) {
      expect(codeOf(await emitRawAck(a.socket, event, [{}]))).toBe('invalid_input');
    }
    raw(a.socket).emit('messages:send', { conversationId: 'x', clientId: 'no-callback', text: 'hi' });
    raw(a.socket).emit('error', 'boom');
    raw(a.socket).emit('nope');
    raw(a.socket).emit('messages:history', 'not-an-object', 'extra', 'args');
    expect(await call(a.socket, 'contacts:list', {})).toMatchObject({ ok: true });
  });

  it('drops a client that sends an oversized frame and keeps serving the others', async () => {
    const a = await world.user();
    const b = await world.user();
    const { conversation } = await world.contacts(a, b);
    const dropped = waitForDisconnect(a.socket);
    raw(a.socket).emit('messages:send', { conversationId: conversation.id, clientId: 'huge-frame-1', text: 'x'.repeat(100 * 1024) }, () => undefined);
    await dropped;
    expect(await call(b.socket, 'messages:send', { conversationId: conversation.id, clientId: 'after-huge-1', text: 'still here' })).toMatchObject({ ok: true });
    const history = await call(b.socket, 'messages:history', { conversationId: conversation.id });
    expect(history.messages.map((m) => m.text)).toEqual(['still here']);
  });

  it('rate limits with rate_limited and keeps the connection', async () => {
    const limited = await createChatWorld({ limits: { typingPerUser: { burst: 2, perSecond: 0.001 }, eventsPerSocket: { burst: 30, perSecond: 0.001 } } });
    try {
      const a = await limited.user();
      const b = await limited.user();
      const { conversation } = await limited.contacts(a, b);
      const results = await Promise.all([1, 2, 3].map(() => emitAck(a.socket, 'typing', { conversationId: conversation.id })));
      expect(results.map((r) => r.ok)).toEqual([true, true, false]);
      expect(codeOf(results[2])).toBe('rate_limited');
      const flood = await Promise.all(Array.from({ length: 40 }, () => emitAck(a.socket, 'contacts:list', {})));
      expect(flood.some((r) => codeOf(r) === 'rate_limited')).toBe(true);
      // Unknown events count against the socket's limit too.
      const other = await limited.user();
      const unknown = await Promise.all(Array.from({ length: 40 }, () => emitRawAck(other.socket, 'no-such-event', [{}])));
      expect(unknown.slice(0, 30).every((r) => codeOf(r) === 'invalid_input')).toBe(true);
      expect(unknown.slice(30).every((r) => codeOf(r) === 'rate_limited')).toBe(true);
      expect(a.socket.connected).toBe(true);
      expect(await call(b.socket, 'contacts:list', {})).toMatchObject({ ok: true });
    } finally {
      await limited.close();
    }
  });

  it('limits the costly reads per user across all of its sockets, with the default limits', async () => {
    const world2 = await createChatWorld();
    try {
      const a = await world2.user();
      const b = await world2.user();
      const { conversation } = await world2.contacts(a, b);
      // Three sockets of one user share one budget: 60 lists at once, then 3 a second.
      const sockets = [a.socket, await world2.device(a), await world2.device(a)];
      const lists = await Promise.all(Array.from({ length: 80 }, (_, i) => emitAck(sockets[i % 3] ?? a.socket, 'conversations:list', {})));
      expect(lists.filter((r) => r.ok).length).toBeLessThanOrEqual(61);
      expect(lists.filter((r) => codeOf(r) === 'rate_limited').length).toBeGreaterThanOrEqual(19);
      const pages = await Promise.all(Array.from({ length: 70 }, () => emitAck(a.socket, 'messages:history', { conversationId: conversation.id })));
      expect(pages.filter((r) => codeOf(r) === 'rate_limited').length).toBeGreaterThanOrEqual(9);
      // Another user is unaffected.
      expect(await call(b.socket, 'conversations:list', {})).toMatchObject({ ok: true });
      expect(await call(b.socket, 'messages:history', { conversationId: conversation.id })).toMatchObject({ ok: true });
    } finally {
      await world2.close();
    }
  });
});
