/**
 * The client's view of the chat as plain data, and the pure functions that move it forward.
 * The zustand store only wires these to React; keeping them pure lets them be tested alone.
 */
import type {
  Contact,
  ContactRequest,
  ContactsUpdated,
  Conversation,
  ErrorCode,
  LinkPreview,
  Message,
  User,
} from '../../../protocol';

export type ConnectionState = 'idle' | 'connecting' | 'online' | 'reconnecting';

/** Errors the client itself can meet besides the protocol's codes. */
export type ClientErrorCode = ErrorCode | 'network' | 'timeout';

export interface PendingMessage {
  clientId: string;
  conversationId: string;
  text: string;
  createdAt: number;
  state: 'pending' | 'failed';
  error?: ClientErrorCode;
  /**
   * The conversation's title when the message was written, refreshed when the user stops being a
   * member: once the conversation is gone from the list, it is the only name the unsent text has.
   */
  conversationTitle?: string;
}

export interface MessageLog {
  /** Ascending by seq, one entry per id. */
  items: Message[];
  /** Whether older messages than items[0] exist on the server. */
  hasMore: boolean;
  /** Whether the newest page was fetched, so the log joins up with the present. */
  loaded: boolean;
}

export interface ChatState {
  me: User | null;
  conversations: Record<string, Conversation>;
  messages: Record<string, MessageLog>;
  outbox: PendingMessage[];
  contacts: Record<string, Contact>;
  incoming: ContactRequest[];
  outgoing: ContactRequest[];
  presence: Record<string, boolean>;
  /** conversationId → userId → time the indicator expires. */
  typing: Record<string, Record<string, number>>;
  /** conversationId → userId → highest seq that member has read. */
  readMarks: Record<string, Record<string, number>>;
  connection: ConnectionState;
  activeConversationId: string | null;
  /**
   * Every user this client has met, by id: members (also after they left), contacts, request
   * senders and addressees, search results and `users:get` answers. Names people who are no
   * longer members or contacts, such as former members in a group's history.
   */
  users: Record<string, User>;
  /** Whether the contact list was fetched: until then no one can be said not to be a contact. */
  contactsLoaded: boolean;
  /**
   * The open group this user stopped being a member of (removed by someone else, or found gone by a
   * sync), named as the client knew it: the empty chat pane says so until dismissed or another chat opens.
   */
  lastRemoved: { conversationId: string; title: string } | null;
  /** The group this client asked to leave: losing it is the user's own doing and needs no notice. */
  leavingConversationId: string | null;
}

export const TYPING_VISIBLE_MS = 5000;

export function emptyChatState(): ChatState {
  return {
    me: null,
    conversations: {},
    messages: {},
    outbox: [],
    contacts: {},
    incoming: [],
    outgoing: [],
    presence: {},
    typing: {},
    readMarks: {},
    connection: 'idle',
    activeConversationId: null,
    users: {},
    contactsLoaded: false,
    lastRemoved: null,
    leavingConversationId: null,
  };
}

/** The users cache with these users added or refreshed; the same object when nothing changed. */
/** A merchant badge's name or status changes as the verification service's answer does. */
function sameBadge(a: User['merchant'], b: User['merchant']): boolean {
  return a?.id === b?.id && a?.name === b?.name && a?.verified === b?.verified;
}

function withUsers(users: Record<string, User>, list: Iterable<User>): Record<string, User> {
  let next = users;
  for (const user of list) {
    const known = next[user.id];
    if (known !== undefined && known.displayName === user.displayName && known.username === user.username && sameBadge(known.merchant, user.merchant)) continue;
    if (next === users) next = { ...users };
    next[user.id] = user;
  }
  return next;
}

/** Remembers users met outside the lists the store keeps (search results, `users:get`). */
export function rememberUsers(state: ChatState, list: Iterable<User>): ChatState {
  const users = withUsers(state.users, list);
  return users === state.users ? state : { ...state, users };
}

function membersOf(conversations: Iterable<Conversation>): User[] {
  const list: User[] = [];
  for (const conversation of conversations) for (const member of conversation.members) list.push(member.user);
  return list;
}

const EMPTY_LOG: MessageLog = { items: [], hasMore: true, loaded: false };

export function messageLog(state: ChatState, conversationId: string): MessageLog {
  return state.messages[conversationId] ?? EMPTY_LOG;
}

