import { describe, expect, it } from 'vitest';
import type { Conversation, Message, User } from '../../../protocol';
import {
  activityTime,
  applyContactRequest,
  applyContactsUpdated,
  displayNameOf,
  setContactsList,
  unknownUserIds,
  applyHistory,
  applyMessageUpdated,
  applyMessages,
  applyReadMark,
  applyRefreshedMessages,
  applyTyping,
  discardPending,
  emptyChatState,
  enqueueOutgoing,
  markRead,
  mergeMessages,
  pendingPreviewRanges,
  readCount,
  removeConversation,
  setConversations,
  setPendingState,
  sinceParts,
  sortedConversations,
  syncSince,
  totalUnread,
  typingUsers,
  unsendableMessages,
  upsertConversation,
  type ChatState,
  type PendingMessage,
} from '../../../renderer/src/store/chat-state';

const me: User = { id: 'u-me', username: 'me', displayName: 'Me' };
const bob: User = { id: 'u-bob', username: 'bob', displayName: 'Bob' };
const carol: User = { id: 'u-carol', username: 'carol', displayName: 'Carol' };

function message(seq: number, senderId = bob.id, conversationId = 'c1', extra: Partial<Message> = {}): Message {
  return { id: `${conversationId}-m${seq}`, conversationId, seq, senderId, clientId: `client-${conversationId}-${seq}`, kind: 'text', text: `text ${seq}`, createdAt: 1_000 + seq, ...extra };
}

function conversation(id: string, extra: Partial<Conversation> = {}): Conversation {
  return {
    id,
    kind: 'group',
    title: id,
    members: [
      { user: me, role: 'owner', joinedAt: 1 },
      { user: bob, role: 'member', joinedAt: 1 },
      { user: carol, role: 'member', joinedAt: 1 },
    ],
    lastSeq: 0,
    readSeq: 0,
    unread: 0,
    createdAt: 1,
    ...extra,
  };
}

function stateWith(...conversations: Conversation[]): ChatState {
  return setConversations({ ...emptyChatState(), me }, conversations);
}

