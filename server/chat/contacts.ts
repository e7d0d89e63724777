/** Contacts and contact requests (PROTOCOL.md §3). */
import { randomUUID } from 'node:crypto';
import { err, ok } from '../../protocol';
import type { ClientEventResults, Contact, Conversation, Result } from '../../protocol';
import type { ClientPayload } from '../../protocol/schemas';
import type { LinkServices } from '../links/link-services';
import type { ContactRequestRecord } from '../store/chat-store';
import { announceConversation } from './announce-conversation';
import type { ChatDeps } from './chat-deps';
import { ensureDirectConversation } from './direct-conversations';
import { contactView, conversationView, requestView, requestViews } from './views';

export class ContactsService {
  constructor(
    private readonly deps: ChatDeps,
    /** Verdicts for the last message of a direct conversation found again (announce-conversation.ts). */
    private readonly links: LinkServices | undefined,
  ) {}

  list(userId: string): Result<ClientEventResults['contacts:list']> {
    const { store, presence } = this.deps;
    const contacts = store.contactsOf(userId).map((c) => contactView(c.user, c.since, presence));
    const pending = store.pendingRequestsOf(userId);
    return ok({ contacts, incoming: requestViews(store, pending.incoming), outgoing: requestViews(store, pending.outgoing) });
  }

  request(userId: string, input: ClientPayload<'contacts:request'>): Result<ClientEventResults['contacts:request']> {
    const { store, fanout, now } = this.deps;
    if (input.userId === userId) return err('invalid_input', 'you cannot add yourself');
    if (store.userById(input.userId) === undefined) return err('not_found', 'no such user');
    if (store.areContacts(userId, input.userId)) return err('invalid_input', 'already a contact');
    const mine = store.pendingRequest(userId, input.userId);
    if (mine !== undefined) return ok({ request: requestView(store, mine) });
    const theirs = store.pendingRequest(input.userId, userId);
    if (theirs !== undefined) {
      const accepted = this.accept(theirs);
      return ok({ request: accepted.request });
    }
    const record: ContactRequestRecord = { id: randomUUID(), fromId: userId, toId: input.userId, status: 'pending', createdAt: now() };
    if (input.note !== undefined && input.note.trim() !== '') record.note = input.note;
    store.insertContactRequest(record);
    const request = requestView(store, record);
    fanout.toUsers([input.userId], 'contacts:request', request);
    fanout.toUsers([userId], 'contacts:updated', { request });
    return ok({ request });
  }

  respond(userId: string, input: ClientPayload<'contacts:respond'>): Result<ClientEventResults['contacts:respond']> {
    const { store, fanout } = this.deps;
    const record = store.contactRequest(input.requestId);
    if (record === undefined) return err('not_found', 'no such request');
    if (record.toId !== userId) return err('forbidden', 'only the addressee can answer a request');
    if (record.status !== 'pending') {
      if (record.status === 'accepted' && input.accept && store.areContacts(record.fromId, record.toId)) {
        return ok(this.acceptedResult(record, userId));
      }
      return err('invalid_input', `the request is already ${record.status}`);
    }
    if (input.accept) {
      this.accept(record);
      return ok(this.acceptedResult({ ...record, status: 'accepted' }, userId));
    }
    store.setContactRequestStatus(record.id, 'declined');
    const request = requestView(store, { ...record, status: 'declined' });
    fanout.toUsers([record.fromId, record.toId], 'contacts:updated', { request });
    return ok({ request });
  }

  /**
   * Ends what ties the two: the contact, and a request still pending either way (the contract
   * has no other way to take back a request sent by mistake; the addressee's remove turns one
   * down). Such a request ends `declined`, the one ended state besides `accepted`, and both
   * sides are told as a decline tells them.
   */
  remove(userId: string, input: ClientPayload<'contacts:remove'>): Result<ClientEventResults['contacts:remove']> {
    const { store, fanout } = this.deps;
    if (input.userId === userId) return err('invalid_input', 'you cannot remove yourself');
    const { ended, removed } = store.transaction(() => {
      const pending = [store.pendingRequest(userId, input.userId), store.pendingRequest(input.userId, userId)];
      const ended = pending.filter((r): r is ContactRequestRecord => r !== undefined);
      for (const record of ended) store.setContactRequestStatus(record.id, 'declined');
      return { ended, removed: store.removeContactPair(userId, input.userId) };
    });
    for (const record of ended) {
      fanout.toUsers([record.fromId, record.toId], 'contacts:updated', { request: requestView(store, { ...record, status: 'declined' }) });
    }
    if (removed) {
      fanout.toUsers([userId], 'contacts:updated', { removedUserId: input.userId });
      fanout.toUsers([input.userId], 'contacts:updated', { removedUserId: userId });
    }
    return ok({});
  }

  /** Makes both sides contacts, opens their direct conversation and tells both. */
  private accept(record: ContactRequestRecord): { request: ReturnType<typeof requestView>; conversationId: string } {
    const { store, fanout, now } = this.deps;
    const at = now();
    const conversation = store.transaction(() => {
      store.setContactRequestStatus(record.id, 'accepted');
      store.addContactPair(record.fromId, record.toId, at);
      return ensureDirectConversation(store, record.fromId, record.toId, at);
    });
    const request = requestView(store, { ...record, status: 'accepted' });
    for (const [self, other] of [[record.fromId, record.toId], [record.toId, record.fromId]] as const) {
      const contact = this.contactOf(self, other);
      fanout.toUsers([self], 'contacts:updated', contact === undefined ? { request } : { contact, request });
    }
    announceConversation(this.deps, this.links, conversation.id);
    return { request, conversationId: conversation.id };
  }

  private acceptedResult(record: ContactRequestRecord, viewerId: string): ClientEventResults['contacts:respond'] {
    const { store } = this.deps;
    const request = requestView(store, record);
    const otherId = record.fromId === viewerId ? record.toId : record.fromId;
    const result: ClientEventResults['contacts:respond'] = { request };
    const contact = this.contactOf(viewerId, otherId);
    if (contact !== undefined) result.contact = contact;
    const conversation = this.directView(viewerId, otherId);
    if (conversation !== undefined) result.conversation = conversation;
    return result;
  }

  private contactOf(self: string, other: string): Contact | undefined {
    const since = this.deps.store.contactSince(self, other);
    const user = since === undefined ? undefined : this.deps.store.userById(other);
    return since === undefined || user === undefined ? undefined : contactView(user, since, this.deps.presence);
  }

  private directView(viewerId: string, otherId: string): Conversation | undefined {
    const { store } = this.deps;
    const id = store.directConversationId(viewerId, otherId);
    const conversation = id === undefined ? undefined : store.conversation(id);
    const member = id === undefined ? undefined : store.membership(id, viewerId);
    return conversation === undefined || member === undefined ? undefined : conversationView(store, conversation, member);
  }
}