/** First index whose seq is ≥ seq (binary search over an ascending log). */
function lowerBound(items: readonly Message[], seq: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const item = items[mid];
    if (item !== undefined && item.seq < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Merges messages into an ascending log. A message already present is replaced, never shown
 * twice: the server assigns each message its seq once, in the transaction that stores it, so
 * one seq is one id and the seq alone finds a duplicate in O(log n). Appending newer messages,
 * the common case, costs one copy of the log.
 */
export function mergeMessages(items: readonly Message[], incoming: readonly Message[]): Message[] {
  if (incoming.length === 0) return items as Message[];
  const sorted = [...incoming].sort((a, b) => a.seq - b.seq);
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  const oldest = items[0];
  const newest = items[items.length - 1];
  // The common cases, live messages after the log and a history page before it, need no search.
  if (first !== undefined && last !== undefined && (newest === undefined || first.seq > newest.seq) && strictlyAscending(sorted)) return items.concat(sorted);
  if (oldest !== undefined && last !== undefined && last.seq < oldest.seq && strictlyAscending(sorted)) return sorted.concat(items);
  const result = items.slice();
  for (const message of sorted) {
    const tail = result[result.length - 1];
    if (tail === undefined || tail.seq < message.seq) {
      result.push(message);
      continue;
    }
    const at = lowerBound(result, message.seq);
    const existing = result[at];
    if (existing !== undefined && (existing.seq === message.seq || existing.id === message.id)) {
      result[at] = message;
    } else {
      result.splice(at, 0, message);
    }
  }
  return result;
}

function strictlyAscending(sorted: readonly Message[]): boolean {
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1];
    const current = sorted[i];
    if (previous !== undefined && current !== undefined && previous.seq >= current.seq) return false;
  }
  return true;
}

/**
 * The time a conversation's list item shows: its newest unsent message, which the item shows as
 * its last message until the server stores it, else its last message, else its creation.
 */
export function activityTime(conversation: Conversation, lastPending: PendingMessage | undefined): number {
  return lastPending?.createdAt ?? conversation.lastMessage?.createdAt ?? conversation.createdAt;
}

/**
 * Most recent activity first, by the time each item shows (activityTime), so that a chat written
 * into offline moves up at once instead of staying below items that show an earlier time; ties by
 * title so the order is stable. A list that shows unsent messages must pass the outbox.
 */
export function sortedConversations(conversations: Record<string, Conversation>, outbox: readonly PendingMessage[] = []): Conversation[] {
  // The outbox is in the order messages were written: the last entry of a conversation is its newest.
  const lastPending = new Map<string, PendingMessage>();
  for (const pending of outbox) lastPending.set(pending.conversationId, pending);
  const time = (conversation: Conversation): number => activityTime(conversation, lastPending.get(conversation.id));
  return Object.values(conversations).sort((a, b) => time(b) - time(a) || a.title.localeCompare(b.title) || a.id.localeCompare(b.id));
}

export function totalUnread(state: ChatState): number {
  let total = 0;
  for (const conversation of Object.values(state.conversations)) total += conversation.unread;
  return total;
}

/**
 * Applies a full conversation list (conversations:list), a snapshot the server took between the
 * events it sent before the answer and those after. A conversation missing from it is one the
 * user stopped being a member of while this client did not hear of it (offline, or a reconnect):
 * it goes as a removal does, with the notice when it was the open group and its unsent messages
 * kept as not sent. `newer` names the conversations an event changed after the request went out
 * (a long-polling answer can carry the list and later events at once): what the client holds for
 * those is newer than the snapshot and stays as it is.
 */
export function setConversations(state: ChatState, conversations: readonly Conversation[], newer: ReadonlySet<string> = new Set()): ChatState {
  const listed = new Set(conversations.map((c) => c.id));
  let next = state;
  for (const conversationId of Object.keys(state.conversations)) {
    if (!listed.has(conversationId) && !newer.has(conversationId)) next = removeConversation(next, conversationId);
  }
  const merged: Record<string, Conversation> = {};
  const rejoined = new Set<string>();
  for (const [conversationId, conversation] of Object.entries(next.conversations)) {
    if (newer.has(conversationId)) merged[conversationId] = conversation;
  }
  for (const conversation of conversations) {
    if (newer.has(conversation.id)) continue;
    const known = next.conversations[conversation.id];
    if (known === undefined) rejoined.add(conversation.id);
    merged[conversation.id] = mergedConversation(known, conversation);
  }
  return { ...next, conversations: merged, users: withUsers(next.users, membersOf(conversations)), outbox: sendableAgain(next.outbox, rejoined), lastRemoved: noticeStillTrue(next.lastRemoved, rejoined) };
}

