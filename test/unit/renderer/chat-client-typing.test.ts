// @vitest-environment jsdom
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { useChat } from '../../../renderer/src/store/chat-store';
import { startChatPair, until, type ChatPair } from './helpers/chat-pair';

let pair: ChatPair;
let bobSocket: Socket;
let conversationId: string;

beforeAll(async () => {
  pair = await startChatPair();
  ({ bobSocket, conversationId } = pair);
});

afterAll(async () => {
  await pair.close();
});

describe('typing signals', () => {
  it('signals the next message as soon as it is typed, even right after a send', async () => {
    const client = pair.aliceClient();
    const typing: string[] = [];
    const onTyping = ({ userId }: { userId: string }): void => {
      typing.push(userId);
    };
    bobSocket.on('typing', onTyping);
    try {
      await until(() => useChat.getState().connection === 'online', 'the first connection');
      client.typing(conversationId);
      await until(() => typing.length === 1, 'the first typing signal');
      // Throttled while the same message is typed on.
      client.typing(conversationId);
      client.sendText(conversationId, 'first');
      await until(() => useChat.getState().outbox.length === 0, 'the send');
      expect(typing).toHaveLength(1);
      client.typing(conversationId);
      await until(() => typing.length === 2, 'the typing signal of the next message');
      expect(typing).toEqual([pair.alice.user.id, pair.alice.user.id]);
    } finally {
      bobSocket.off('typing', onTyping);
      client.close();
    }
  });
});
