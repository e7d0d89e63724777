/**
 * Who is online, counted per user over all of its sockets: contacts hear `presence` when the
 * first device connects and when the last one leaves, not for every tab.
 */
import type { Fanout, Presence } from '../chat/fanout';
import type { ChatStore } from '../store/chat-store';

export class PresenceTracker implements Presence {
  private readonly sockets = new Map<string, number>();
  private stopped = false;

  constructor(
    private readonly store: ChatStore,
    private readonly fanout: () => Fanout,
  ) {}

  isOnline(userId: string): boolean {
    return (this.sockets.get(userId) ?? 0) > 0;
  }

  connected(userId: string): void {
    const count = (this.sockets.get(userId) ?? 0) + 1;
    this.sockets.set(userId, count);
    if (count === 1) this.announce(userId, true);
  }

  disconnected(userId: string): void {
    const count = (this.sockets.get(userId) ?? 0) - 1;
    if (count > 0) {
      this.sockets.set(userId, count);
      return;
    }
    this.sockets.delete(userId);
    this.announce(userId, false);
  }

  /** At shutdown: sockets still close, but nobody is told (the store is about to close). */
  stop(): void {
    this.stopped = true;
  }

  private announce(userId: string, online: boolean): void {
    if (this.stopped) return;
    this.fanout().toUsers(this.store.contactIdsOf(userId), 'presence', { userId, online });
  }
}
