/** The one direct conversation of a pair of users, created on first need. */
import { randomUUID } from 'node:crypto';
import type { ChatStore } from '../store/chat-store';
import { directKey } from '../store/sqlite-store';

export function ensureDirectConversation(store: ChatStore, a: string, b: string, now: number): { id: string; created: boolean } {
  return store.transaction(() => {
    const existing = store.directConversationId(a, b);
    if (existing !== undefined) return { id: existing, created: false };
    const id = randomUUID();
    store.insertConversation({ id, kind: 'direct', title: '', createdAt: now, directKey: directKey(a, b) });
    for (const userId of [a, b]) store.insertMember(id, { userId, role: 'member', joinedAt: now, joinSeq: 1, readSeq: 0 });
    return { id, created: true };
  });
}
