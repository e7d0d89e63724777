/**
 * The live session: one socket, the events it brings into the store, the outbox it drains,
 * and the requests the screens make. One instance per signed-in session.
 */
import { LIMITS } from '../../../protocol/limits';
import type { ClientEventPayloads, LinkPreview, Message, User } from '../../../protocol';
import { openChatSocket, request, REQUEST_TIMEOUT_MS, type ChatSocket, type RequestName, type RequestResult } from '../wire/chat-socket';
import {
  applyContactRequest,
  applyContactsUpdated,
  applyHistory,
  applyMessageUpdated,
  applyMessages,
  applyPresence,
  applyReadMark,
  applyRefreshedMessages,
  applyTyping,
  clearTyping,
  emptyChatState,
  enqueueOutgoing,
  markRead,
  messageLog,
  pendingPreviewRanges,
  rememberUsers,
  removeConversation,
  setContactsList,
  setConversations,
  sinceParts,
  setPendingState,
  syncSince,
  unknownUserIds,
  upsertConversation,
  type ChatState,
  type PendingMessage,
} from '../store/chat-state';
import { updateChat, useChat } from '../store/chat-store';
import { useUi } from '../store/ui-store';
import { newClientId } from '../lib/client-id';
import { me } from '../wire/http-api';
import { cacheUser } from '../wire/session';
import { loadOutbox, saveOutbox } from './outbox-storage';
import { notifyNewMessage } from './notifications';
import { BurstBuffer, windowScheduler } from './burst-buffer';

const TYPING_THROTTLE_MS = 2500;
/**
 * Sync calls one catch-up makes at most. An answer stops at about 1 MB (85 messages of 4,000
 * characters, 1000 short ones): 400 calls carry tens of thousands of long messages.
 */
const SYNC_ROUNDS_MAX = 400;
/** One part of the sync marks, in JSON bytes: under the server's 64 KiB frame with room for the rest of the packet. */
const SYNC_PART_BYTES = 48 * 1024;
/**
 * A sync answered rate_limited, or not answered in time while still connected (the server builds
 * one heavy answer at a time for everyone: docs/security.md), is asked again after 0.5 s, 1 s,
 * 2 s, 4 s, 8 s; then left to the next reconnect. An answer starts the series again: a long
 * catch-up goes on at the server's rate.
 */
const SYNC_RETRY_FIRST_MS = 500;
const SYNC_RETRY_MAX_MS = 8000;
/** During a burst, read marks go to the server at most this often; the newest always goes. */
const READ_MARK_INTERVAL_MS = 300;
/** Where animation frames do not come (a hidden window), a burst is still applied this often. */
const BURST_FALLBACK_MS = 100;
/**
 * A burst is applied every other frame. Applying one is a store update, a render, new rows laid
 * out and a scroll to the end, and the message list's scroll correction and the new rows'
 * measurements follow in the frame after: applied every frame, the two piled up in one frame.
 * At 500 incoming messages a second, 11 of 19 two-second bursts had a task over 50 ms that way,
 * 2 of 21 this way (docs/benchmarks.md, renderer). A message still shows within two frames.
 */
const BURST_FRAMES = 2;

/** What the open message list shows: see ChatClient.reportListView. */
export interface ListView {
  conversationId: string;
  /** The seq of the newest message shown within the list's viewport (0: none). */
  seenSeq: number;
  /** Whether the list is scrolled to the bottom, so that a new message comes into view at once. */
  atBottom: boolean;
}

export class ChatClient {
  readonly socket: ChatSocket;
  private connectedBefore = false;
  private readonly lastTypingSent = new Map<string, number>();
  private readonly loadingOlder = new Set<string>();
  private readonly sending = new Set<string>();
  private readonly unsubscribers: (() => void)[] = [];
  private readonly incoming = new BurstBuffer<Message>((batch) => this.applyIncoming(batch), windowScheduler(), { frames: BURST_FRAMES, fallbackMs: BURST_FALLBACK_MS });
  /** Read marks held back while one was sent less than READ_MARK_INTERVAL_MS ago. */
  private readonly heldReads = new Map<string, number>();
  private readTimer: number | undefined;
  /**
   * What the open message list shows (MessageList reports it): the newest message within its
   * viewport and whether it sits at the bottom, following new messages. Nothing is marked read
   * beyond what it showed; without a list on screen, nothing is marked read at all.
   */
  private listView: ListView | undefined;
  /** Users asked for with `users:get` (or about to be): each id is asked for once. */
  private readonly askedUsers = new Set<string>();
  /** Ids gathered for the next `users:get`, sent in one batch after the current task. */
  private readonly wantedUsers = new Set<string>();
  private usersQueued = false;
  /** conversation:updated and conversation:removed events so far, and the number of the last one per conversation. */
  private conversationEvents = 0;
  private readonly conversationEventAt = new Map<string, number>();

