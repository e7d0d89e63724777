import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '../../protocol';
import { makeTempDir } from './helpers/chat-server';
import { startChatProcess } from './helpers/chat-process';
import type { ChatProcess } from './helpers/chat-process';
import { registerUser } from './helpers/http';
import { call, connectClient, emitAck } from './helpers/sockets';
import type { ChatClient } from './helpers/sockets';

describe('durability of npm run server', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setUp(sync: 'full' | 'normal') {
    const dataDir = await makeTempDir('wanglai-durable-');
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const env = { WANGLAI_DATA_DIR: dataDir, WANGLAI_SYNC: sync, WANGLAI_ADMIN_TOKEN: 'durability-admin-token' };
    const first = await startChatProcess(env);
    cleanups.push(() => void first.child.kill('SIGKILL'));
    const a = await registerUser(first.url);
    const b = await registerUser(first.url);
    const sockets: ChatClient[] = [];
    cleanups.push(() => sockets.forEach((s) => s.close()));
    const aSocket = await connectClient(first.url, a.token);
    const bSocket = await connectClient(first.url, b.token);
    sockets.push(aSocket, bSocket);
    const { request } = await call(aSocket, 'contacts:request', { userId: b.user.id });
    const { conversation } = await call(bSocket, 'contacts:respond', { requestId: request.id, accept: true });
    if (conversation === undefined) throw new Error('no conversation');
    return { env, first, a, b, aSocket, bSocket, conversationId: conversation.id, sockets };
  }

  async function allMessages(socket: ChatClient, conversationId: string): Promise<Message[]> {
    const messages: Message[] = [];
    let beforeSeq: number | undefined;
    for (;;) {
      const page = await call(socket, 'messages:history', { conversationId, limit: 100, ...(beforeSeq === undefined ? {} : { beforeSeq }) });
      messages.unshift(...page.messages);
      if (!page.hasMore || page.messages[0] === undefined) return messages;
      beforeSeq = page.messages[0].seq;
    }
  }

  it('keeps every acknowledged message, exactly once, across kill -9', async () => {
    const { env, first, a, aSocket, conversationId, sockets } = await setUp('full');
    const acked = new Set<string>();
    let next = 0;
    let killed = false;
    // Keep 16 sends in flight until 150 are acknowledged, then kill -9 with sends still under way.
    await new Promise<void>((resolve) => {
      const pump = () => {
        if (killed) return;
        const clientId = `durable-${String(next++).padStart(6, '0')}`;
        emitAck(aSocket, 'messages:send', { conversationId, clientId, text: clientId }, 10_000)
          .then((result) => {
            if (result.ok) acked.add(clientId);
            if (!killed && acked.size >= 150) {
              killed = true;
              first.child.kill('SIGKILL');
              resolve();
            }
            pump();
          })
          .catch(() => undefined);
      };
      for (let i = 0; i < 16; i++) pump();
    });
    expect(await first.exited).toBe('SIGKILL');
    const ackedAtKill = new Set(acked);

    const second: ChatProcess = await startChatProcess(env);
    cleanups.push(() => void second.child.kill('SIGKILL'));
    const again = await connectClient(second.url, a.token);
    sockets.push(again);
    const stored = await allMessages(again, conversationId);
    const clientIds = stored.map((m) => m.clientId);
    expect(new Set(clientIds).size).toBe(clientIds.length);
    for (const clientId of ackedAtKill) expect(clientIds).toContain(clientId);
    expect(stored.map((m) => m.seq)).toEqual(stored.map((_, i) => i + 1));
    // A retry of an acknowledged send after the restart stores nothing new.
    const [someAcked] = [...ackedAtKill];
    const retry = await call(again, 'messages:send', { conversationId, clientId: someAcked, text: 'retry' });
    expect(retry.message.text).toBe(someAcked);
    expect((await allMessages(again, conversationId)).length).toBe(stored.length);
  });

  it('keeps an acknowledged read mark across kill -9', async () => {
    const { env, first, b, aSocket, bSocket, conversationId, sockets } = await setUp('full');
    for (let i = 0; i < 5; i++) await call(aSocket, 'messages:send', { conversationId, clientId: `to-read-${String(i).padStart(4, '0')}`, text: `m${i}` });
    await call(bSocket, 'messages:read', { conversationId, seq: 4 });
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');

    const second = await startChatProcess(env);
    cleanups.push(() => void second.child.kill('SIGKILL'));
    const again = await connectClient(second.url, b.token);
    sockets.push(again);
    const { conversations } = await call(again, 'conversations:list', {});
    expect(conversations.find((c) => c.id === conversationId)).toMatchObject({ readSeq: 4, unread: 1 });
  });

  it('shuts down gracefully on SIGTERM: in-flight sends are answered, exit code 0', async () => {
    const { env, first, a, aSocket, conversationId, sockets } = await setUp('normal');
    const sends = Array.from({ length: 40 }, (_, i) => emitAck(aSocket, 'messages:send', { conversationId, clientId: `graceful-${String(i).padStart(4, '0')}`, text: `g${i}` }, 10_000).catch(() => undefined));
    await sends[0];
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    const answered = (await Promise.all(sends)).filter((r) => r?.ok === true).length;

    const second = await startChatProcess(env);
    cleanups.push(() => void second.child.kill('SIGKILL'));
    const again = await connectClient(second.url, a.token);
    sockets.push(again);
    expect((await allMessages(again, conversationId)).length).toBeGreaterThanOrEqual(answered);
  });
});
