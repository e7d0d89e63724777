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

describe('ChatClient against a real chat server', () => {
  it('keeps what is typed offline pending, sends it on reconnect with the same clientId, and syncs what was missed', async () => {
    const client = pair.aliceClient();
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

  it('catches up on a chat never opened with what was missed only, not its whole history from the join', async () => {
    const created = (await bobSocket.emitWithAck('groups:create', { title: 'Busy group', memberIds: [pair.alice.user.id] })) as { conversation: { id: string } };
    const groupId = created.conversation.id;
    for (let i = 0; i < 30; i++) await bobSocket.emitWithAck('messages:send', { conversationId: groupId, clientId: `bob-before-${i}`, text: `before ${i}` });
    const client = pair.aliceClient();
    try {
      await until(() => useChat.getState().connection === 'online' && useChat.getState().conversations[groupId]?.lastSeq === 31, 'the list with the group');
      client.socket.disconnect();
      await until(() => useChat.getState().connection === 'reconnecting', 'the client to notice it is offline');
      await bobSocket.emitWithAck('messages:send', { conversationId: groupId, clientId: 'bob-while-away-2', text: 'missed in the group' });
      client.socket.connect();
      await until(() => useChat.getState().connection === 'online', 'the reconnect');
      expect(useChat.getState().messages[groupId]?.items.map((m) => m.text)).toEqual(['missed in the group']);
      expect(useChat.getState().conversations[groupId]).toMatchObject({ lastSeq: 32, unread: 31 });
    } finally {
      client.close();
    }
  });
});
