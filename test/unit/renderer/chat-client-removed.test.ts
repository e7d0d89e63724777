// @vitest-environment jsdom
/**
 * ChatClient against a real chat server: a message written offline into a group the user is
 * removed from before it goes out ends failed as not_member, with its text and the group's name,
 * in the outbox and in storage (QA's bench/data/audit-ui/s13-removed-pending.ts found it dropped).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation, Message } from '../../../protocol';
import { loadOutbox } from '../../../renderer/src/client/outbox-storage';
import { useChat } from '../../../renderer/src/store/chat-store';
import { startChatPair, until, type ChatPair } from './helpers/chat-pair';

let pair: ChatPair;

beforeAll(async () => {
  pair = await startChatPair();
});

afterAll(async () => {
  await pair.close();
});

async function groupWithAlice(title: string): Promise<Conversation> {
  const created = (await pair.bobSocket.emitWithAck('groups:create', { title, memberIds: [pair.alice.user.id] })) as { ok: boolean; conversation: Conversation };
  if (!created.ok) throw new Error('no group');
  return created.conversation;
}

async function removeAlice(conversationId: string): Promise<void> {
  const answer = (await pair.bobSocket.emitWithAck('groups:removeMember', { conversationId, userId: pair.alice.user.id })) as { ok: boolean };
  if (!answer.ok) throw new Error('not removed');
}

describe('a message written offline into a group the user is removed from meanwhile', () => {
  it('is kept failed as not_member with the group’s title, not dropped, when the reconnect finds the group gone', async () => {
    const club = await groupWithAlice('Club');
    const client = pair.aliceClient();
    try {
      await until(() => useChat.getState().conversations[club.id] !== undefined, 'the group');
      await client.setActive(club.id);
      await until(() => useChat.getState().messages[club.id]?.loaded === true, 'the group’s history');

      client.socket.disconnect();
      client.sendText(club.id, 'my important reply written offline');
      const clientId = useChat.getState().outbox[0]?.clientId;
      await removeAlice(club.id);
      client.socket.connect();

      await until(() => useChat.getState().connection === 'online', 'the reconnect');
      const state = useChat.getState();
      expect(state.conversations[club.id]).toBeUndefined();
      expect(state.lastRemoved).toEqual({ conversationId: club.id, title: 'Club' });
      const kept = { clientId, conversationId: club.id, conversationTitle: 'Club', text: 'my important reply written offline', state: 'failed', error: 'not_member' };
      expect(state.outbox).toMatchObject([kept]);
      expect(loadOutbox(pair.alice.user.id)).toMatchObject([kept]);
    } finally {
      client.close();
      localStorage.clear();
    }
  });

  it('added back to the group, the message is offered again (failed, no stale reason) and Retry stores it', async () => {
    const club = await groupWithAlice('Back again');
    const client = pair.aliceClient();
    try {
      await until(() => useChat.getState().conversations[club.id] !== undefined, 'the group');
      client.socket.disconnect();
      client.sendText(club.id, 'written while away');
      const clientId = useChat.getState().outbox[0]?.clientId ?? '';
      await removeAlice(club.id);
      client.socket.connect();
      await until(() => useChat.getState().outbox[0]?.error === 'not_member', 'the refusal');

      const added = (await pair.bobSocket.emitWithAck('groups:addMembers', { conversationId: club.id, userIds: [pair.alice.user.id] })) as { ok: boolean };
      expect(added.ok).toBe(true);
      await until(() => useChat.getState().conversations[club.id] !== undefined, 'the group back in the list');
      expect(useChat.getState().outbox).toMatchObject([{ clientId, state: 'failed', text: 'written while away' }]);
      expect(useChat.getState().outbox[0]).not.toHaveProperty('error');

      const stored = new Promise<Message>((resolve) => pair.bobSocket.on('message:new', (m: Message) => m.clientId === clientId && resolve(m)));
      client.retry(clientId);
      expect((await stored).text).toBe('written while away');
      await until(() => useChat.getState().outbox.length === 0, 'the outbox emptied');
    } finally {
      client.close();
      localStorage.clear();
    }
  });

  it('ends failed as not_member when the app starts again after the removal, its title kept from when it was written', async () => {
    const second = await groupWithAlice('Second');
    const unsent = { clientId: 'written-before-closing', conversationId: second.id, conversationTitle: 'Second', text: 'still to go', createdAt: Date.now(), state: 'pending' };
    localStorage.setItem(`wanglai.outbox.${pair.alice.user.id}`, JSON.stringify([unsent]));
    await removeAlice(second.id);
    const client = pair.aliceClient();
    try {
      await until(() => useChat.getState().outbox[0]?.state === 'failed', 'the server’s answer');
      expect(useChat.getState().outbox).toEqual([{ ...unsent, state: 'failed', error: 'not_member' }]);
    } finally {
      client.close();
      localStorage.clear();
    }
  });
});
