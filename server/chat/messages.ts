/** Sending, history, catch-up, read marks and typing (PROTOCOL.md §3). */
import { LIMITS, err, ok } from '../../protocol';
import type { ClientEventResults, Conversation, LinkPreview, Message, Result } from '../../protocol';
import type { ClientPayload } from '../../protocol/schemas';
import type { LinkServices } from '../links/link-services';
import { announceSent } from './announce-sent';
import type { ChatDeps } from './chat-deps';
import type { MessageWriter, Written } from './message-writer';
import { verifiedUrlsOf, withCurrentPreviews } from './current-previews';
import { PreviewQueue } from './preview-queue';
import { ProductShares } from './product-shares';
import { conversationView } from './views';

/**
 * A sync answer stops adding messages past this many bytes (with `hasMore`): 1000 messages of
 * 4000 emoji would be 16 MB in one frame, as much as a socket may hold unread (backlog.ts). And
 * an answer is built in one go on the event loop, which everyone else waits for (heavy-lane.ts):
 * a 4 MB one took about a hundred milliseconds under load.
 */
const SYNC_BYTES_MAX = 1024 * 1024;

/** About the bytes of a message on the wire: 3 a UTF-16 unit of its texts (UTF-8's most; JSON escapes of controls cost more), plus its fields. */
function approximateBytes(message: Message): number {
  let units = message.text.length;
  for (const link of message.links ?? []) units += link.url.length + (link.title?.length ?? 0) + (link.description?.length ?? 0);
  return units * 3 + 512;
}

/** Messages of one sender waiting for their previews before the rest get verdicts without pages. */
const PREVIEW_BACKLOG_PER_SENDER = 20;

/**
 * A message read with previews still pending this long after it was sent, and not being
 * resolved, lost its resolution (the server stopped meanwhile): it is resolved again then.
 * Younger ones may still be on their way to their own resolution, which starts after the ack.
 */
const PENDING_PREVIEW_STALE_MS = 60_000;

export class MessagesService {
  private readonly previewQueue = new PreviewQueue(PREVIEW_BACKLOG_PER_SENDER);
  private readonly products: ProductShares | undefined;
  private closed = false;
  /** Messages whose previews are being resolved, by id. */
  private readonly resolving = new Set<string>();
  /** Messages sent before this time were sent to an earlier run of the server. */
  private readonly startedAt: number;

  constructor(
    private readonly deps: ChatDeps,
    private readonly writer: MessageWriter,
    private readonly links: LinkServices | undefined,
  ) {
    this.products = links === undefined ? undefined : new ProductShares(deps, writer, links);
    writer.onLateDurable((written) => this.announceLate(written));
    this.startedAt = deps.now();
  }

  /** Whether `products:share` can be answered: product cards need the link pipeline. */
  get canShareProducts(): boolean {
    return this.products !== undefined;
  }

  async shareProduct(userId: string, input: ClientPayload<'products:share'>): Promise<Result<ClientEventResults['products:share']>> {
    if (this.products === undefined) return err('invalid_input', 'products:share is not available on this server');
    const shared = await this.products.share(userId, input);
    // A retry answers the stored card, which may vouch for a merchant suspended since.
    return shared.ok ? ok({ message: await this.currentMessage(shared.value.message) }) : shared;
  }

  async send(userId: string, input: ClientPayload<'messages:send'>): Promise<Result<ClientEventResults['messages:send']>> {
    const urls = this.extractLinks(input.text);
    const job = { kind: 'text' as const, senderId: userId, conversationId: input.conversationId, clientId: input.clientId, text: input.text, createdAt: this.deps.now() };
    const written = await this.writer.write(urls.length > 0 ? { ...job, links: urls.map((url): LinkPreview => ({ url, state: 'pending' })) } : job);
    if (!written.ok) return written;
    const { message, created } = written.value;
    announceSent(this.deps, written.value);
    if (created && urls.length > 0) this.resolvePreviews(message, urls);
    // A retry answers the stored message: its previews as today's verdicts allow, as history does.
    return ok({ message: created ? message : await this.currentMessage(message) });
  }

  /**
   * A message whose first sync failed (its sender was answered `internal`), durable since a later
   * one: its members learn of it now, as they would have then, and its previews resolve.
   */
  private announceLate(written: Written): void {
    announceSent(this.deps, written);
    const { message } = written;
    if (message.links?.some((link) => link.state === 'pending')) this.resolvePreviews(message, message.links.map((link) => link.url));
  }

  /** A stored message as today's verdicts allow its previews and card to be shown. */
  async currentMessage(message: Message): Promise<Message> {
    return (await this.current([message]))[0] ?? message;
  }