  constructor(
    readonly serverUrl: string,
    readonly token: string,
    me: User,
    private readonly onUnauthorized: () => void,
    private readonly requestTimeoutMs = REQUEST_TIMEOUT_MS,
  ) {
    useChat.setState({ ...emptyChatState(), me, outbox: loadOutbox(me.id), connection: 'connecting' }, true);
    this.socket = openChatSocket(serverUrl, token);
    this.bindSocket();
    this.unsubscribers.push(
      useChat.subscribe((state, previous) => {
        if (state.outbox !== previous.outbox) saveOutbox(me.id, state.outbox);
      }),
    );
    // Coming back to the chat (the window, the tab, or the chat view from Contacts) reads it.
    const onFocus = (): void => this.markActiveRead();
    window.addEventListener('focus', onFocus);
    document.addEventListener('visibilitychange', onFocus);
    this.unsubscribers.push(
      () => window.removeEventListener('focus', onFocus),
      () => document.removeEventListener('visibilitychange', onFocus),
      useUi.subscribe((state, previous) => {
        // Deferred: whoever changed the view may set the active conversation right after it.
        if (state.view !== previous.view) queueMicrotask(() => this.markActiveRead());
      }),
    );
  }

  close(): void {
    this.incoming.close();
    window.clearTimeout(this.readTimer);
    for (const unsubscribe of this.unsubscribers) unsubscribe();
    this.socket.removeAllListeners();
    this.socket.io.removeAllListeners();
    this.socket.disconnect();
    useChat.setState(emptyChatState(), true);
  }

  request<E extends RequestName>(event: E, payload: ClientEventPayloads[E]): Promise<RequestResult<E>> {
    return request(this.socket, event, payload, this.requestTimeoutMs);
  }

  private bindSocket(): void {
    const socket = this.socket;
    socket.on('connect', () => void this.onConnect());
    socket.on('disconnect', (reason) => {
      // Presence is unknown while away; the contact list fetched on reconnect restores it.
      useChat.setState({ connection: 'reconnecting', presence: {} });
      // The server closing the socket stops socket.io's own retries; a dead token then ends in connect_error.
      if (reason === 'io server disconnect') socket.connect();
    });
    socket.on('connect_error', (error) => {
      if (error.message === 'unauthorized') {
        this.onUnauthorized();
        return;
      }
      useChat.setState({ connection: this.connectedBefore ? 'reconnecting' : 'connecting' });
    });
    socket.on('message:new', (message) => this.onMessage(message));
    socket.on('message:updated', (update) => this.onMessageUpdated(update.conversationId, update.messageId, update.links));
    socket.on('conversation:updated', (conversation) => {
      this.conversationEvent(conversation.id);
      updateChat((s) => upsertConversation(s, conversation));
    });
    socket.on('conversation:removed', ({ conversationId }) => {
      this.conversationEvent(conversationId);
      updateChat((s) => removeConversation(s, conversationId));
    });
    socket.on('contacts:request', (contactRequest) => updateChat((s) => applyContactRequest(s, contactRequest)));
    socket.on('contacts:updated', (update) => updateChat((s) => applyContactsUpdated(s, update)));
    socket.on('presence', ({ userId, online }) => updateChat((s) => applyPresence(s, userId, online)));
    socket.on('typing', ({ conversationId, userId }) => updateChat((s) => applyTyping(s, conversationId, userId, Date.now())));
    socket.on('read', ({ conversationId, userId, seq }) => updateChat((s) => applyReadMark(s, conversationId, userId, seq)));
    // A merchant badge linked or suspended: the product share action shows or goes at once.
    socket.on('me:updated', ({ user }) => {
      if (user.id !== useChat.getState().me?.id) return;
      cacheUser(user);
      useChat.setState({ me: user });
    });
  }

