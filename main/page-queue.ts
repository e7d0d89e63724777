/** Beyond this, more of the same while no window listens is noise, not something the user asked for. */
const WAITING_MAX = 16;

/**
 * Holds what main sends the page (deep links, notification clicks) until the window has loaded,
 * then delivers it in order. A window that is closed, reloading or not yet made would otherwise
 * drop it; the preload in turn keeps it until the page subscribes.
 */
export class PageQueue<T> {
  private pending: T[] = [];
  private deliver: ((item: T) => void) | undefined;

  push(item: T): void {
    if (this.deliver) this.deliver(item);
    else if (this.pending.length < WAITING_MAX) this.pending.push(item);
  }

  /** The window is ready: flush what waited, then deliver directly. */
  attach(deliver: (item: T) => void): void {
    this.deliver = deliver;
    const waiting = this.pending;
    this.pending = [];
    for (const item of waiting) deliver(item);
  }

  /** The window is gone or reloading: hold items again. */
  detach(): void {
    this.deliver = undefined;
  }
}