  async history(userId: string, input: ClientPayload<'messages:history'>): Promise<Result<ClientEventResults['messages:history']>> {
    const member = this.deps.store.membership(input.conversationId, userId);
    if (member === undefined) return err('not_member', 'you are not a member of this conversation');
    const beforeSeq = input.beforeSeq ?? Number.MAX_SAFE_INTEGER;
    const page = this.deps.store.history(input.conversationId, member.joinSeq, beforeSeq, input.limit ?? LIMITS.historyLimitDefault);
    return ok({ ...page, messages: await this.current(page.messages) });
  }

  /** Conversations whose `lastMessage` shows its previews and card only as far as today's verdicts allow. */
  async currentConversations(conversations: Conversation[]): Promise<Conversation[]> {
    const last = conversations.flatMap((c) => (c.lastMessage === undefined ? [] : [c.lastMessage]));
    const current = await this.current(last);
    if (current.every((message, i) => message === last[i])) return conversations;
    const byId = new Map(current.map((message) => [message.id, message]));
    return conversations.map((c) => {
      const message = c.lastMessage === undefined ? undefined : byId.get(c.lastMessage.id);
      return message === undefined || message === c.lastMessage ? c : { ...c, lastMessage: message };
    });
  }

  /**
   * Stored messages as today's verdicts allow their previews and cards to be shown
   * (current-previews.ts). Asking the verdicts may take a moment: a preview that resolved
   * meanwhile (its `message:updated` already sent) is read again, so that this answer does not
   * take the message back to "pending" on the client; one still pending that nobody resolves
   * is resolved again (resolveIfLost).
   */
  private async current(messages: Message[]): Promise<Message[]> {
    if (this.links === undefined) return messages;
    const urls = verifiedUrlsOf(messages);
    let current = messages;
    if (urls.length > 0) {
      const verdicts = await this.links.verdicts(urls);
      current = withCurrentPreviews(messages, new Map(urls.map((url, i) => [url, verdicts[i] ?? { url, verdict: 'unverified', reason: 'verification_unavailable' }])));
    }
    return current.map((message) => {
      if (!message.links?.some((link) => link.state === 'pending')) return message;
      const links = this.deps.store.messageLinks(message.conversationId, message.seq);
      if (links !== undefined && !links.some((link) => link.state === 'pending')) return { ...message, links };
      this.resolveIfLost(message);
      return message;
    });
  }

  /**
   * Previews still pending on a message no one is resolving: the server stopped before they
   * resolved (a phishing warning would otherwise never come). Resolved again, announced with
   * `message:updated` as the first time.
   */
  private resolveIfLost(message: Message): void {
    if (this.closed || this.resolving.has(message.id) || message.links === undefined) return;
    const stale = message.createdAt < this.startedAt || message.createdAt < this.deps.now() - PENDING_PREVIEW_STALE_MS;
    if (stale) this.resolvePreviews(message, message.links.map((link) => link.url));
  }

  /**
   * What a client missed: for each of the caller's conversations, messages after the seq it
   * names (from its join when it names none; skipped with `onlyNamed`), oldest first, at most 1000 in all; plus every
   * conversation that changed or is new to the client, and the ids the client named that are
   * not its conversations (any more): a removal while offline reaches the client this way. An
   * id that never existed reads the same as one the caller left, so nothing leaks.
   */
  async sync(userId: string, input: ClientPayload<'messages:sync'>): Promise<Result<ClientEventResults['messages:sync']>> {
    const { store } = this.deps;
    const since = new Map(Object.entries(input.since));
    const messages: Message[] = [];
    const conversations: ClientEventResults['messages:sync']['conversations'] = [];
    let hasMore = false;
    let bytes = 0;
    const memberships = store.membershipsOf(userId);
    const mine = new Set(memberships.map(({ conversation }) => conversation.id));
    const removed = [...since.keys()].filter((id) => !mine.has(id));
    for (const { conversation, member } of memberships) {
      if (input.onlyNamed === true && !since.has(conversation.id)) continue;
      const named = since.get(conversation.id);
      const seen = Math.max(named ?? 0, member.joinSeq - 1);
      // A mark past the conversation's end (a client holding a reset server's seqs, or its own
      // bug) gets the conversation, whose lastSeq tells it: left out, it would wait silently for
      // messages up to its mark.
      if (conversation.lastSeq <= seen && named !== undefined && named <= conversation.lastSeq) continue;
      conversations.push(conversationView(store, conversation, member));
      if (conversation.lastSeq <= seen) continue;
      const budget = LIMITS.syncMessagesMax - messages.length;
      if (budget <= 0 || bytes >= SYNC_BYTES_MAX) {
        hasMore = true;
        continue;
      }
      const missed = store.messagesAfter(conversation.id, seen, budget + 1);
      if (missed.length > budget) {
        hasMore = true;
        missed.length = budget;
      }
      // Fewer than 1000 when they are long: one answer stays well under a socket's backlog cap.
      for (let i = 0; i < missed.length; i++) {
        const message = missed[i];
        if (message === undefined) break;
        if (bytes >= SYNC_BYTES_MAX) {
          hasMore = true;
          missed.length = i;
          break;
        }
        bytes += approximateBytes(message);
      }
      messages.push(...missed);
    }
    return ok({ messages: await this.current(messages), conversations: await this.currentConversations(conversations), hasMore, removed });
  }

