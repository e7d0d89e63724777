/** Builds the wire shapes of PROTOCOL.md §3 from store records, for one viewer. */
import type { Contact, ContactRequest, Conversation, Member, User } from '../../protocol';
import type { ChatStore, ContactRequestRecord, ConversationRecord, MemberRecord, MemberWithUser } from '../store/chat-store';
import type { Presence } from './fanout';

const UNKNOWN_USER = (id: string): User => ({ id, username: '', displayName: '' });

export function contactView(user: User, since: number, presence: Presence): Contact {
  return { user, since, online: presence.isOnline(user.id) };
}

export function requestViews(store: ChatStore, records: readonly ContactRequestRecord[]): ContactRequest[] {
  const users = store.usersByIds([...new Set(records.flatMap((r) => [r.fromId, r.toId]))]);
  return records.map((record) => {
    const view: ContactRequest = {
      id: record.id,
      from: users.get(record.fromId) ?? UNKNOWN_USER(record.fromId),
      to: users.get(record.toId) ?? UNKNOWN_USER(record.toId),
      status: record.status,
      createdAt: record.createdAt,
    };
    if (record.note !== undefined) view.note = record.note;
    return view;
  });
}

export function requestView(store: ChatStore, record: ContactRequestRecord): ContactRequest {
  const [view] = requestViews(store, [record]);
  if (view === undefined) throw new Error('requestViews lost a request');
  return view;
}

/** Each member's read mark travels with it, so a client shows "read" and "read by N" after a reload. */
function memberViews(members: readonly MemberWithUser[]): Member[] {
  return members.map((m) => ({ user: m.user, role: m.role, joinedAt: m.joinedAt, readSeq: m.readSeq }));
}

function titleFor(conversation: ConversationRecord, viewerId: string, members: readonly MemberWithUser[]): string {
  if (conversation.kind === 'group') return conversation.title;
  const other = members.find((m) => m.userId !== viewerId);
  return other?.user.displayName ?? conversation.title;
}

/** The conversation as one member sees it: its title, its read mark, what is unread for it. */
export function conversationView(
  store: ChatStore,
  conversation: ConversationRecord,
  viewer: MemberRecord,
  members: readonly MemberWithUser[] = store.membersOf(conversation.id),
): Conversation {
  const readSeq = Math.min(viewer.readSeq, conversation.lastSeq);
  const view: Conversation = {
    id: conversation.id,
    kind: conversation.kind,
    title: titleFor(conversation, viewer.userId, members),
    members: memberViews(members),
    lastSeq: conversation.lastSeq,
    readSeq,
    unread: Math.max(0, conversation.lastSeq - Math.max(readSeq, viewer.joinSeq - 1)),
    createdAt: conversation.createdAt,
  };
  if (conversation.lastSeq >= viewer.joinSeq) {
    const last = store.lastMessage(conversation.id);
    if (last !== undefined) view.lastMessage = last;
  }
  return view;
}

/**
 * The conversation for each of its members, grouped so that members who would receive the
 * same payload share one broadcast (same title and read mark): a 500-member group change is a
 * handful of serialisations, not 500.
 */
export function conversationViewsForMembers(store: ChatStore, conversationId: string): { userIds: string[]; conversation: Conversation }[] {
  const conversation = store.conversation(conversationId);
  if (conversation === undefined) return [];
  const members = store.membersOf(conversationId);
  const groups = new Map<string, { userIds: string[]; conversation: Conversation }>();
  for (const member of members) {
    const key = conversation.kind === 'direct' ? member.userId : `${member.readSeq} ${member.joinSeq}`;
    const group = groups.get(key);
    if (group !== undefined) group.userIds.push(member.userId);
    else groups.set(key, { userIds: [member.userId], conversation: conversationView(store, conversation, member, members) });
  }
  return [...groups.values()];
}