/**
 * Unread as the server counts it (PROTOCOL.md §3): every message after the member's read mark.
 * The mark moves with the reader's reads and with every message the member itself stored (a send,
 * from this window or another device, and the system message of a group change it made).
 */
function withCounters(conversation: Conversation, lastSeq: number, readSeq: number): Conversation {
  return { ...conversation, lastSeq, readSeq, unread: Math.max(0, lastSeq - readSeq) };
}

export function upsertConversation(stateBefore: ChatState, conversation: Conversation): ChatState {
  const users = withUsers(stateBefore.users, membersOf([conversation]));
  const state = users === stateBefore.users ? stateBefore : { ...stateBefore, users };
  const known = state.conversations[conversation.id];
  const conversations = { ...state.conversations, [conversation.id]: mergedConversation(known, conversation) };
  if (known !== undefined) return { ...state, conversations };
  const rejoined = new Set([conversation.id]);
  return { ...state, conversations, outbox: sendableAgain(state.outbox, rejoined), lastRemoved: noticeStillTrue(state.lastRemoved, rejoined) };
}

/** "You are no longer a member of …" is dropped once that group is back (the user was added again). */
function noticeStillTrue(notice: ChatState['lastRemoved'], conversationIds: ReadonlySet<string>): ChatState['lastRemoved'] {
  return notice !== null && conversationIds.has(notice.conversationId) ? null : notice;
}

/** A conversation as the server sent it, keeping what this client already applied that is newer. */
function mergedConversation(known: Conversation | undefined, conversation: Conversation): Conversation {
  if (known === undefined) return conversation;
  // A snapshot may have been taken before a read mark or an own message this client already
  // applied: read marks never move backwards, so the higher one stays.
  const readSeq = Math.max(known.readSeq, conversation.readSeq);
  if (known.lastSeq <= conversation.lastSeq) return withCounters(conversation, conversation.lastSeq, readSeq);
  // A snapshot older than the messages already applied keeps the newer last message.
  const lastMessage = known.lastMessage ?? conversation.lastMessage;
  const base = withCounters(conversation, known.lastSeq, readSeq);
  return lastMessage === undefined ? base : { ...base, lastMessage };
}

/**
 * A user added back to a group its messages could not reach: those are sendable again. They stay
 * failed (the user chooses to retry what was written for an earlier moment), without the reason
 * that no longer holds.
 */
function sendableAgain(outbox: PendingMessage[], conversationIds: ReadonlySet<string>): PendingMessage[] {
  if (!outbox.some((p) => p.error === 'not_member' && conversationIds.has(p.conversationId))) return outbox;
  return outbox.map((p) => {
    if (p.error !== 'not_member' || !conversationIds.has(p.conversationId)) return p;
    const { error: _stale, ...rest } = p;
    return rest;
  });
}

/**
 * A message its conversation will never take: the user is no longer a member, so the server would
 * refuse it (not_member) and a retry cannot succeed. It stays in the outbox, failed, with its text
 * and the conversation's name, until the user has read it and discards it.
 */
function unsendable(pending: PendingMessage, title: string | undefined): PendingMessage {
  const conversationTitle = title ?? pending.conversationTitle;
  const failed: PendingMessage = { ...pending, state: 'failed', error: 'not_member' };
  return conversationTitle === undefined ? failed : { ...failed, conversationTitle };
}

export function removeConversation(state: ChatState, conversationId: string): ChatState {
  const { [conversationId]: removed, ...conversations } = state.conversations;
  const { [conversationId]: _log, ...messages } = state.messages;
  const wasOpen = state.activeConversationId === conversationId;
  const leaving = state.leavingConversationId === conversationId;
  const group = removed?.kind === 'group' ? removed : undefined;
  return {
    ...state,
    conversations,
    messages,
    outbox: state.outbox.some((p) => p.conversationId === conversationId) ? state.outbox.map((p) => (p.conversationId === conversationId ? unsendable(p, removed?.title) : p)) : state.outbox,
    activeConversationId: wasOpen ? null : state.activeConversationId,
    lastRemoved: wasOpen && !leaving && group !== undefined ? { conversationId, title: group.title } : state.lastRemoved,
    leavingConversationId: leaving ? null : state.leavingConversationId,
  };
}