  /**
   * Read marks are the most frequent write after sends, so they take the sends' path to disk:
   * committed without waiting, answered (and announced) after an asynchronous WAL sync, so
   * that a client reading a busy conversation never holds the event loop on an fsync.
   */
  async read(userId: string, input: ClientPayload<'messages:read'>): Promise<Result<ClientEventResults['messages:read']>> {
    const { store, fanout, members } = this.deps;
    const conversation = store.conversation(input.conversationId);
    if (conversation === undefined || store.membership(input.conversationId, userId) === undefined) {
      return err('not_member', 'you are not a member of this conversation');
    }
    const seq = Math.min(input.seq, conversation.lastSeq);
    const advanced = store.transactionDeferredSync(() => store.advanceReadSeq(input.conversationId, userId, seq));
    if (!advanced) return ok({});
    try {
      await store.syncCommitted();
    } catch (error) {
      this.deps.log.error('syncing a read mark to disk failed', error);
      return err('internal', 'the read mark could not be stored');
    }
    fanout.toUsers(members.readersOf(input.conversationId, seq), 'read', { conversationId: input.conversationId, userId, seq });
    return ok({});
  }

  typing(userId: string, input: ClientPayload<'typing'>): Result<ClientEventResults['typing']> {
    const memberIds = this.deps.members.memberIds(input.conversationId);
    if (!memberIds.includes(userId)) return err('not_member', 'you are not a member of this conversation');
    // As for sends: a direct conversation stays after `contacts:remove`, but typing into it no
    // longer reaches the other side (it would be a channel the removal did not close).
    if (this.deps.store.sendPermission(input.conversationId, userId) === 'not_contact') return err('not_contact', 'you are no longer contacts');
    this.deps.fanout.toUsersExcept(memberIds, userId, 'typing', { conversationId: input.conversationId, userId });
    return ok({});
  }

  /** Stops delivering previews that resolve from now on and waits for those under way to settle. */
  async close(): Promise<void> {
    this.closed = true;
    await this.previewQueue.close();
  }

  private extractLinks(text: string): string[] {
    if (this.links === undefined) return [];
    try {
      return this.links.extract(text);
    } catch (error) {
      this.deps.log.error('link extraction failed', error);
      return [];
    }
  }

  /**
   * After the ack and the fan-out: previews arrive later as `message:updated` (DESIGN.md §3.6),
   * one message at a time per sender (see PreviewQueue).
   */
  private resolvePreviews(message: Message, urls: readonly string[]): void {
    const links = this.links;
    if (links === undefined || this.resolving.has(message.id)) return;
    this.resolving.add(message.id);
    this.previewQueue.push(message.senderId, async (fetchPages) => {
      try {
        await this.resolveNow(links, message, urls, fetchPages);
      } finally {
        this.resolving.delete(message.id);
      }
    });
  }

  private async resolveNow(links: LinkServices, message: Message, urls: readonly string[], fetchPages: boolean): Promise<void> {
    const previews = await links.preview(urls, { fetchPages, owner: message.senderId }).catch((error: unknown): LinkPreview[] => {
      this.deps.log.error('link preview failed', error);
      return urls.map((url) => ({ url, state: 'unverified', reason: 'verification_unavailable' }));
    });
    if (this.closed) return;
    try {
      this.deps.store.setMessageLinks(message.conversationId, message.seq, previews);
    } catch (error) {
      this.deps.log.error('storing link previews failed', error);
      return;
    }
    const update = { conversationId: message.conversationId, messageId: message.id, links: previews };
    // Only members who may read the message: one added while its preview was fetched joined
    // after it, and must not learn its links from the update (history leaves it out for them).
    this.deps.fanout.toUsers(this.deps.members.readersOf(message.conversationId, message.seq), 'message:updated', update);
  }
}
