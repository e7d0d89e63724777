/**
 * The setup the ChatClient tests share: a real chat server on a free port in a temp directory,
 * Alice and Bob registered and made contacts, Bob connected on his own socket (the other side
 * of every exchange), and a ChatClient for Alice when a test asks for one.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import type { AuthResult } from '../../../../protocol';
import { ChatClient } from '../../../../renderer/src/client/chat-client';
import { startChatServer, type ChatServerOptions, type RunningChatServer } from '../../../../server/chat-server';

export interface ChatPair {
  server: RunningChatServer;
  alice: AuthResult;
  bob: AuthResult;
  /** Bob's socket, connected for the whole file. */
  bobSocket: Socket;
  /** Alice and Bob's direct conversation. */
  conversationId: string;
  /** A socket.io-client connection with this token, over websocket. */
  connect(token: string): Promise<Socket>;
  /**
   * Alice's ChatClient, to the server or to `url` (a proxy in front of it), its requests timing
   * out after `requestTimeoutMs` when given; a sign-out is a test failure.
   */
  aliceClient(options?: { url?: string; requestTimeoutMs?: number }): ChatClient;
  close(): Promise<void>;
}

async function register(url: string, username: string): Promise<AuthResult> {
  const response = await fetch(`${url}/api/v1/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'password123', displayName: username }),
  });
  return (await response.json()) as AuthResult;
}

export async function startChatPair(options: Partial<ChatServerOptions> = {}): Promise<ChatPair> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'wanglai-renderer-'));
  const server = await startChatServer({ host: '127.0.0.1', port: 0, dataDir, adminToken: 'admin', scryptCost: { N: 1024, r: 8, p: 1 }, ...options });
  const connect = async (token: string): Promise<Socket> => {
    const socket = io(server.url, { auth: { token }, transports: ['websocket'] });
    await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
    return socket;
  };
  const alice = await register(server.url, 'alice');
  const bob = await register(server.url, 'bob');
  const bobSocket = await connect(bob.token);
  const aliceSocket = await connect(alice.token);
  const request = await aliceSocket.emitWithAck('contacts:request', { userId: bob.user.id });
  const accepted = await bobSocket.emitWithAck('contacts:respond', { requestId: request.request.id, accept: true });
  aliceSocket.disconnect();
  return {
    server,
    alice,
    bob,
    bobSocket,
    conversationId: accepted.conversation.id,
    connect,
    aliceClient: ({ url = server.url, requestTimeoutMs }: { url?: string; requestTimeoutMs?: number } = {}) =>
      new ChatClient(
        url,
        alice.token,
        alice.user,
        () => {
          throw new Error('unexpected sign-out');
        },
        requestTimeoutMs,
      ),
    async close() {
      bobSocket.disconnect();
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls a condition every 20 ms, up to 10 s. */
export async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