/**
 * Applies messages that arrived live or by sync: stores them, settles the matching pending
 * sends, and moves each conversation's last message, read mark and unread count forward.
 */
export function applyMessages(state: ChatState, incoming: readonly Message[]): ChatState {
  if (incoming.length === 0) return state;
  const myId = state.me?.id;
  const byConversation = new Map<string, Message[]>();
  for (const message of incoming) {
    const list = byConversation.get(message.conversationId);
    if (list) list.push(message);
    else byConversation.set(message.conversationId, [message]);
  }
  const messages = { ...state.messages };
  const conversations = { ...state.conversations };
  for (const [conversationId, list] of byConversation) {
    const log = messages[conversationId];
    if (log !== undefined) messages[conversationId] = { ...log, items: mergeMessages(log.items, list) };
    else messages[conversationId] = { items: mergeMessages([], list), hasMore: true, loaded: false };

    const conversation = conversations[conversationId];
    if (conversation === undefined) continue;
    let { lastSeq, readSeq, lastMessage } = conversation;
    for (const message of [...list].sort((a, b) => a.seq - b.seq)) {
      // The server moved the mark when it stored the message, even if it arrives here after a later one.
      if (message.senderId === myId) readSeq = Math.max(readSeq, message.seq);
      if (message.seq <= lastSeq) {
        if (lastMessage?.id === message.id) lastMessage = message;
        continue;
      }
      lastSeq = message.seq;
      lastMessage = message;
    }
    const counted = withCounters(conversation, lastSeq, readSeq);
    conversations[conversationId] = lastMessage === undefined ? counted : { ...counted, lastMessage };
  }
  const settled = new Set(incoming.filter((m) => m.senderId === myId).map((m) => m.clientId));
  const outbox = settled.size === 0 ? state.outbox : state.outbox.filter((p) => !settled.has(p.clientId));
  return { ...state, messages, conversations, outbox };
}

/** A page of older history (or the newest page when the log was not loaded yet). */
export function applyHistory(state: ChatState, conversationId: string, page: readonly Message[], hasMore: boolean, newest: boolean): ChatState {
  const log = messageLog(state, conversationId);
  const items = mergeMessages(log.items, page);
  // Re-fetching the newest page of a loaded log says nothing about how far back it reaches.
  const merged: MessageLog = { items, hasMore: newest && log.loaded ? log.hasMore : hasMore, loaded: true };
  const settled = new Set(page.filter((m) => m.senderId === state.me?.id).map((m) => m.clientId));
  return {
    ...state,
    messages: { ...state.messages, [conversationId]: merged },
    outbox: settled.size === 0 ? state.outbox : state.outbox.filter((p) => !settled.has(p.clientId)),
  };
}

export function applyMessageUpdated(state: ChatState, conversationId: string, messageId: string, links: LinkPreview[]): ChatState {
  const log = state.messages[conversationId];
  const conversation = state.conversations[conversationId];
  let messages = state.messages;
  if (log !== undefined) {
    const index = log.items.findIndex((m) => m.id === messageId);
    const found = log.items[index];
    if (found !== undefined) {
      const items = [...log.items];
      items[index] = { ...found, links };
      messages = { ...state.messages, [conversationId]: { ...log, items } };
    }
  }
  let conversations = state.conversations;
  if (conversation?.lastMessage?.id === messageId) {
    conversations = { ...conversations, [conversationId]: { ...conversation, lastMessage: { ...conversation.lastMessage, links } } };
  }
  return messages === state.messages && conversations === state.conversations ? state : { ...state, messages, conversations };
}

/** The seq range, oldest to newest, of the messages of one conversation to read again. */
export interface SeqRange {
  oldest: number;
  newest: number;
}

/**
 * The messages held with a link preview still pending, per conversation: a preview that resolved
 * while the client was offline sent its `message:updated` to nobody, and sync returns only newer
 * messages, so these are read again after a reconnect. At most `max` seqs a conversation, the
 * newest: a preview resolves within seconds of its message, so older ones are rare.
 */
