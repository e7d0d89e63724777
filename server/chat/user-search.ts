/** `users:search`: by username or display name, prefix matches first, never the caller. */
import { LIMITS } from '../../protocol';
import type { User } from '../../protocol';
import type { ChatStore } from '../store/chat-store';

export function searchUsers(store: ChatStore, callerId: string, query: string): { users: User[] } {
  const trimmed = query.trim();
  if (trimmed === '') return { users: [] };
  return { users: store.searchUsers(trimmed, callerId, LIMITS.searchResultsMax) };
}
