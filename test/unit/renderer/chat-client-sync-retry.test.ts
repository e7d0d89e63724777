// @vitest-environment jsdom
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { useChat } from '../../../renderer/src/store/chat-store';
import { startChatPair, until, type ChatPair } from './helpers/chat-pair';

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

describe('ChatClient catching up while the server limits its syncs', () => {
  it('asks again after a rate_limited sync, and gets what was missed', async () => {
    const client = pair.aliceClient();
    try {
      await until(() => useChat.getState().connection === 'online', 'the first connection');
      await client.setActive(conversationId);
      await until(() => useChat.getState().messages[conversationId]?.loaded === true, 'the first history page');
      client.socket.disconnect();
      await until(() => useChat.getState().connection === 'reconnecting', 'the client to notice it is offline');
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
});
