// @vitest-environment jsdom
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { err, ok, type AuthResult, type LinkPreview } from '../../../protocol';
import { startChatServer, type RunningChatServer } from '../../../server/chat-server';
import type { LinkServices } from '../../../server/links/link-services';
import { ChatClient } from '../../../renderer/src/client/chat-client';
import { useChat } from '../../../renderer/src/store/chat-store';

let server: RunningChatServer;
let dataDir: string;
let alice: AuthResult;
let bob: AuthResult;
let bobSocket: Socket;
let conversationId: string;
/** Resolves the preview fetch under way: the test decides when a preview is ready. */
let releasePreview: (previews: LinkPreview[]) => void = () => undefined;

const links: LinkServices = {
  extract: (text) => (text.match(/https:\/\/\S+/g) ?? []).slice(0, 3),
  preview: () =>
    new Promise((resolve) => {
      releasePreview = resolve;
    }),
  verdicts: async (urls) => urls.map((url) => ({ url, verdict: 'unverified' })),
  verdict: async (url) => (url.startsWith('https://') ? ok({ url, verdict: 'unverified' }) : err('invalid_input', 'bad url')),
  productCard: async () => err('not_verified', 'no'),
  merchant: async () => err('not_found', 'no'),
};

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

const linkStateOf = (messageId: string): string | undefined =>
  useChat.getState().messages[conversationId]?.items.find((m) => m.id === messageId)?.links?.[0]?.state;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'wanglai-renderer-previews-'));
  server = await startChatServer({ host: '127.0.0.1', port: 0, dataDir, adminToken: 'admin', links, scryptCost: { N: 1024, r: 8, p: 1 } });
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
  releasePreview([]);
  bobSocket.disconnect();
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('ChatClient and previews that resolve while it is offline', () => {
  it('reads a message whose preview was still pending again after a reconnect, so the link does not stay "checking"', async () => {
    const client = new ChatClient(server.url, alice.token, alice.user, () => {
      throw new Error('unexpected sign-out');
    });
    try {
      await until(() => useChat.getState().connection === 'online', 'the first connection');
      await client.setActive(conversationId);
      await until(() => useChat.getState().messages[conversationId]?.loaded === true, 'the first history page');

      const sent = await bobSocket.emitWithAck('messages:send', { conversationId, clientId: 'bob-preview-01', text: 'see https://shop.example/item' });
      const messageId: string = sent.message.id;
      await until(() => linkStateOf(messageId) === 'pending', 'the message with its pending link');

      client.socket.disconnect();
      await until(() => useChat.getState().connection === 'reconnecting', 'the client to notice it is offline');
      // The preview resolves while Alice is away: its message:updated reaches Bob only.
      const updated = new Promise<void>((resolve) => bobSocket.once('message:updated', () => resolve()));
      releasePreview([{ url: 'https://shop.example/item', state: 'blocked', reason: 'phishing' }]);
      await updated;
      expect(linkStateOf(messageId)).toBe('pending');

      client.socket.connect();
      await until(() => linkStateOf(messageId) === 'blocked', 'the preview resolved while offline');
      expect(useChat.getState().conversations[conversationId]?.lastMessage?.links?.[0]?.state).toBe('blocked');
      expect(useChat.getState().messages[conversationId]?.items.filter((m) => m.id === messageId)).toHaveLength(1);
    } finally {
      client.close();
    }
  });
});
