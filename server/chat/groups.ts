/**
 * Groups (PROTOCOL.md §3): roles owner / admin / member, at most 500 members. Every change is
 * stored with a `system` message in the same transaction, so history shows it in order.
 */
import { randomUUID } from 'node:crypto';
import { LIMITS, err, ok } from '../../protocol';
import type { ClientEventResults, Conversation, MemberRole, Message, Result, SystemInfo } from '../../protocol';
import type { ClientPayload } from '../../protocol/schemas';
import type { ConversationRecord, MemberRecord } from '../store/chat-store';
import type { ChatDeps } from './chat-deps';
import { RateLimiter, type RateRule } from './rate-limiter';
import { conversationView, conversationViewsForMembers } from './views';

type Authorized = { conversation: ConversationRecord; actor: MemberRecord };

const MANAGERS: readonly MemberRole[] = ['owner', 'admin'];

/** Above this many members, a group's changes take a token of the large-group limit too. */
const LARGE_GROUP_MEMBERS = 100;

export class GroupsService {
  /** Changes of large groups, per actor (see LARGE_GROUP_MEMBERS). */
  private readonly largeChanges: RateLimiter;

  constructor(
    private readonly deps: ChatDeps,
    largeGroupChanges: RateRule = { burst: 10, perSecond: 1 },
    /** Resolves once every send committed so far has been announced (MessageWriter.settled). */
    private readonly sendsAnnounced: () => Promise<void> = () => Promise.resolve(),
  ) {
    this.largeChanges = new RateLimiter(largeGroupChanges);
  }

  /**
   * A change of a group this large costs tens of milliseconds of the event loop (a view per
   * distinct read mark among its members, each to its members' sockets), against microseconds
   * for a small one: the group-change limit alone let one admin keep a quarter of a core busy.
   */
  private tooManyLargeChanges(actorId: string, members: number): Result<never> | undefined {
    if (members <= LARGE_GROUP_MEMBERS || this.largeChanges.take(actorId)) return undefined;
    return err('rate_limited', 'too many changes to large groups; slow down');
  }

  async create(actorId: string, input: ClientPayload<'groups:create'>): Promise<Result<ClientEventResults['groups:create']>> {
    const { store, now } = this.deps;
    const memberIds = [...new Set(input.memberIds)].filter((id) => id !== actorId);
    if (memberIds.length + 1 > LIMITS.groupMembersMax) return err('group_full', `a group holds at most ${LIMITS.groupMembersMax} members`);
    const stranger = memberIds.find((id) => !store.areContacts(actorId, id));
    if (stranger !== undefined) return err('not_contact', 'every member must be one of your contacts');
    const limited = this.tooManyLargeChanges(actorId, memberIds.length + 1);
    if (limited !== undefined) return limited;
    const id = randomUUID();
    const at = now();
    const message = store.transaction(() => {
      store.insertConversation({ id, kind: 'group', title: input.title, createdAt: at });
      const created = this.system(id, actorId, at, { event: 'created', actorId, targetIds: memberIds, detail: input.title });
      store.insertMember(id, { userId: actorId, role: 'owner', joinedAt: at, joinSeq: created.seq, readSeq: created.seq });
      for (const userId of memberIds) store.insertMember(id, { userId, role: 'member', joinedAt: at, joinSeq: created.seq, readSeq: created.seq });
      return created;
    });
    return this.announce(id, actorId, [message], []);
  }