describe('mergeMessages', () => {
  it('keeps one entry per id, ascending by seq, whatever order pages arrive in', () => {
    const merged = mergeMessages([message(3), message(4)], [message(1), message(4), message(2), message(3)]);
    expect(merged.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    expect(new Set(merged.map((m) => m.id)).size).toBe(4);
  });

  it('replaces a message seen again with the newer copy', () => {
    const updated = message(2, bob.id, 'c1', { text: 'edited' });
    expect(mergeMessages([message(1), message(2)], [updated])[1]?.text).toBe('edited');
  });

  it('appends 10k messages to a 100k log without losing order', () => {
    const log = Array.from({ length: 100_000 }, (_, i) => message(i + 1));
    const more = Array.from({ length: 10_000 }, (_, i) => message(100_001 + i));
    const merged = mergeMessages(log, more);
    expect(merged).toHaveLength(110_000);
    expect(merged[109_999]?.seq).toBe(110_000);
  });
});

describe('applyMessages', () => {
  it('counts unread as the server does, what lies after the read mark, each message once; and moves the last message', () => {
    let state = stateWith(conversation('c1'));
    state = applyMessages(state, [message(1), message(2, me.id)]);
    state = applyMessages(state, [message(3), message(3)]);
    const c = state.conversations.c1;
    // The user's own message 2 moved the mark past Bob's message 1.
    expect(c).toMatchObject({ unread: 1, readSeq: 2, lastSeq: 3 });
    expect(c?.lastMessage?.id).toBe('c1-m3');
    expect(state.messages.c1?.items.map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it('clears the unread count when the user writes into the chat, from this window or another device, as conversations:list then says', () => {
    const twoUnread = { lastSeq: 2, readSeq: 0, unread: 2, lastMessage: message(2) };
    let state = stateWith(conversation('c1', twoUnread), conversation('g1', { ...twoUnread, lastMessage: message(2, bob.id, 'g1') }));
    state = applyMessages(state, [message(3, me.id)]);
    expect(state.conversations.c1).toMatchObject({ unread: 0, readSeq: 3, lastSeq: 3 });
    // The system message of a group change the user made moves the mark as well (server/chat/groups.ts).
    state = applyMessages(state, [message(3, me.id, 'g1', { kind: 'system', text: '', system: { event: 'renamed', actorId: me.id, targetIds: [], detail: 'Tea' } })]);
    expect(state.conversations.g1).toMatchObject({ unread: 0, readSeq: 3 });
    state = applyMessages(state, [message(4)]);
    expect(state.conversations.c1).toMatchObject({ unread: 1, readSeq: 3, lastSeq: 4 });
  });

  it('lets the user’s own message move the mark even when it arrives after a later one', () => {
    let state = stateWith(conversation('c1', { lastSeq: 3, readSeq: 0, unread: 3 }));
    // Bob's message 5 is delivered before the answer to the user's own send, stored as 4.
    state = applyMessages(state, [message(5)]);
    state = applyMessages(state, [message(4, me.id)]);
    expect(state.conversations.c1).toMatchObject({ unread: 1, readSeq: 4, lastSeq: 5 });
    expect(state.conversations.c1?.lastMessage?.id).toBe('c1-m5');
  });

  it('settles the pending send with the same clientId, so it is never shown twice', () => {
    let state = stateWith(conversation('c1'));
    state = enqueueOutgoing(state, { clientId: 'client-c1-5', conversationId: 'c1', text: 'hi', createdAt: 1, state: 'pending' });
    state = enqueueOutgoing(state, { clientId: 'other-client', conversationId: 'c1', text: 'later', createdAt: 2, state: 'pending' });
    state = applyMessages(state, [message(5, me.id)]);
    expect(state.outbox.map((p) => p.clientId)).toEqual(['other-client']);
  });

  it('does not settle a pending send when someone else uses the same clientId', () => {
    let state = stateWith(conversation('c1'));
    state = enqueueOutgoing(state, { clientId: 'client-c1-5', conversationId: 'c1', text: 'hi', createdAt: 1, state: 'pending' });
    state = applyMessages(state, [message(5, bob.id)]);
    expect(state.outbox).toHaveLength(1);
  });
});

describe('conversations', () => {
  it('sorts by last activity, most recent first', () => {
    const state = stateWith(
      conversation('old', { createdAt: 5 }),
      conversation('busy', { lastMessage: message(9, bob.id, 'busy'), lastSeq: 9 }),
      conversation('new', { createdAt: 2_000 }),
    );
    expect(sortedConversations(state.conversations).map((c) => c.id)).toEqual(['new', 'busy', 'old']);
  });

  it('sorts by the time each item shows, which is that of a message still pending in the outbox', () => {
    let state = stateWith(
      conversation('earlier', { lastMessage: message(5, bob.id, 'earlier'), lastSeq: 5 }),
      conversation('later', { lastMessage: message(9, bob.id, 'later'), lastSeq: 9 }),
    );
    state = enqueueOutgoing(state, { clientId: 'offline-reply', conversationId: 'earlier', text: 'on my way', createdAt: 5_000, state: 'pending' });
    expect(sortedConversations(state.conversations, state.outbox).map((c) => c.id)).toEqual(['earlier', 'later']);
    const earlier = state.conversations.earlier;
    if (earlier === undefined) throw new Error('no conversation');
    expect(activityTime(earlier, state.outbox[0])).toBe(5_000);
  });

  it('an older snapshot does not move unread or lastSeq backwards', () => {
    let state = stateWith(conversation('c1'));
    state = applyMessages(state, [message(1), message(2)]);
    state = upsertConversation(state, conversation('c1', { title: 'Renamed', lastSeq: 1, unread: 1 }));
    expect(state.conversations.c1).toMatchObject({ title: 'Renamed', lastSeq: 2, unread: 2 });
  });

  it('a read mark leaves what lies after it unread, and never moves backwards', () => {
    let state = stateWith(conversation('c1'));
    state = applyMessages(state, [message(1), message(2), message(3)]);
    // Another device read up to message 1.
    state = applyReadMark(state, 'c1', me.id, 1);
    expect(state.conversations.c1).toMatchObject({ unread: 2, readSeq: 1 });
    state = markRead(state, 'c1', 3);
    state = applyMessages(state, [message(4)]);
    expect(state.conversations.c1).toMatchObject({ unread: 1, readSeq: 3 });
    // A late echo of an older mark changes nothing.
    const late = applyReadMark(state, 'c1', me.id, 2);
    expect(late).toBe(state);
    expect(markRead(state, 'c1', 1).conversations.c1).toMatchObject({ unread: 1, readSeq: 3 });
  });

  it('a conversation snapshot taken before the user’s newer read mark does not move it back', () => {
    let state = stateWith(conversation('c1', { lastSeq: 3, readSeq: 0, unread: 3 }));
    state = markRead(state, 'c1', 3);
    // Renamed by Bob (message 4) before the server had the user's mark: it says readSeq 0, 4 unread.
    state = upsertConversation(state, conversation('c1', { title: 'Renamed', lastSeq: 4, readSeq: 0, unread: 4 }));
    expect(state.conversations.c1).toMatchObject({ title: 'Renamed', lastSeq: 4, readSeq: 3, unread: 1 });
  });

  it('marking read clears unread; total unread sums the rest', () => {
    let state = stateWith(conversation('a'), conversation('b'));
    state = applyMessages(state, [message(1, bob.id, 'a'), message(1, bob.id, 'b'), message(2, bob.id, 'b')]);
    expect(totalUnread(state)).toBe(3);
    state = markRead(state, 'b', 2);
    expect(totalUnread(state)).toBe(1);
    expect(state.conversations.b?.readSeq).toBe(2);
  });

  it('removing a conversation drops its log and the selection, and keeps its unsent messages, failed as not_member, with its title', () => {
    let state: ChatState = { ...stateWith(conversation('c1', { title: 'Club' }), conversation('c2')), activeConversationId: 'c1' };
    state = applyMessages(state, [message(1)]);
    state = enqueueOutgoing(state, { clientId: 'p1-abcdefgh', conversationId: 'c1', text: 'written offline', createdAt: 1, state: 'pending' });
    state = enqueueOutgoing(state, { clientId: 'p2-abcdefgh', conversationId: 'c2', text: 'elsewhere', createdAt: 2, state: 'pending' });
    state = removeConversation(state, 'c1');
    expect(state.conversations.c1).toBeUndefined();
    expect(state.messages.c1).toBeUndefined();
    expect(state.activeConversationId).toBeNull();
    expect(state.outbox).toEqual([
      { clientId: 'p1-abcdefgh', conversationId: 'c1', conversationTitle: 'Club', text: 'written offline', createdAt: 1, state: 'failed', error: 'not_member' },
      { clientId: 'p2-abcdefgh', conversationId: 'c2', conversationTitle: 'c2', text: 'elsewhere', createdAt: 2, state: 'pending' },
    ]);
  });

  it('lists as unsendable the failed messages whose conversation is gone, until the user discards them', () => {
    let state = stateWith(conversation('c1', { title: 'Club' }), conversation('c2'));
    const pending = (clientId: string, conversationId: string): PendingMessage => ({ clientId, conversationId, text: clientId, createdAt: 1, state: 'pending' });
    state = enqueueOutgoing(state, pending('lost-in-club', 'c1'));
    state = enqueueOutgoing(state, pending('failed-in-c2', 'c2'));
    state = setPendingState(state, 'failed-in-c2', 'failed', 'rate_limited');
    // Not in the list after a reload (removed while the app was closed): still being answered for.
    state = enqueueOutgoing(state, pending('sent-after-reload', 'gone'));
    state = removeConversation(state, 'c1');
    const ids = (list: readonly PendingMessage[]): string[] => list.map((p) => p.clientId);
    expect(ids(unsendableMessages(state.outbox, state.conversations))).toEqual(['lost-in-club']);
    state = setPendingState(state, 'sent-after-reload', 'failed', 'not_member');
    expect(ids(unsendableMessages(state.outbox, state.conversations))).toEqual(['lost-in-club', 'sent-after-reload']);
    state = discardPending(state, 'lost-in-club');
    expect(ids(state.outbox)).toEqual(['failed-in-c2', 'sent-after-reload']);
    expect(discardPending(state, 'lost-in-club')).toBe(state);
  });
});

describe('the notice of a lost group', () => {
  it('names the open group the user was removed from; not a group in the background, nor one the user left', () => {
    const open: ChatState = { ...stateWith(conversation('c1', { title: 'Tea lovers' }), conversation('c2')), activeConversationId: 'c1' };
    expect(removeConversation(open, 'c1').lastRemoved).toEqual({ conversationId: 'c1', title: 'Tea lovers' });
    expect(removeConversation(open, 'c2').lastRemoved).toBeNull();
    const left = removeConversation({ ...open, leavingConversationId: 'c1' }, 'c1');
    expect(left.lastRemoved).toBeNull();
    expect(left.leavingConversationId).toBeNull();
    // The server's conversation:removed and the leave's answer both remove it: still no notice.
    expect(removeConversation(left, 'c1').lastRemoved).toBeNull();
  });

  it('a conversation list without the open group (removed while this client heard nothing) says so, and keeps its unsent text as not sent', () => {
    let state: ChatState = { ...stateWith(conversation('c1', { title: 'Tea lovers' }), conversation('c2', { lastSeq: 3 })), activeConversationId: 'c1' };
    state = enqueueOutgoing(state, { clientId: 'p1-abcdefgh', conversationId: 'c1', text: 'written offline', createdAt: 1, state: 'pending' });
    state = setConversations(state, [conversation('c2', { lastSeq: 4 })]);
    expect(Object.keys(state.conversations)).toEqual(['c2']);
    expect(state.conversations.c2?.lastSeq).toBe(4);
    expect(state.activeConversationId).toBeNull();
    expect(state.lastRemoved).toEqual({ conversationId: 'c1', title: 'Tea lovers' });
    expect(state.outbox).toEqual([{ clientId: 'p1-abcdefgh', conversationId: 'c1', conversationTitle: 'Tea lovers', text: 'written offline', createdAt: 1, state: 'failed', error: 'not_member' }]);
  });

  it('goes once the user is added back to that group, by conversation:updated or by a list that holds it again; another group coming back leaves it', () => {
    const removed = removeConversation({ ...stateWith(conversation('c1', { title: 'Tea lovers' }), conversation('c2')), activeConversationId: 'c1' }, 'c1');
    expect(removed.lastRemoved).not.toBeNull();
    expect(upsertConversation(removed, conversation('c3')).lastRemoved).toEqual({ conversationId: 'c1', title: 'Tea lovers' });
    expect(upsertConversation(removed, conversation('c2', { title: 'renamed' })).lastRemoved).not.toBeNull();
    expect(upsertConversation(removed, conversation('c1', { title: 'Tea lovers' })).lastRemoved).toBeNull();
    expect(setConversations(removed, [conversation('c2')]).lastRemoved).not.toBeNull();
    expect(setConversations(removed, [conversation('c1'), conversation('c2')]).lastRemoved).toBeNull();
  });

  it('a list asked for before an event is not put over it: a group created or renamed meanwhile stays as the event left it', () => {
    let state = stateWith(conversation('c1', { title: 'Old name' }));
    state = upsertConversation(state, conversation('c1', { title: 'New name' }));
    state = upsertConversation(state, conversation('c-new', { title: 'Just created' }));
    state = setConversations(state, [conversation('c1', { title: 'Old name' })], new Set(['c1', 'c-new']));
    expect(state.conversations.c1?.title).toBe('New name');
    expect(state.conversations['c-new']?.title).toBe('Just created');
  });

  it('added back to the group, its unsent messages are offered again: failed, with Retry, without the stale reason', () => {
    let state: ChatState = { ...stateWith(conversation('c1', { title: 'Club' })), activeConversationId: 'c1' };
    state = enqueueOutgoing(state, { clientId: 'p1-abcdefgh', conversationId: 'c1', text: 'written offline', createdAt: 1, state: 'pending' });
    state = removeConversation(state, 'c1');
    expect(state.outbox[0]?.error).toBe('not_member');
    const readded = upsertConversation(state, conversation('c1', { title: 'Club' }));
    expect(readded.outbox).toEqual([{ clientId: 'p1-abcdefgh', conversationId: 'c1', conversationTitle: 'Club', text: 'written offline', createdAt: 1, state: 'failed' }]);
    expect(unsendableMessages(readded.outbox, readded.conversations)).toEqual([]);
    // The same when the list after a reconnect is where the group shows up again.
    expect(setConversations(state, [conversation('c1')]).outbox[0]).not.toHaveProperty('error');
  });
});

describe('history and sync', () => {
  it('a first page sets hasMore; an older page prepends', () => {
    let state = stateWith(conversation('c1'));
    state = applyHistory(state, 'c1', [message(51), message(52)], true, true);
    state = applyHistory(state, 'c1', [message(49), message(50)], false, false);
    const log = state.messages.c1;
    expect(log?.items.map((m) => m.seq)).toEqual([49, 50, 51, 52]);
    expect(log?.hasMore).toBe(false);
    expect(log?.loaded).toBe(true);
  });

  it('asks sync from the last seq held, and for a conversation holding none from its lastSeq, never from the join', () => {
    let state = stateWith(conversation('loaded'), conversation('unopened', { lastSeq: 40 }), conversation('live', { lastSeq: 5 }), conversation('empty', { lastSeq: 3 }));
    state = applyHistory(state, 'loaded', [message(7, bob.id, 'loaded')], false, true);
    // A fresh conversation list may already report a later lastSeq than the messages held.
    state = upsertConversation(state, conversation('loaded', { lastSeq: 12 }));
    state = applyMessages(state, [message(6, bob.id, 'live')]);
    state = upsertConversation(state, conversation('live', { lastSeq: 9 }));
    // Opened, and nothing in it this member may see: from its join.
    state = applyHistory(state, 'empty', [], false, true);
    expect(syncSince(state)).toEqual({ loaded: 7, unopened: 40, live: 6, empty: 0 });
  });

  it('splits the marks of thousands of conversations into parts that each fit one frame', () => {
    const since: Record<string, number> = {};
    for (let i = 0; i < 3000; i++) since[`${i.toString(16).padStart(8, '0')}-0000-4000-8000-${'会'.repeat(i % 3)}${'0'.repeat(12)}`] = i * 1000;
    const parts = sinceParts(since, 48 * 1024);
    expect(parts.length).toBeGreaterThan(2);
    for (const part of parts) expect(new TextEncoder().encode(JSON.stringify(part)).length).toBeLessThanOrEqual(48 * 1024);
    expect(Object.assign({}, ...parts)).toEqual(since);
    expect(sinceParts({}, 1024)).toEqual([]);
  });

  it('after a reconnect, reads again the newest held messages whose previews are still pending', () => {
    const pending = { links: [{ url: 'https://a.example/', state: 'pending' as const }] };
    const settled = { links: [{ url: 'https://a.example/', state: 'verified' as const }] };
    let state = stateWith(conversation('c1'), conversation('c2'), conversation('c3'));
    state = applyHistory(state, 'c1', [message(3, bob.id, 'c1', pending), message(4), message(5, bob.id, 'c1', pending), message(6)], false, true);
    state = applyHistory(state, 'c2', [message(1, bob.id, 'c2', settled)], false, true);
    state = applyHistory(state, 'c3', [message(1, bob.id, 'c3', pending), message(150, bob.id, 'c3', pending), message(200, bob.id, 'c3', pending)], false, true);
    expect(pendingPreviewRanges(state, 100)).toEqual(
      new Map([
        ['c1', { oldest: 3, newest: 5 }],
        // Only the newest 100 seqs: seq 1 is left alone.
        ['c3', { oldest: 150, newest: 200 }],
      ]),
    );
  });

  it('a message read again replaces the held one and the list preview, and adds nothing', () => {
    const pending = { links: [{ url: 'https://a.example/', state: 'pending' as const }] };
    let state = stateWith(conversation('c1'));
    state = applyHistory(state, 'c1', [message(4), message(5, bob.id, 'c1', pending)], true, true);
    const fresh = message(5, bob.id, 'c1', { links: [{ url: 'https://a.example/', state: 'blocked', reason: 'phishing' }] });
    const before = applyMessages(state, [message(5, bob.id, 'c1', pending)]);
    const after = applyRefreshedMessages(before, 'c1', [message(3), message(4), fresh]);
    expect(after.messages.c1?.items.map((m) => [m.seq, m.links?.[0]?.state])).toEqual([
      [4, undefined],
      [5, 'blocked'],
    ]);
    expect(after.messages.c1?.hasMore).toBe(true);
    expect(after.conversations.c1?.lastMessage?.links?.[0]?.state).toBe('blocked');
    expect(applyRefreshedMessages(after, 'unknown', [fresh])).toBe(after);
  });
});

describe('links, reads, typing, requests', () => {
  it('message:updated replaces the previews of that message and of the list preview', () => {
    let state = stateWith(conversation('c1'));
    state = applyMessages(state, [message(1, bob.id, 'c1', { links: [{ url: 'https://a.example/', state: 'pending' }] })]);
    state = applyMessageUpdated(state, 'c1', 'c1-m1', [{ url: 'https://a.example/', state: 'blocked', reason: 'phishing' }]);
    expect(state.messages.c1?.items[0]?.links?.[0]?.state).toBe('blocked');
    expect(state.conversations.c1?.lastMessage?.links?.[0]?.state).toBe('blocked');
  });

  it('counts readers other than the sender, and read marks never move backwards', () => {
    let state = stateWith(conversation('c1'));
    const mine = message(5, me.id);
    state = applyMessages(state, [mine]);
    state = applyReadMark(state, 'c1', bob.id, 6);
    state = applyReadMark(state, 'c1', bob.id, 2);
    expect(readCount(state, mine)).toBe(1);
    state = applyReadMark(state, 'c1', carol.id, 5);
    expect(readCount(state, mine)).toBe(2);
  });

  it('typing expires, and one’s own typing is ignored', () => {
    let state = stateWith(conversation('c1'));
    state = applyTyping(state, 'c1', bob.id, 0);
    state = applyTyping(state, 'c1', me.id, 0);
    expect(typingUsers(state, 'c1', 10)).toEqual([bob.id]);
    expect(typingUsers(state, 'c1', 60_000)).toEqual([]);
  });

  it('failed sends keep their clientId and can go back to pending', () => {
    let state = enqueueOutgoing(stateWith(conversation('c1')), { clientId: 'keep-this-id', conversationId: 'c1', text: 'x', createdAt: 1, state: 'pending' });
    state = setPendingState(state, 'keep-this-id', 'failed', 'rate_limited');
    expect(state.outbox[0]).toMatchObject({ clientId: 'keep-this-id', state: 'failed', error: 'rate_limited' });
    state = setPendingState(state, 'keep-this-id', 'pending');
    expect(state.outbox[0]).toEqual({ clientId: 'keep-this-id', conversationId: 'c1', conversationTitle: 'c1', text: 'x', createdAt: 1, state: 'pending' });
  });

  it('lists pending requests on the right side and drops settled ones', () => {
    let state = stateWith();
    const request = { id: 'r1', from: bob, to: me, status: 'pending' as const, createdAt: 1 };
    state = applyContactRequest(state, request);
    expect(state.incoming.map((r) => r.id)).toEqual(['r1']);
    state = applyContactRequest(state, { ...request, status: 'accepted' });
    expect(state.incoming).toEqual([]);
    state = applyContactRequest(state, { id: 'r2', from: me, to: carol, status: 'pending', createdAt: 2 });
    expect(state.outgoing.map((r) => r.id)).toEqual(['r2']);
  });
});

describe('the users cache', () => {
  it('names a former member from the cache without scanning every conversation', () => {
    let state = stateWith(conversation('g1'), conversation('other'));
    state = upsertConversation(state, conversation('g1', { members: [{ user: me, role: 'owner', joinedAt: 1 }], lastSeq: 2 }));
    let scanned = 0;
    const other = state.conversations.other;
    if (other === undefined) throw new Error('no conversation');
    const members = other.members;
    const watched = Object.defineProperty({ ...other }, 'members', {
      get: () => {
        scanned++;
        return members;
      },
    });
    state = { ...state, conversations: { ...state.conversations, other: watched } };
    expect(displayNameOf(state, carol.id, 'g1')).toBe('Carol');
    expect(scanned).toBe(0);
  });

  it('keeps naming a member after they left the group, and a contact after removal', () => {
    let state = stateWith(conversation('g1'));
    state = setContactsList(state, [{ user: bob, since: 1, online: false }], [], []);
    // Carol leaves: the group's member list no longer holds her.
    state = upsertConversation(state, conversation('g1', { members: [{ user: me, role: 'owner', joinedAt: 1 }], lastSeq: 2 }));
    state = applyContactsUpdated(state, { removedUserId: bob.id });
    expect(displayNameOf(state, carol.id, 'g1')).toBe('Carol');
    expect(displayNameOf(state, bob.id, 'g1')).toBe('Bob');
    const left = message(3, carol.id, 'g1', { kind: 'system', text: '', system: { event: 'member_left', actorId: carol.id, targetIds: [carol.id] } });
    const stranger = message(4, 'u-dan', 'g1', { kind: 'system', text: '', system: { event: 'member_added', actorId: 'u-dan', targetIds: ['u-eve', me.id] } });
    expect(unknownUserIds(state, [left, stranger]).sort()).toEqual(['u-dan', 'u-eve']);
  });

  it('takes a contact’s new merchant badge from contacts:updated (a suspension, a new name)', () => {
    const seller: User = { ...bob, merchant: { id: 'm1', name: 'Jade', verified: true } };
    let state = setContactsList(stateWith(conversation('g1')), [{ user: seller, since: 1, online: true }], [], []);
    expect(state.users[bob.id]?.merchant?.verified).toBe(true);
    const suspended: User = { ...bob, merchant: { id: 'm1', name: 'Jade Ltd', verified: false } };
    state = applyContactsUpdated(state, { contact: { user: suspended, since: 1, online: true } });
    expect(state.users[bob.id]?.merchant).toEqual({ id: 'm1', name: 'Jade Ltd', verified: false });
    expect(state.contacts[bob.id]?.user.merchant?.verified).toBe(false);
  });

  it('forgets the presence of a contact once removed, so no one keeps showing them online', () => {
    let state = setContactsList(stateWith(conversation('g1')), [{ user: bob, since: 1, online: true }], [], []);
    expect(state.presence[bob.id]).toBe(true);
    state = applyContactsUpdated(state, { removedUserId: bob.id });
    expect(state.presence[bob.id]).toBeUndefined();
  });

  it('says when the contact list is known, so that no one is called a former contact before', () => {
    expect(emptyChatState().contactsLoaded).toBe(false);
    expect(setContactsList(emptyChatState(), [], [], []).contactsLoaded).toBe(true);
  });
});
