// @vitest-environment jsdom
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import type { AuthResult } from '../../../protocol';
import { startChatServer, type RunningChatServer } from '../../../server/chat-server';
import { ChatClient } from '../../../renderer/src/client/chat-client';
import { useChat } from '../../../renderer/src/store/chat-store';

let server: RunningChatServer;
let dataDir: string;
let alice: AuthResult;
let bob: AuthResult;
let bobSocket: Socket;
let conversationId: string;
async function register(username: string): Promise<AuthResult> {
  const response = await fetch(`${server.url}/api/v1/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'password123', displayName: username }),
  });
  return (await response.json()) as AuthResult;
}

async function connected(token: string): Promise<Socket> {
  const socket = io(server.url, { auth: { token }, transports: ['websocket'] });
  await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
  return socket;
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}


beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'wanglai-renderer-sync-retry-'));
  server = await startChatServer({ host: '127.0.0.1', port: 0, dataDir, adminToken: 'admin', limits: { listsPerUser: { burst: 3, perSecond: 2 } }, scryptCost: { N: 1024, r: 8, p: 1 } });
  alice = await register('alice');
  bob = await register('bob');
  bobSocket = await connected(bob.token);
  const aliceSocket = await connected(alice.token);
  const request = await aliceSocket.emitWithAck('contacts:request', { userId: bob.user.id });
  const accepted = await bobSocket.emitWithAck('contacts:respond', { requestId: request.request.id, accept: true });
  conversationId = accepted.conversation.id;
  aliceSocket.disconnect();
});

afterAll(async () => {
  bobSocket.disconnect();
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('ChatClient catching up while the server limits its syncs', () => {
  it('asks again after a rate_limited sync, and gets what was missed', async () => {
    const client = new ChatClient(server.url, alice.token, alice.user, () => {
      throw new Error('unexpected sign-out');
    });
    try {
      await until(() => useChat.getState().connection === 'online', 'the first connection');
      await client.setActive(conversationId);
      await until(() => useChat.getState().messages[conversationId]?.loaded === true, 'the first history page');
      client.socket.disconnect();
      await until(() => useChat.getState().connection === 'reconnecting', 'the client to notice it is offline');
      await bobSocket.emitWithAck('messages:send', { conversationId, clientId: 'bob-missed-001', text: 'missed while away' });
      // Alice's other devices used up her budget of lists and syncs: her first sync is refused.
      const other = await connected(alice.token);
      for (let i = 0; i < 4; i++) await other.emitWithAck('conversations:list', {});
      other.disconnect();
      client.socket.connect();
      await until(() => useChat.getState().messages[conversationId]?.items.some((m) => m.text === 'missed while away') === true, 'the missed message');
    } finally {
      client.close();
    }
  });
});