  async addMembers(actorId: string, input: ClientPayload<'groups:addMembers'>): Promise<Result<ClientEventResults['groups:addMembers']>> {
    const { store, now } = this.deps;
    const auth = this.authorize(input.conversationId, actorId, MANAGERS);
    if (!auth.ok) return auth;
    const newIds = [...new Set(input.userIds)].filter((id) => store.membership(input.conversationId, id) === undefined);
    if (newIds.length === 0) return this.viewResult(input.conversationId, actorId);
    const stranger = newIds.find((id) => !store.areContacts(actorId, id));
    if (stranger !== undefined) return err('not_contact', 'you can only add your contacts');
    const before = store.memberCount(input.conversationId);
    if (before + newIds.length > LIMITS.groupMembersMax) {
      return err('group_full', `a group holds at most ${LIMITS.groupMembersMax} members`);
    }
    // authorize() charged a group large before the change; one this change makes large costs
    // the same (a group of 100 grown to 500 by one add was a free 500-member fan-out).
    const limited = before <= LARGE_GROUP_MEMBERS ? this.tooManyLargeChanges(actorId, before + newIds.length) : undefined;
    if (limited !== undefined) return limited;
    const at = now();
    const message = store.transaction(() => {
      const added = this.system(input.conversationId, actorId, at, { event: 'member_added', actorId, targetIds: newIds });
      for (const userId of newIds) store.insertMember(input.conversationId, { userId, role: 'member', joinedAt: at, joinSeq: added.seq, readSeq: added.seq });
      return added;
    });
    return this.announce(input.conversationId, actorId, [message], []);
  }

  async removeMember(actorId: string, input: ClientPayload<'groups:removeMember'>): Promise<Result<ClientEventResults['groups:removeMember']>> {
    const { store, now } = this.deps;
    const auth = this.authorize(input.conversationId, actorId, MANAGERS);
    if (!auth.ok) return auth;
    if (input.userId === actorId) return err('invalid_input', 'use groups:leave to leave a group');
    const target = store.membership(input.conversationId, input.userId);
    if (target === undefined) return err('not_found', 'that user is not a member');
    if (target.role === 'owner') return err('forbidden', 'the owner cannot be removed');
    const message = store.transaction(() => {
      const removed = this.system(input.conversationId, actorId, now(), { event: 'member_removed', actorId, targetIds: [input.userId] });
      store.deleteMember(input.conversationId, input.userId);
      return removed;
    });
    return this.announce(input.conversationId, actorId, [message], [input.userId]);
  }

  async setRole(actorId: string, input: ClientPayload<'groups:setRole'>): Promise<Result<ClientEventResults['groups:setRole']>> {
    const { store, now } = this.deps;
    const auth = this.authorize(input.conversationId, actorId, ['owner']);
    if (!auth.ok) return auth;
    if (input.userId === actorId) return err('invalid_input', 'the owner keeps the owner role; leave to hand it over');
    const target = store.membership(input.conversationId, input.userId);
    if (target === undefined) return err('not_found', 'that user is not a member');
    if (target.role === input.role) return this.viewResult(input.conversationId, actorId);
    const message = store.transaction(() => {
      store.setRole(input.conversationId, input.userId, input.role);
      return this.system(input.conversationId, actorId, now(), { event: 'role_changed', actorId, targetIds: [input.userId], detail: input.role });
    });
    return this.announce(input.conversationId, actorId, [message], []);
  }

  async rename(actorId: string, input: ClientPayload<'groups:rename'>): Promise<Result<ClientEventResults['groups:rename']>> {
    const { store, now } = this.deps;
    const auth = this.authorize(input.conversationId, actorId, MANAGERS);
    if (!auth.ok) return auth;
    if (auth.value.conversation.title === input.title) return this.viewResult(input.conversationId, actorId);
    const message = store.transaction(() => {
      store.setConversationTitle(input.conversationId, input.title);
      return this.system(input.conversationId, actorId, now(), { event: 'renamed', actorId, targetIds: [], detail: input.title });
    });
    return this.announce(input.conversationId, actorId, [message], []);
  }

