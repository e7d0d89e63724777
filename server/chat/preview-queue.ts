/**
 * Link previews are fetched one message at a time per sender. The safe fetcher has one global
 * cap on concurrent fetches (8) and a queue behind it; without this, one sender whose links
 * hang (a slow path on some verified shop, every query string a new URL) filled that queue and
 * every other user's previews and product cards waited minutes, or came back without a page.
 * Now a sender holds at most one message's links (3) of the fetch slots; its other messages
 * wait in its own queue, and past `backlogMax` of them a message gets its verdicts without a
 * page fetch rather than waiting (the verdict is never skipped; a verified link whose page was
 * not fetched shows as not checked, never as verified: a sender can fill its backlog at will).
 */
export type PreviewJob = (fetchPages: boolean) => Promise<void>;

/** Jobs handle their own failures; one that throws anyway must not stop its sender's queue. */
const settle = (running: Promise<void>): Promise<void> => running.catch(() => undefined);

export class PreviewQueue {
  private readonly waiting = new Map<string, PreviewJob[]>();
  private readonly drains = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly backlogMax: number) {}

  /** Runs the job after the sender's earlier ones, or at once without page fetches when its backlog is full. */
  push(senderId: string, job: PreviewJob): void {
    if (this.closed) return;
    const queue = this.waiting.get(senderId);
    if (queue === undefined) {
      this.waiting.set(senderId, [job]);
      const drain = this.drain(senderId).finally(() => this.drains.delete(drain));
      this.drains.add(drain);
    } else if (queue.length - 1 >= this.backlogMax) {
      // queue[0] is the job under way; the rest wait.
      const quick = settle(job(false)).finally(() => this.drains.delete(quick));
      this.drains.add(quick);
    } else {
      queue.push(job);
    }
  }

  /** Starts nothing more and resolves once the jobs under way have settled. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.drains.size > 0) await Promise.allSettled([...this.drains]);
  }

  private async drain(senderId: string): Promise<void> {
    const queue = this.waiting.get(senderId);
    // The running job stays at the head of the queue, so that `push` sees the sender busy.
    for (let job = queue?.[0]; job !== undefined && !this.closed; job = queue?.[0]) {
      await settle(job(true));
      queue?.shift();
    }
    this.waiting.delete(senderId);
  }
}