  private async onConnect(): Promise<void> {
    const reconnect = this.connectedBefore;
    this.connectedBefore = true;
    if (reconnect) {
      await this.syncMissed();
      await this.refreshPendingPreviews();
    }
    // Each list is applied the moment its answer arrives: it is a snapshot taken between the
    // events before it and those after it on this socket, so applying it later (after a slower
    // request) could put it over newer events, or take a group created meanwhile for one the user left.
    const conversations = this.listConversations().then((result) => {
      if (!result.ok) return;
      this.nameUnknownUsers(result.value.conversations.flatMap((c) => (c.lastMessage === undefined ? [] : [c.lastMessage])));
    });
    const contacts = this.request('contacts:list', {}).then((result) => {
      if (result.ok) updateChat((s) => setContactsList(s, result.value.contacts, result.value.incoming, result.value.outgoing));
    });
    const account = me(this.serverUrl, this.token).then((result) => {
      // A merchant link or a new display name may have changed since sign-in.
      if (!result.ok) return;
      cacheUser(result.value);
      useChat.setState({ me: result.value });
    });
    await Promise.all([conversations, contacts, account]);
    if (this.socket.connected) useChat.setState({ connection: 'online' });
    const active = useChat.getState().activeConversationId;
    if (active !== null) await this.ensureLoaded(active);
    this.markActiveRead();
    await this.flushOutbox();
  }

  /**
   * Catches up on what was missed while offline, a page of at most 1000 messages at a time. The
   * marks go in parts that each fit one frame, naming only their own conversations (`onlyNamed`);
   * conversations this client has never heard of come with the conversation list after it.
   */
  private async syncMissed(): Promise<void> {
    let waitMs = SYNC_RETRY_FIRST_MS;
    let round = 0;
    for (const part of sinceParts(syncSince(useChat.getState()), SYNC_PART_BYTES)) {
      const ids = Object.keys(part);
      while (round++ < SYNC_ROUNDS_MAX) {
        // Read again each round: the answers move the marks, and drop the conversations lost meanwhile.
        const marks = syncSince(useChat.getState());
        const since: Record<string, number> = {};
        for (const id of ids) if (marks[id] !== undefined) since[id] = marks[id];
        if (Object.keys(since).length === 0) break;
        const result = await this.request('messages:sync', { since, onlyNamed: true });
        const retry = !result.ok && (result.code === 'rate_limited' || result.code === 'timeout');
        if (retry && waitMs <= SYNC_RETRY_MAX_MS && this.socket.connected) {
          // Many devices of one user catching up at once share one budget, and a busy server
          // answers late: wait, then ask again (a sync asks from the marks, so asking twice is harmless).
          await new Promise((resolve) => window.setTimeout(resolve, waitMs));
          waitMs *= 2;
          continue;
        }
        if (!result.ok) return;
        waitMs = SYNC_RETRY_FIRST_MS;
        updateChat((s) => {
          let next = s;
          for (const conversationId of result.value.removed) next = removeConversation(next, conversationId);
          for (const conversation of result.value.conversations) next = upsertConversation(next, conversation);
          return applyMessages(next, result.value.messages);
        });
        this.nameUnknownUsers(result.value.messages);
        if (!result.value.hasMore || result.value.messages.length === 0) break;
      }
    }
  }

  /** Reads again the messages whose previews were still pending when the connection dropped. */
  private async refreshPendingPreviews(): Promise<void> {
    const ranges = pendingPreviewRanges(useChat.getState(), LIMITS.historyLimitMax);
    for (const [conversationId, { oldest, newest }] of ranges) {
      const result = await this.request('messages:history', { conversationId, beforeSeq: newest + 1, limit: newest - oldest + 1 });
      if (result.ok) updateChat((s) => applyRefreshedMessages(s, conversationId, result.value.messages));
    }
  }

  /**
   * A message alone is applied at once; a burst (hundreds a second into a 100k log) is gathered
   * and applied every BURST_FRAMES frames, just before one is drawn, so the store copies the log,
   * React renders and the browser lays out once per batch, not once per message.
   */
  private onMessage(message: Message): void {
    this.incoming.push(message);
  }

  /**
   * A preview can resolve within the same frame as its message (a blocked verdict needs no
   * fetch): while the message still waits in the burst buffer, the update must land there, or
   * the store never sees it and the link stays "checking" for good.
   */
  private onMessageUpdated(conversationId: string, messageId: string, links: LinkPreview[]): void {
    if (this.incoming.replace((m) => m.id === messageId, (m) => ({ ...m, links }))) return;
    updateChat((s) => applyMessageUpdated(s, conversationId, messageId, links));
  }

