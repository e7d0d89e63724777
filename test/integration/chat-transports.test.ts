import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../protocol';
import { createChatWorld } from './helpers/chat-world';
import type { ChatWorld } from './helpers/chat-world';
import { call, connectClient, waitForEvent } from './helpers/sockets';

describe('Socket.IO transports', () => {
  let world: ChatWorld;
  beforeAll(async () => {
    world = await createChatWorld();
  });
  afterAll(async () => {
    await world.close();
  });

  it('serves a default client (long-polling, then the upgrade) and a polling-only client', async () => {
    const a = await world.user();
    const b = await world.user();
    const { conversation } = await world.contacts(a, b);
    const byDefault = await connectClient(world.url, a.token);
    const pollingOnly = await connectClient(world.url, b.token, { transports: ['polling'] });
    try {
      const arrives = waitForEvent(pollingOnly, 'message:new', { filter: (m: Message) => m.clientId === 'transport-1' });
      const { message } = await call(byDefault, 'messages:send', { conversationId: conversation.id, clientId: 'transport-1', text: 'over polling' });
      expect((await arrives).id).toBe(message.id);
      const answer = await call(pollingOnly, 'messages:send', { conversationId: conversation.id, clientId: 'transport-2', text: 'back' });
      expect(answer.message.seq).toBe(message.seq + 1);
    } finally {
      byDefault.close();
      pollingOnly.close();
    }
  });

  it('answers raw long-polling requests as Engine.IO only, and keeps serving', async () => {
    const base = `${world.url}/socket.io/?EIO=4&transport=polling`;
    const open = await fetch(base);
    const handshake = await open.text();
    expect(handshake.startsWith('0{')).toBe(true);
    const { sid } = JSON.parse(handshake.slice(1)) as { sid: string };
    const posted = await fetch(`${base}&sid=${sid}`, { method: 'POST', body: '40{"token":"not-a-token"}', headers: { 'content-type': 'text/plain;charset=UTF-8' } });
    expect(posted.status).toBe(200);
    expect(await posted.text()).toBe('ok');
    const polled = await fetch(`${base}&sid=${sid}`);
    expect(await polled.text()).toContain('unauthorized');
    const unknownSid = await fetch(`${base}&sid=no-such-session`);
    expect(unknownSid.status).toBe(400);
    expect(await unknownSid.text()).not.toContain('<html');
    const health = await fetch(`${world.url}/healthz`);
    expect(await health.json()).toEqual({ ok: true });
  });
});
