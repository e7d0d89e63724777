// @vitest-environment jsdom
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'wanglai-renderer-'));
  server = await startChatServer({ host: '127.0.0.1', port: 0, dataDir, adminToken: 'admin', scryptCost: { N: 1024, r: 8, p: 1 } });
  alice = await register('alice');
  bob = await register('bob');
  bobSocket = io(server.url, { auth: { token: bob.token }, transports: ['websocket'] });
  await new Promise<void>((resolve) => bobSocket.on('connect', () => resolve()));
  const aliceSocket = io(server.url, { auth: { token: alice.token }, transports: ['websocket'] });
  await new Promise<void>((resolve) => aliceSocket.on('connect', () => resolve()));
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

describe('ChatClient against a real chat server', () => {
  it('keeps what is typed offline pending, sends it on reconnect with the same clientId, and syncs what was missed', async () => {
    const client = new ChatClient(server.url, alice.token, alice.user, () => {
      throw new Error('unexpected sign-out');
    });
    try {
      await until(() => useChat.getState().connection === 'online', 'the first connection');
      await client.setActive(conversationId);
      await until(() => useChat.getState().messages[conversationId]?.loaded === true, 'the first history page');

      client.socket.disconnect();
      client.sendText(conversationId, 'typed while offline');
      const pending = useChat.getState().outbox;
      expect(pending).toHaveLength(1);
      expect(pending[0]?.state).toBe('pending');
      const clientId = pending[0]?.clientId;
      await bobSocket.emitWithAck('messages:send', { conversationId, clientId: 'bob-while-away-1', text: 'missed while away' });

      client.socket.connect();
      await until(() => useChat.getState().outbox.length === 0, 'the outbox to drain');
      await until(() => (useChat.getState().messages[conversationId]?.items.length ?? 0) === 2, 'both messages');
      const items = useChat.getState().messages[conversationId]?.items ?? [];
      expect(items.map((m) => m.text)).toEqual(['missed while away', 'typed while offline']);
      expect(items[1]?.clientId).toBe(clientId);
      expect(new Set(items.map((m) => m.id)).size).toBe(items.length);
    } finally {
      client.close();
    }
  });
});
