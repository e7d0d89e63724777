/** `users:search`: by username or display name, prefix matches first, never the caller. */
import { CONTROL_CHARS, LIMITS } from '../../protocol';
import type { User } from '../../protocol';
import type { ChatStore } from '../store/chat-store';

export function searchUsers(store: ChatStore, callerId: string, query: string): { users: User[] } {
  const trimmed = query.trim();
  // No username or display name holds a control character, so such a query matches nobody; and
  // SQLite's LIKE would read a pattern only up to a U+0000, answering `a\u0000zzz` as `a`.
  if (trimmed === '' || CONTROL_CHARS.test(trimmed)) return { users: [] };
  return { users: store.searchUsers(trimmed, callerId, LIMITS.searchResultsMax) };
}