  private applyIncoming(batch: Message[]): void {
    const state = useChat.getState();
    const unknown = batch.some((m) => state.conversations[m.conversationId] === undefined);
    const fromOthers = batch.filter((m) => m.senderId !== state.me?.id);
    const applied = batch.reduce((next, m) => clearTyping(next, m.conversationId, m.senderId), applyMessages(state, batch));
    // Reading them is part of the same step: a second store update would render everything again.
    const read = fromOthers.some((m) => m.conversationId === applied.activeConversationId) ? this.activeReadSeq(applied) : undefined;
    updateChat(() => (read === undefined ? applied : markRead(applied, read.conversationId, read.seq)));
    if (read !== undefined) this.sendRead(read.conversationId, read.seq);
    this.nameUnknownUsers(batch);
    if (unknown) void this.listConversations();
    if (fromOthers.length === 0 || document.hasFocus()) return;
    // One notification per conversation per burst, for its newest message.
    const newest = new Map<string, Message>();
    for (const m of fromOthers) newest.set(m.conversationId, m);
    for (const m of newest.values()) notifyNewMessage(m);
  }

  /** Fetches the conversation list and applies it at once, over what changed since it was asked for. */
  private async listConversations(): Promise<RequestResult<'conversations:list'>> {
    const askedAt = this.conversationEvents;
    const result = await this.request('conversations:list', {});
    if (result.ok) {
      const newer = new Set<string>();
      for (const [conversationId, at] of this.conversationEventAt) if (at > askedAt) newer.add(conversationId);
      updateChat((s) => setConversations(s, result.value.conversations, newer));
    }
    return result;
  }

  /** Counts the events that change a conversation, so that a list fetched meanwhile does not undo them. */
  private conversationEvent(conversationId: string): void {
    this.conversationEvents++;
    this.conversationEventAt.set(conversationId, this.conversationEvents);
  }

  async setActive(conversationId: string | null): Promise<void> {
    useChat.setState({ activeConversationId: conversationId });
    if (conversationId === null) return;
    await this.ensureLoaded(conversationId);
    this.markActiveRead();
  }

  private async ensureLoaded(conversationId: string): Promise<void> {
    if (messageLog(useChat.getState(), conversationId).loaded) return;
    const result = await this.request('messages:history', { conversationId, limit: LIMITS.historyLimitDefault });
    if (!result.ok) return;
    updateChat((s) => applyHistory(s, conversationId, result.value.messages, result.value.hasMore, true));
    this.nameUnknownUsers(result.value.messages);
  }

  /** Loads the page before the oldest message held; resolves false when there is nothing more. */
  async loadOlder(conversationId: string): Promise<boolean> {
    const log = messageLog(useChat.getState(), conversationId);
    const oldest = log.items[0];
    if (!log.loaded || !log.hasMore || oldest === undefined || this.loadingOlder.has(conversationId)) return false;
    this.loadingOlder.add(conversationId);
    try {
      const result = await this.request('messages:history', { conversationId, beforeSeq: oldest.seq, limit: LIMITS.historyLimitMax });
      if (!result.ok) return false;
      updateChat((s) => applyHistory(s, conversationId, result.value.messages, result.value.hasMore, false));
      this.nameUnknownUsers(result.value.messages);
      return result.value.messages.length > 0;
    } finally {
      this.loadingOlder.delete(conversationId);
    }
  }

  /**
   * The message list of `conversationId` says what it shows now, or (`view` undefined) that it
   * is gone. What became visible is marked read at once, when the reader can see the window.
   */
  reportListView(conversationId: string, view: Omit<ListView, 'conversationId'> | undefined): void {
    if (view === undefined) {
      if (this.listView?.conversationId === conversationId) this.listView = undefined;
      return;
    }
    this.listView = { conversationId, ...view };
    this.markActiveRead();
  }

  /** Tells the server the active conversation is read, when the reader can actually see it. */
  markActiveRead(): void {
    const read = this.activeReadSeq(useChat.getState());
    if (read === undefined) return;
    updateChat((s) => markRead(s, read.conversationId, read.seq));
    this.sendRead(read.conversationId, read.seq);
  }

  /**
   * Whether the reader can see the active conversation: the chat view is shown (not Contacts),
   * and the window is visible and focused.
   */
  private conversationOnScreen(): boolean {
    return useUi.getState().view === 'chats' && document.visibilityState === 'visible' && document.hasFocus();
  }

