/**
 * Member ids per conversation, kept in memory for the send path (a 500-member fan-out must not
 * read 500 rows per message). Every membership change goes through the group and conversation
 * services, which forget the entry; a cluster would forget it through its pub/sub adapter.
 */
import type { ChatStore } from '../store/chat-store';

const MAX_ENTRIES = 50_000;

export class MemberCache {
  private readonly members = new Map<string, readonly string[]>();

  constructor(private readonly store: ChatStore) {}

  memberIds(conversationId: string): readonly string[] {
    const cached = this.members.get(conversationId);
    if (cached !== undefined) return cached;
    const ids = this.store.memberIdsOf(conversationId);
    if (this.members.size >= MAX_ENTRIES) this.members.clear();
    this.members.set(conversationId, ids);
    return ids;
  }

  forget(conversationId: string): void {
    this.members.delete(conversationId);
  }
}
