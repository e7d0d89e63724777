/** What every chat service is built from. */
import type { ChatStore } from '../store/chat-store';
import type { Fanout, Presence } from './fanout';
import type { Logger } from './logger';
import type { MemberCache } from './member-cache';

export interface ChatDeps {
  store: ChatStore;
  fanout: Fanout;
  presence: Presence;
  members: MemberCache;
  log: Logger;
  now(): number;
}