  /**
   * What the active conversation can be marked read up to, if the reader sees unread messages:
   * the newest message its list has shown within its viewport, or, while the list sits at the
   * bottom (and so follows new messages into view), the newest message of all.
   */
  private activeReadSeq(state: ChatState): { conversationId: string; seq: number } | undefined {
    const conversationId = state.activeConversationId;
    const view = this.listView;
    if (conversationId === null || view?.conversationId !== conversationId || !this.conversationOnScreen()) return undefined;
    const conversation = state.conversations[conversationId];
    if (conversation === undefined) return undefined;
    const seq = view.atBottom ? conversation.lastSeq : Math.min(view.seenSeq, conversation.lastSeq);
    if (seq <= conversation.readSeq) return undefined;
    return { conversationId, seq };
  }

  /**
   * The store is marked read at once; the server hears of it at once too, unless it heard of
   * another read mark moments ago: a reader at the bottom of a burst reads every frame, and one
   * request (a database write and a broadcast) per frame helps nobody.
   */
  private sendRead(conversationId: string, seq: number): void {
    this.heldReads.set(conversationId, Math.max(seq, this.heldReads.get(conversationId) ?? 0));
    if (this.readTimer === undefined) this.sendHeldReads();
  }

  private sendHeldReads(): void {
    this.readTimer = undefined;
    if (this.heldReads.size === 0) return;
    for (const [conversationId, seq] of this.heldReads) {
      if (this.socket.connected) void this.request('messages:read', { conversationId, seq });
    }
    this.heldReads.clear();
    this.readTimer = window.setTimeout(() => this.sendHeldReads(), READ_MARK_INTERVAL_MS);
  }

  /**
   * Asks the server for the people these messages name whom the client cannot name (former
   * members, senders of old messages): each id once, gathered into one `users:get` per task.
   */
  private nameUnknownUsers(messages: readonly Message[]): void {
    if (messages.length === 0) return;
    for (const id of unknownUserIds(useChat.getState(), messages)) {
      if (this.askedUsers.has(id)) continue;
      this.askedUsers.add(id);
      this.wantedUsers.add(id);
    }
    if (this.wantedUsers.size === 0 || this.usersQueued) return;
    this.usersQueued = true;
    queueMicrotask(() => void this.fetchWantedUsers());
  }

  private async fetchWantedUsers(): Promise<void> {
    this.usersQueued = false;
    const ids = [...this.wantedUsers];
    this.wantedUsers.clear();
    for (let i = 0; i < ids.length; i += LIMITS.usersGetMax) {
      const batch = ids.slice(i, i + LIMITS.usersGetMax);
      const result = await this.request('users:get', { userIds: batch });
      if (result.ok) updateChat((s) => rememberUsers(s, result.value.users));
      // Not answered (offline, busy): the next page or message naming them asks again.
      else for (const id of batch) this.askedUsers.delete(id);
    }
  }

  /** Queues a message; it shows as pending at once and is sent now or on reconnect, same clientId. */
  sendText(conversationId: string, text: string): void {
    const pending: PendingMessage = { clientId: newClientId(), conversationId, text, createdAt: Date.now(), state: 'pending' };
    updateChat((s) => enqueueOutgoing(s, pending));
    // The message ends the typing it was throttling: the next one typed signals at once, or a
    // quick follow-up would show the other side no indicator at all (receiving a message clears it).
    this.lastTypingSent.delete(conversationId);
    void this.deliver(pending);
  }

  retry(clientId: string): void {
    updateChat((s) => setPendingState(s, clientId, 'pending'));
    const pending = useChat.getState().outbox.find((p) => p.clientId === clientId);
    if (pending) void this.deliver(pending);
  }

  private async flushOutbox(): Promise<void> {
    for (const pending of useChat.getState().outbox) {
      if (pending.state === 'pending') await this.deliver(pending);
    }
  }

  private async deliver(pending: PendingMessage): Promise<void> {
    if (!this.socket.connected || this.sending.has(pending.clientId)) return;
    this.sending.add(pending.clientId);
    try {
      const result = await this.request('messages:send', { conversationId: pending.conversationId, clientId: pending.clientId, text: pending.text });
      if (result.ok) updateChat((s) => applyMessages(s, [result.value.message]));
      // Offline, it stays pending and goes out on reconnect; any answer from the server is a failure to show.
      else if (result.code !== 'network') updateChat((s) => setPendingState(s, pending.clientId, 'failed', result.code));
    } finally {
      this.sending.delete(pending.clientId);
    }
  }

  typing(conversationId: string): void {
    const now = Date.now();
    if (now - (this.lastTypingSent.get(conversationId) ?? 0) < TYPING_THROTTLE_MS || !this.socket.connected) return;
    this.lastTypingSent.set(conversationId, now);
    void this.request('typing', { conversationId });
  }
}