export function pendingPreviewRanges(state: ChatState, max: number): Map<string, SeqRange> {
  const ranges = new Map<string, SeqRange>();
  for (const [conversationId, log] of Object.entries(state.messages)) {
    let newest: number | undefined;
    let oldest: number | undefined;
    for (let i = log.items.length - 1; i >= 0; i--) {
      const message = log.items[i];
      if (message === undefined) continue;
      if (newest !== undefined && newest - message.seq >= max) break;
      if (!message.links?.some((link) => link.state === 'pending')) continue;
      newest ??= message.seq;
      oldest = message.seq;
    }
    if (newest !== undefined && oldest !== undefined) ranges.set(conversationId, { oldest, newest });
  }
  return ranges;
}

/**
 * Messages read again (their previews may have resolved): each replaces the held message with
 * its id, and the conversation's last message if it is that one. Adds nothing: the log around
 * them is already contiguous, and a slice read again must not change how far back it reaches.
 */
export function applyRefreshedMessages(state: ChatState, conversationId: string, page: readonly Message[]): ChatState {
  const log = state.messages[conversationId];
  if (log === undefined || page.length === 0) return state;
  const byId = new Map(page.map((message) => [message.id, message]));
  let changed = false;
  const items = log.items.map((held) => {
    const fresh = byId.get(held.id);
    if (fresh === undefined || fresh === held) return held;
    changed = true;
    return fresh;
  });
  if (!changed) return state;
  const conversation = state.conversations[conversationId];
  const last = conversation?.lastMessage === undefined ? undefined : byId.get(conversation.lastMessage.id);
  const conversations = conversation === undefined || last === undefined ? state.conversations : { ...state.conversations, [conversationId]: { ...conversation, lastMessage: last } };
  return { ...state, messages: { ...state.messages, [conversationId]: { ...log, items } }, conversations };
}

/**
 * What to ask messages:sync for after a reconnect: a mark for every conversation this client
 * knows, so that it gets what it missed and nothing more. A log holding messages continues from
 * the last one it holds (the conversation's lastSeq cannot be used there: a fresh list may have
 * moved it past messages this client never received, and the log would have a gap). A
 * conversation holding none continues from its lastSeq: its older messages come as pages when it
 * is opened, and leaving it out would fetch its whole history from the member's join.
 */
export function syncSince(state: ChatState): Record<string, number> {
  const since: Record<string, number> = {};
  for (const [conversationId, conversation] of Object.entries(state.conversations)) {
    const log = state.messages[conversationId];
    const held = log?.items[log.items.length - 1]?.seq;
    since[conversationId] = held ?? (log?.loaded === true ? 0 : conversation.lastSeq);
  }
  return since;
}

/**
 * Splits sync marks into parts whose JSON stays under `maxBytes`, so that each call fits in one
 * Socket.IO frame (64 KiB) however many conversations the user is in.
 */
export function sinceParts(since: Record<string, number>, maxBytes: number): Record<string, number>[] {
  const parts: Record<string, number>[] = [];
  let part: Record<string, number> = {};
  let bytes = 2;
  const utf8 = new TextEncoder();
  for (const [conversationId, seq] of Object.entries(since)) {
    const entry = utf8.encode(JSON.stringify(conversationId)).length + String(seq).length + 2;
    if (bytes + entry > maxBytes && bytes > 2) {
      parts.push(part);
      part = {};
      bytes = 2;
    }
    part[conversationId] = seq;
    bytes += entry;
  }
  if (bytes > 2) parts.push(part);
  return parts;
}

/**
 * Moves the user's read mark (this window's read, or another device's read event, which may be an
 * older mark arriving late): never backwards, and only what lies after it stays unread.
 */
export function markRead(state: ChatState, conversationId: string, seq: number): ChatState {
  const conversation = state.conversations[conversationId];
  if (conversation === undefined) return state;
  const next = withCounters(conversation, conversation.lastSeq, Math.max(conversation.readSeq, seq));
  if (next.readSeq === conversation.readSeq && next.unread === conversation.unread) return state;
  return { ...state, conversations: { ...state.conversations, [conversationId]: next } };
}

