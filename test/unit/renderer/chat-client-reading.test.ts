// @vitest-environment jsdom
/**
 * ChatClient against a real chat server: read marks go out only while the conversation is on
 * screen, and only up to what its message list shows (here reported by hand, as MessageList
 * does), and people the client cannot name (former members) are asked for with users:get.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AuthResult } from '../../../protocol';
import { startChatServer, type RunningChatServer } from '../../../server/chat-server';
import { ChatClient } from '../../../renderer/src/client/chat-client';
import { displayNameOf } from '../../../renderer/src/store/chat-state';
import { useChat } from '../../../renderer/src/store/chat-store';
import { useUi } from '../../../renderer/src/store/ui-store';
import { openConversation } from '../../../renderer/src/ui/open-conversation';
import { call, connectClient, recordEvents, type ChatClient as Socket } from '../../integration/helpers/sockets';
import { until } from './helpers/chat-pair';

let server: RunningChatServer;
let dataDir: string;
const sockets: Socket[] = [];

async function register(username: string, displayName = username): Promise<AuthResult> {
  const response = await fetch(`${server.url}/api/v1/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'password123', displayName }),
  });
  return (await response.json()) as AuthResult;
}

async function socketOf(user: AuthResult): Promise<Socket> {
  const socket = await connectClient(server.url, user.token, { transports: ['websocket'] });
  sockets.push(socket);
  return socket;
}

async function contacts(a: Socket, b: Socket, bId: string): Promise<string> {
  const { request } = await call(a, 'contacts:request', { userId: bId });
  const answer = await call(b, 'contacts:respond', { requestId: request.id, accept: true });
  if (answer.conversation === undefined) throw new Error('no conversation');
  return answer.conversation.id;
}

function signIn(user: AuthResult): ChatClient {
  return new ChatClient(server.url, user.token, user.user, () => {
    throw new Error('unexpected sign-out');
  });
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'wanglai-renderer-reading-'));
  server = await startChatServer({ host: '127.0.0.1', port: 0, dataDir, adminToken: 'admin', scryptCost: { N: 1024, r: 8, p: 1 } });
});

afterEach(() => {
  vi.restoreAllMocks();
  useUi.setState({ view: 'chats' });
});

afterAll(async () => {
  for (const socket of sockets) socket.close();
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('read marks', () => {
  it('are not sent while the Contacts screen hides the open chat; going back to the chat sends them', async () => {
    const ann = await register('ann_reads');
    const bo = await register('bo_reads');
    const annSocket = await socketOf(ann);
    const boSocket = await socketOf(bo);
    const conversationId = await contacts(annSocket, boSocket, bo.user.id);
    vi.spyOn(document, 'hasFocus').mockReturnValue(true);
    const reads = recordEvents(annSocket, 'read');
    const client = signIn(bo);
    try {
      await until(() => useChat.getState().connection === 'online', 'the connection');
      useUi.setState({ view: 'chats' });
      await client.setActive(conversationId);
      useChat.setState({ activeConversationId: conversationId });
      client.reportListView(conversationId, { seenSeq: 0, atBottom: true });
      useUi.setState({ view: 'contacts' });

      for (const text of ['one', 'two', 'three']) await call(annSocket, 'messages:send', { conversationId, clientId: `ann-${text}-0001`, text });
      await until(() => useChat.getState().conversations[conversationId]?.unread === 3, 'three unread messages');
      // A reply from the server to something else proves every read Bo sent has arrived by now.
      await call(boSocket, 'conversations:list', {});
      expect(reads.filter((r) => r.userId === bo.user.id && r.seq > 0)).toEqual([]);
      const listed = await call(annSocket, 'conversations:list', {});
      expect(listed.conversations.find((c) => c.id === conversationId)?.members.find((m) => m.user.id === bo.user.id)?.readSeq ?? 0).toBeLessThan(3);

      useUi.setState({ view: 'chats' });
      await until(() => reads.some((r) => r.userId === bo.user.id && r.seq === 3), 'the read mark');
      expect(useChat.getState().conversations[conversationId]?.unread).toBe(0);
    } finally {
      client.close();
    }
  });

  it('are not sent for the chat open before when another is opened from the Contacts screen', async () => {
    const ann = await register('ann_switch');
    const bo = await register('bo_switch');
    const cy = await register('cy_switch');
    const annSocket = await socketOf(ann);
    const boSocket = await socketOf(bo);
    const cySocket = await socketOf(cy);
    const withAnn = await contacts(annSocket, boSocket, bo.user.id);
    const withCy = await contacts(cySocket, boSocket, bo.user.id);
    vi.spyOn(document, 'hasFocus').mockReturnValue(true);
    const reads = recordEvents(annSocket, 'read');
    const client = signIn(bo);
    const sent = vi.spyOn(client, 'request');
    try {
      await until(() => useChat.getState().connection === 'online', 'the connection');
      useUi.setState({ view: 'chats' });
      openConversation(withAnn);
      await client.setActive(withAnn);
      client.reportListView(withAnn, { seenSeq: 0, atBottom: true });
      useUi.setState({ view: 'contacts' });

      await call(annSocket, 'messages:send', { conversationId: withAnn, clientId: 'ann-switch-0001', text: 'while on Contacts' });
      await until(() => useChat.getState().conversations[withAnn]?.unread === 1, 'one unread message');

      openConversation(withCy);
      await client.setActive(withCy);
      await new Promise((resolve) => setTimeout(resolve, 50));
      await call(boSocket, 'conversations:list', {});
      expect(useChat.getState().activeConversationId).toBe(withCy);
      expect(useChat.getState().conversations[withAnn]?.unread).toBe(1);
      expect(reads.filter((r) => r.userId === bo.user.id && r.conversationId === withAnn && r.seq > 0)).toEqual([]);
      const readsSent = sent.mock.calls.filter(([event, payload]) => event === 'messages:read' && (payload as { conversationId: string }).conversationId === withAnn);
      expect(readsSent).toEqual([]);
    } finally {
      client.close();
    }
  });

  it('are not sent while the window is hidden', async () => {
    const cy = await register('cy_hidden');
    const di = await register('di_hidden');
    const cySocket = await socketOf(cy);
    const diSocket = await socketOf(di);
    const conversationId = await contacts(cySocket, diSocket, di.user.id);
    vi.spyOn(document, 'hasFocus').mockReturnValue(true);
    const hidden = vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
    const reads = recordEvents(cySocket, 'read');
    const client = signIn(di);
    try {
      await until(() => useChat.getState().connection === 'online', 'the connection');
      useChat.setState({ activeConversationId: conversationId });
      await client.setActive(conversationId);
      client.reportListView(conversationId, { seenSeq: 0, atBottom: true });
      await call(cySocket, 'messages:send', { conversationId, clientId: 'cy-hidden-0001', text: 'while hidden' });
      await until(() => useChat.getState().conversations[conversationId]?.unread === 1, 'one unread message');
      await call(diSocket, 'conversations:list', {});
      expect(reads.filter((r) => r.userId === di.user.id)).toEqual([]);

      hidden.mockReturnValue('visible');
      document.dispatchEvent(new Event('visibilitychange'));
      await until(() => reads.some((r) => r.userId === di.user.id && r.seq === 1), 'the read mark');
    } finally {
      client.close();
    }
  });
});

describe('read marks follow what the message list shows', () => {
  it('scrolled up, a new message stays unread until the list shows it; at the bottom one is read at once', async () => {
    const ann = await register('ann_seen');
    const bo = await register('bo_seen');
    const annSocket = await socketOf(ann);
    const boSocket = await socketOf(bo);
    const conversationId = await contacts(annSocket, boSocket, bo.user.id);
    for (const text of ['one', 'two', 'three']) await call(annSocket, 'messages:send', { conversationId, clientId: `ann-seen-${text}-01`, text });
    vi.spyOn(document, 'hasFocus').mockReturnValue(true);
    const reads = recordEvents(annSocket, 'read');
    const client = signIn(bo);
    const sent = vi.spyOn(client, 'request');
    const readsSent = (): number[] => sent.mock.calls.filter(([event]) => event === 'messages:read').map(([, payload]) => (payload as { seq: number }).seq);
    const unread = (): number | undefined => useChat.getState().conversations[conversationId]?.unread;
    try {
      await until(() => useChat.getState().connection === 'online', 'the connection');
      openConversation(conversationId);
      await client.setActive(conversationId);
      // Opened, but no list has shown anything yet: nothing is read.
      expect(readsSent()).toEqual([]);
      expect(unread()).toBe(3);

      // The list shows messages up to the second, scrolled up from the bottom.
      client.reportListView(conversationId, { seenSeq: 2, atBottom: false });
      expect(unread()).toBe(1);
      await until(() => reads.some((r) => r.userId === bo.user.id && r.seq === 2), 'the read mark at 2');

      await call(annSocket, 'messages:send', { conversationId, clientId: 'ann-seen-four-01', text: 'four' });
      await until(() => useChat.getState().conversations[conversationId]?.lastSeq === 4, 'the fourth message');
      await call(boSocket, 'conversations:list', {});
      expect(unread()).toBe(2);
      expect(Math.max(...readsSent())).toBe(2);

      // Scrolled down to the bottom: everything shown, read; what arrives then is read at once.
      client.reportListView(conversationId, { seenSeq: 4, atBottom: true });
      expect(unread()).toBe(0);
      await call(annSocket, 'messages:send', { conversationId, clientId: 'ann-seen-five-01', text: 'five' });
      await until(() => reads.some((r) => r.userId === bo.user.id && r.seq === 5), 'the read mark at 5');
      expect(unread()).toBe(0);

      // The list is gone (another screen): a new message is not read.
      client.reportListView(conversationId, undefined);
      await call(annSocket, 'messages:send', { conversationId, clientId: 'ann-seen-six-001', text: 'six' });
      await until(() => unread() === 1, 'the sixth message unread');
      client.markActiveRead();
      expect(unread()).toBe(1);
    } finally {
      client.close();
    }
  });
});

describe('people the client cannot name', () => {
  it('are asked for with users:get, each id once, and then named in the history', async () => {
    const owner = await register('owner', 'Owner');
    const gone = await register('gone', 'Gone Member');
    const also = await register('also', 'Also Gone');
    const newcomer = await register('newcomer', 'Newcomer');
    const ownerSocket = await socketOf(owner);
    const goneSocket = await socketOf(gone);
    const alsoSocket = await socketOf(also);
    const newSocket = await socketOf(newcomer);
    await contacts(ownerSocket, goneSocket, gone.user.id);
    await contacts(ownerSocket, alsoSocket, also.user.id);
    await contacts(ownerSocket, newSocket, newcomer.user.id);
    const { conversation } = await call(ownerSocket, 'groups:create', { title: 'Tea', memberIds: [gone.user.id, also.user.id] });
    await call(ownerSocket, 'groups:addMembers', { conversationId: conversation.id, userIds: [newcomer.user.id] });
    await call(goneSocket, 'messages:send', { conversationId: conversation.id, clientId: 'gone-0000001', text: 'bye all' });
    await call(goneSocket, 'groups:leave', { conversationId: conversation.id });
    await call(ownerSocket, 'groups:removeMember', { conversationId: conversation.id, userId: also.user.id });

    // The newcomer never met either of them: not a contact, no longer members.
    const client = signIn(newcomer);
    const asked = vi.spyOn(client, 'request');
    try {
      await until(() => useChat.getState().connection === 'online', 'the connection');
      useChat.setState({ activeConversationId: conversation.id });
      await client.setActive(conversation.id);
      await until(() => displayNameOf(useChat.getState(), gone.user.id, conversation.id) === 'Gone Member', 'the former member named');
      expect(displayNameOf(useChat.getState(), also.user.id, conversation.id)).toBe('Also Gone');
      await client.loadOlder(conversation.id);
      await client.setActive(conversation.id);
      // However many pages and renders: each unknown id once, and only those.
      const askedIds = asked.mock.calls.filter(([event]) => event === 'users:get').flatMap(([, payload]) => (payload as { userIds: string[] }).userIds);
      expect(askedIds.sort()).toEqual([gone.user.id, also.user.id].sort());
    } finally {
      client.close();
    }
  });
});