  async leave(actorId: string, input: ClientPayload<'groups:leave'>): Promise<Result<ClientEventResults['groups:leave']>> {
    const { store, now } = this.deps;
    const auth = this.authorize(input.conversationId, actorId, ['owner', 'admin', 'member']);
    if (!auth.ok) return auth;
    const at = now();
    const messages = store.transaction(() => {
      const stored = [this.system(input.conversationId, actorId, at, { event: 'member_left', actorId, targetIds: [actorId] })];
      store.deleteMember(input.conversationId, actorId);
      if (auth.value.actor.role === 'owner') {
        const successor = store.longestStanding(input.conversationId, 'admin') ?? store.longestStanding(input.conversationId, 'member');
        if (successor !== undefined) {
          store.setRole(input.conversationId, successor, 'owner');
          stored.push(this.system(input.conversationId, actorId, at, { event: 'role_changed', actorId, targetIds: [successor], detail: 'owner' }));
        }
      }
      return stored;
    });
    await this.announce(input.conversationId, actorId, messages, [actorId]);
    return ok({});
  }

  /** The actor's membership and role; a manager's change of a large group also takes a large-change token. */
  private authorize(conversationId: string, actorId: string, roles: readonly MemberRole[]): Result<Authorized> {
    const { store } = this.deps;
    const conversation = store.conversation(conversationId);
    const actor = conversation === undefined ? undefined : store.membership(conversationId, actorId);
    if (conversation === undefined || actor === undefined) return err('not_member', 'you are not a member of this conversation');
    if (conversation.kind !== 'group') return err('invalid_input', 'this is not a group');
    if (!roles.includes(actor.role)) return err('forbidden', `only ${roles.join(' or ')} may do that`);
    // Leaving (open to every role) happens once; the changes managers can repeat are limited.
    const limited = roles.includes('member') ? undefined : this.tooManyLargeChanges(actorId, this.deps.members.memberIds(conversationId).length);
    if (limited !== undefined) return limited;
    return ok({ conversation, actor });
  }

  /** Stores a group change; like a send, it does not count as unread for the one who made it. */
  private system(conversationId: string, actorId: string, at: number, system: SystemInfo): Message {
    const { store } = this.deps;
    const message = store.appendMessage({ conversationId, senderId: actorId, clientId: `system:${randomUUID()}`, kind: 'system', text: '', createdAt: at, system });
    store.advanceReadSeq(conversationId, actorId, message.seq);
    return message;
  }

  /**
   * Called right after the commit. What members learn is taken at once, in the state of this
   * commit: the member list is forgotten before any later send commits (a send's readers are
   * taken at its commit), and the views carry this change's seq. It is sent only once every
   * send committed before this change has been announced: those sends wait for a disk sync
   * this change's own commit did not, and members must see seqs in order (PROTOCOL.md §3:
   * catch-up is `seq > n`).
   */
  private async announce(conversationId: string, actorId: string, messages: readonly Message[], removedIds: readonly string[]): Promise<Result<{ conversation: Conversation }>> {
    const { fanout, members } = this.deps;
    members.forget(conversationId);
    const views = conversationViewsForMembers(this.deps.store, conversationId);
    const deliveries = messages.map((message) => ({ message, readers: members.readersOf(conversationId, message.seq) }));
    const result = this.viewResult(conversationId, actorId);
    await this.sendsAnnounced();
    for (const { userIds, conversation } of views) fanout.toUsers(userIds, 'conversation:updated', conversation);
    for (const { message, readers } of deliveries) fanout.toUsers(readers, 'message:new', message);
    if (removedIds.length > 0) fanout.toUsers(removedIds, 'conversation:removed', { conversationId });
    return result;
  }

  private viewResult(conversationId: string, viewerId: string): Result<{ conversation: Conversation }> {
    const { store } = this.deps;
    const conversation = store.conversation(conversationId);
    const member = store.membership(conversationId, viewerId);
    if (conversation === undefined || member === undefined) {
      return conversation === undefined ? err('not_found', 'no such conversation') : err('not_member', 'you are no longer a member');
    }
    return ok({ conversation: conversationView(store, conversation, member) });
  }
}