export function applyReadMark(state: ChatState, conversationId: string, userId: string, seq: number): ChatState {
  if (userId === state.me?.id) return markRead(state, conversationId, seq);
  const marks = state.readMarks[conversationId] ?? {};
  if ((marks[userId] ?? 0) >= seq) return state;
  return { ...state, readMarks: { ...state.readMarks, [conversationId]: { ...marks, [userId]: seq } } };
}

/** The highest seq a member has read, from live read events or the member list. */
export function memberReadSeq(state: ChatState, conversationId: string, userId: string): number {
  const live = state.readMarks[conversationId]?.[userId] ?? 0;
  const listed = state.conversations[conversationId]?.members.find((m) => m.user.id === userId)?.readSeq ?? 0;
  return Math.max(live, listed);
}

/** How many members other than the sender have read a message. */
export function readCount(state: ChatState, message: Message): number {
  const conversation = state.conversations[message.conversationId];
  if (conversation === undefined) return 0;
  let count = 0;
  for (const member of conversation.members) {
    if (member.user.id !== message.senderId && memberReadSeq(state, message.conversationId, member.user.id) >= message.seq) count += 1;
  }
  return count;
}

export function enqueueOutgoing(state: ChatState, pending: PendingMessage): ChatState {
  if (state.outbox.some((p) => p.clientId === pending.clientId)) return state;
  const title = state.conversations[pending.conversationId]?.title;
  return { ...state, outbox: [...state.outbox, title === undefined ? pending : { ...pending, conversationTitle: title }] };
}

/** The user has read an unsendable message's text and lets it go. */
export function discardPending(state: ChatState, clientId: string): ChatState {
  const outbox = state.outbox.filter((p) => p.clientId !== clientId);
  return outbox.length === state.outbox.length ? state : { ...state, outbox };
}

export function setPendingState(state: ChatState, clientId: string, next: 'pending' | 'failed', error?: ClientErrorCode): ChatState {
  const index = state.outbox.findIndex((p) => p.clientId === clientId);
  const found = state.outbox[index];
  if (found === undefined) return state;
  const { error: _previous, ...rest } = found;
  const updated: PendingMessage = error === undefined ? { ...rest, state: next } : { ...rest, state: next, error };
  const outbox = [...state.outbox];
  outbox[index] = updated;
  return { ...state, outbox };
}

export function pendingFor(state: ChatState, conversationId: string): PendingMessage[] {
  return state.outbox.filter((p) => p.conversationId === conversationId);
}

/**
 * Failed messages whose conversation is no longer in the list: the user stopped being a member, so
 * no chat pane shows them and no retry could succeed. Only a notice of their own keeps their text
 * in sight. Pending ones are left out until the server has answered for them.
 */
export function unsendableMessages(outbox: readonly PendingMessage[], conversations: Record<string, Conversation>): PendingMessage[] {
  return outbox.filter((p) => p.state === 'failed' && conversations[p.conversationId] === undefined);
}

export function setContactsList(state: ChatState, contacts: readonly Contact[], incoming: ContactRequest[], outgoing: ContactRequest[]): ChatState {
  const byId: Record<string, Contact> = {};
  const presence = { ...state.presence };
  for (const contact of contacts) {
    byId[contact.user.id] = contact;
    presence[contact.user.id] = contact.online;
  }
  const users = withUsers(state.users, [...contacts.map((c) => c.user), ...incoming.map((r) => r.from), ...outgoing.map((r) => r.to)]);
  return { ...state, contacts: byId, incoming, outgoing, presence, users, contactsLoaded: true };
}

function withoutRequest(list: ContactRequest[], id: string): ContactRequest[] {
  return list.filter((r) => r.id !== id);
}

/** A request seen from either side: pending ones are listed, settled ones leave the lists. */
export function applyContactRequest(state: ChatState, request: ContactRequest): ChatState {
  const myId = state.me?.id;
  let incoming = withoutRequest(state.incoming, request.id);
  let outgoing = withoutRequest(state.outgoing, request.id);
  if (request.status === 'pending') {
    if (request.to.id === myId) incoming = [...incoming, request];
    else if (request.from.id === myId) outgoing = [...outgoing, request];
  }
  return { ...state, incoming, outgoing, users: withUsers(state.users, [request.from, request.to]) };
}

