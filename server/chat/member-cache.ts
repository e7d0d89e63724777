/**
 * Member ids per conversation, with the seq each may read from, kept in memory for the send path
 * (a 500-member fan-out must not read 500 rows per message). Every membership change goes
 * through the group and conversation services, which forget the entry; a cluster would forget it
 * through its pub/sub adapter.
 */
import type { ChatStore } from '../store/chat-store';

const MAX_ENTRIES = 50_000;

interface Entry {
  ids: readonly string[];
  joinSeqs: readonly number[];
  /** The latest join: a message at or after it goes to every member without filtering. */
  newestJoin: number;
}

export class MemberCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly store: ChatStore) {}

  /** Everyone who is a member now (typing, presence of the list, group announcements). */
  memberIds(conversationId: string): readonly string[] {
    return this.entry(conversationId).ids;
  }

  /**
   * The members who may read what happened at `seq` (a message, a read mark). A member added
   * while a send waited for the disk joined after it: history hides that message from it, so
   * the live event must not show it either.
   */
  readersOf(conversationId: string, seq: number): readonly string[] {
    const entry = this.entry(conversationId);
    if (entry.newestJoin <= seq) return entry.ids;
    return entry.ids.filter((_, i) => (entry.joinSeqs[i] ?? Infinity) <= seq);
  }

  forget(conversationId: string): void {
    this.entries.delete(conversationId);
  }

  private entry(conversationId: string): Entry {
    const cached = this.entries.get(conversationId);
    if (cached !== undefined) return cached;
    const joins = this.store.memberJoinsOf(conversationId);
    const entry: Entry = {
      ids: joins.map((join) => join.userId),
      joinSeqs: joins.map((join) => join.joinSeq),
      newestJoin: joins.reduce((newest, join) => Math.max(newest, join.joinSeq), 0),
    };
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(conversationId, entry);
    return entry;
  }
}
