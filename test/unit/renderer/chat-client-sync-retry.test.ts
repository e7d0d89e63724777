// @vitest-environment jsdom
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import type { ChatClient } from '../../../renderer/src/client/chat-client';
import { useChat } from '../../../renderer/src/store/chat-store';
import { startChatPair, until, type ChatPair } from './helpers/chat-pair';
import { startHoldingProxy } from './helpers/holding-proxy';

let pair: ChatPair;
let bobSocket: Socket;
let conversationId: string;

beforeAll(async () => {
  pair = await startChatPair({ limits: { listsPerUser: { burst: 3, perSecond: 2 } } });
  ({ bobSocket, conversationId } = pair);
});

afterAll(async () => {
  await pair.close();
});

/**
 * Waits for this client's own connection and list (not the state a test before left), opens the
 * conversation, then takes the client offline.
 */
async function openThenGoOffline(client: ChatClient, conversationId: string): Promise<void> {
  await until(() => client.socket.connected && useChat.getState().connection === 'online' && useChat.getState().conversations[conversationId] !== undefined, 'the first connection');
  await client.setActive(conversationId);
  await until(() => useChat.getState().messages[conversationId]?.loaded === true, 'the first history page');
  client.socket.disconnect();
  await until(() => useChat.getState().connection === 'reconnecting', 'the client to notice it is offline');
}

describe('ChatClient catching up while the server limits its syncs', () => {
  it('asks again after a rate_limited sync, and gets what was missed', async () => {
    const client = pair.aliceClient();
    try {
      await openThenGoOffline(client, conversationId);
      await bobSocket.emitWithAck('messages:send', { conversationId, clientId: 'bob-missed-001', text: 'missed while away' });
      // Alice's other devices used up her budget of lists and syncs: her first sync is refused.
      const other = await pair.connect(pair.alice.token);
      for (let i = 0; i < 4; i++) await other.emitWithAck('conversations:list', {});
      other.disconnect();
      client.socket.connect();
      await until(() => useChat.getState().messages[conversationId]?.items.some((m) => m.text === 'missed while away') === true, 'the missed message');
    } finally {
      client.close();
    }
  });

  it('catches up on more long messages than many answers carry, at the rate the server allows, with no gap', async () => {
    // A server of its own: the test before used up this user's budget of lists and syncs.
    const own = await startChatPair({ limits: { listsPerUser: { burst: 3, perSecond: 2 } } });
    const { conversationId } = own;
    const client = own.aliceClient();
    try {
      await openThenGoOffline(client, conversationId);
      // About 1 MB an answer: 85 of these. 1,100 of them are 13 answers, past the budget of 3 and
      // five refusals in a row at 2 a second.
      const { store } = own.server;
      const bob = own.bob.user.id;
      const text = '往来'.repeat(2000);
      const first = (store.conversation(conversationId)?.lastSeq ?? 0) + 1;
      store.transaction(() => {
        for (let i = 0; i < 1100; i++) store.appendMessage({ conversationId, senderId: bob, clientId: `long-missed-${i}`, kind: 'text', text: `${text}${i}`, createdAt: Date.now() });
      });
      const last = first + 1099;
      client.socket.connect();
      // 13 answers at 2 a second, after three: about 6 s.
      await until(() => useChat.getState().messages[conversationId]?.items.at(-1)?.seq === last, 'the last missed message', 30_000);
      const seqs = useChat.getState().messages[conversationId]?.items.map((m) => m.seq) ?? [];
      const missed = seqs.filter((seq) => seq >= first);
      expect(missed).toEqual(Array.from({ length: 1100 }, (_, i) => first + i));
    } finally {
      client.close();
      await own.close();
    }
  }, 60_000);

  it('asks again after a sync that was not answered in time, and gets what was missed', async () => {
    const own = await startChatPair();
    const { conversationId } = own;
    // Between Alice and the server, a proxy that can hold an answer back, as a server too busy
    // to answer in time would look to the client.
    const proxy = await startHoldingProxy(own.server.url);
    let syncs = 0;
    own.server.io.on('connection', (socket) => {
      if (socket.data.userId !== own.alice.user.id) return;
      socket.prependAny((event: string) => {
        if (event === 'messages:sync') syncs++;
      });
    });
    const client = own.aliceClient({ url: proxy.url, requestTimeoutMs: 1000 });
    try {
      await openThenGoOffline(client, conversationId);
      await own.bobSocket.emitWithAck('messages:send', { conversationId, clientId: 'bob-missed-timeout', text: 'missed while the server was slow' });
      // The first sync's answer reaches the client only after its request timed out.
      proxy.arm('"hasMore"');
      client.socket.connect();
      await until(() => useChat.getState().messages[conversationId]?.items.some((m) => m.text === 'missed while the server was slow') === true, 'the missed message');
      expect(proxy.releases).toBe(1);
      expect(syncs).toBe(2);
    } finally {
      client.close();
      await proxy.close();
      await own.close();
    }
  });
});
