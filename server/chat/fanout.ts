/**
 * How services reach users: every socket of a user is in the room `user:<id>`. One call is one
 * broadcast, so a payload is serialised once however many members receive it.
 */
import type { ServerToClientEvents } from '../../protocol';

export type ServerEvent = keyof ServerToClientEvents;
export type ServerEventArgs<E extends ServerEvent> = Parameters<ServerToClientEvents[E]>;

export interface Fanout {
  toUsers<E extends ServerEvent>(userIds: readonly string[], event: E, ...args: ServerEventArgs<E>): void;
  /** The same, leaving out every socket of one user (typing is not echoed to its author). */
  toUsersExcept<E extends ServerEvent>(userIds: readonly string[], exceptUserId: string, event: E, ...args: ServerEventArgs<E>): void;
}

export interface Presence {
  isOnline(userId: string): boolean;
}

export function userRoom(userId: string): string {
  return `user:${userId}`;
}