export function applyContactsUpdated(state: ChatState, update: ContactsUpdated): ChatState {
  let next = state;
  if (update.request !== undefined) next = applyContactRequest(next, update.request);
  if (update.contact !== undefined) {
    const contact = update.contact;
    next = {
      ...next,
      contacts: { ...next.contacts, [contact.user.id]: contact },
      presence: { ...next.presence, [contact.user.id]: contact.online },
      users: withUsers(next.users, [contact.user]),
    };
  }
  if (update.removedUserId !== undefined) {
    // No longer a contact: their presence is no longer sent, so the last one known is dropped.
    const { [update.removedUserId]: _removed, ...contacts } = next.contacts;
    const { [update.removedUserId]: _presence, ...presence } = next.presence;
    next = { ...next, contacts, presence };
  }
  return next;
}

export function applyPresence(state: ChatState, userId: string, online: boolean): ChatState {
  if (state.presence[userId] === online) return state;
  const contact = state.contacts[userId];
  return {
    ...state,
    presence: { ...state.presence, [userId]: online },
    contacts: contact === undefined ? state.contacts : { ...state.contacts, [userId]: { ...contact, online } },
  };
}

export function applyTyping(state: ChatState, conversationId: string, userId: string, now: number): ChatState {
  if (userId === state.me?.id) return state;
  const current = state.typing[conversationId] ?? {};
  return { ...state, typing: { ...state.typing, [conversationId]: { ...current, [userId]: now + TYPING_VISIBLE_MS } } };
}

/** Someone who sent a message has stopped typing it. */
export function clearTyping(state: ChatState, conversationId: string, userId: string): ChatState {
  const current = state.typing[conversationId];
  if (current?.[userId] === undefined) return state;
  const { [userId]: _gone, ...rest } = current;
  return { ...state, typing: { ...state.typing, [conversationId]: rest } };
}

export function typingUsers(state: ChatState, conversationId: string, now: number): string[] {
  const current = state.typing[conversationId] ?? {};
  return Object.entries(current)
    .filter(([, expires]) => expires > now)
    .map(([userId]) => userId);
}

/** A display name for any user id this client knows about. */
export function displayNameOf(state: ChatState, userId: string, conversationId?: string): string | undefined {
  if (state.me?.id === userId) return state.me.displayName;
  if (conversationId !== undefined) {
    const member = state.conversations[conversationId]?.members.find((m) => m.user.id === userId);
    if (member) return member.user.displayName;
  }
  const contact = state.contacts[userId];
  if (contact) return contact.user.displayName;
  // setConversations and upsertConversation put every member in the cache, so the scan of all
  // conversations below is only for a state built without them; previews ask this on every update.
  const cached = state.users[userId];
  if (cached) return cached.displayName;
  for (const conversation of Object.values(state.conversations)) {
    const member = conversation.members.find((m) => m.user.id === userId);
    if (member) return member.user.displayName;
  }
  return undefined;
}

/** Whether this client can put a name to a user id. */
export function canName(state: ChatState, userId: string): boolean {
  return state.users[userId] !== undefined || displayNameOf(state, userId) !== undefined;
}

/** The user ids these messages name (senders, actors and targets of group events). */
export function userIdsNamedBy(messages: Iterable<Message>): Set<string> {
  const ids = new Set<string>();
  for (const message of messages) {
    ids.add(message.senderId);
    if (message.system !== undefined) {
      ids.add(message.system.actorId);
      for (const id of message.system.targetIds) ids.add(id);
    }
  }
  return ids;
}

/** The ids these messages name that the client cannot put a name to. */
export function unknownUserIds(state: ChatState, messages: Iterable<Message>): string[] {
  return [...userIdsNamedBy(messages)].filter((id) => id !== '' && !canName(state, id));
}

/**
 * Whether a message can go to this conversation: not to a direct one whose other member is no
 * longer a contact (the server answers `not_contact`; the chat's composer says so). Until the
 * contact list has loaded, every conversation counts.
 */
export function canSendTo(state: Pick<ChatState, 'contacts' | 'contactsLoaded' | 'me'>, conversation: Conversation): boolean {
  if (conversation.kind !== 'direct' || !state.contactsLoaded) return true;
  const otherId = otherMemberId(conversation, state.me?.id);
  return otherId === undefined || state.contacts[otherId] !== undefined;
}

/** The other person of a direct conversation. */
export function otherMemberId(conversation: Conversation, myId: string | undefined): string | undefined {
  return conversation.members.find((m) => m.user.id !== myId)?.user.id;
}
