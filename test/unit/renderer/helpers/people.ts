/** Users and direct conversations for renderer tests that need a chat list but no server. */
import type { Contact, Conversation, Member, User } from '../../../../protocol';

export const user = (id: string, name: string): User => ({ id, username: id, displayName: name });

export const member = (who: User): Member => ({ user: who, role: 'member', joinedAt: 1, readSeq: 0 });

/** The direct conversation `id` of `me` and `other`, titled with the other's name. */
export const direct = (me: User, id: string, other: User): Conversation => ({ id, kind: 'direct', title: other.displayName, members: [member(me), member(other)], lastSeq: 0, readSeq: 0, unread: 0, createdAt: 1 });

/** The contact list the store keeps: each user a contact, online. */
export const contactsOf = (users: readonly User[]): Record<string, Contact> => Object.fromEntries(users.map((u) => [u.id, { user: u, since: 1, online: true }]));
