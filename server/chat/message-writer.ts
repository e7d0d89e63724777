/**
 * Group commit for sends (DESIGN.md §2): every send that arrives in one turn of the event loop
 * is written in ONE transaction, so one fsync covers them all; then each is answered. A send is
 * answered only after its transaction committed, so an acknowledged message survives a crash.
 */
import { err, ok } from '../../protocol';
import type { LinkPreview, Message, ProductCard, Result } from '../../protocol';
import type { ChatStore } from '../store/chat-store';
import type { Logger } from './logger';

/** A text message (with its pending link previews) or a merchant's product card. */
export type SendJob = SendCommon & ({ kind: 'text'; links?: LinkPreview[] } | { kind: 'product'; product: ProductCard });

interface SendCommon {
  senderId: string;
  conversationId: string;
  clientId: string;
  text: string;
  createdAt: number;
}

export interface Written {
  message: Message;
  /** False when the (sender, clientId) pair was already stored: a retry. */
  created: boolean;
}

interface Pending {
  job: SendJob;
  resolve(result: Result<Written>): void;
}

/** Bounds one transaction, so that a burst cannot hold the write lock for long. */
const MAX_BATCH = 2000;

export class MessageWriter {
  private queue: Pending[] = [];
  private scheduled = false;
  private closed = false;

  constructor(
    private readonly store: ChatStore,
    private readonly log: Logger,
  ) {}

  write(job: SendJob): Promise<Result<Written>> {
    if (this.closed) return Promise.resolve(err('internal', 'the server is shutting down'));
    return new Promise((resolve) => {
      this.queue.push({ job, resolve });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Writes what is queued and refuses anything after. */
  close(): void {
    this.flush();
    this.closed = true;
  }

  private flush(): void {
    this.scheduled = false;
    while (this.queue.length > 0) {
      const batch = this.queue.length <= MAX_BATCH ? this.queue : this.queue.slice(0, MAX_BATCH);
      this.queue = this.queue.length <= MAX_BATCH ? [] : this.queue.slice(MAX_BATCH);
      let results: Result<Written>[];
      try {
        results = this.store.transaction(() => batch.map((pending) => this.writeOne(pending.job)));
      } catch (error) {
        this.log.error('message batch failed to commit', error);
        results = batch.map(() => err('internal', 'the message could not be stored'));
      }
      batch.forEach((pending, i) => pending.resolve(results[i] ?? err('internal', 'the message could not be stored')));
    }
  }

  /** One send inside the batch; a savepoint keeps one failing send from undoing the others. */
  private writeOne(job: SendJob): Result<Written> {
    try {
      return this.store.transaction(() => {
        const { store } = this;
        const existing = store.messageByClientId(job.senderId, job.clientId);
        if (existing !== undefined) return ok({ message: existing, created: false });
        const conversation = store.conversation(job.conversationId);
        if (conversation === undefined || store.membership(job.conversationId, job.senderId) === undefined) {
          return err('not_member', 'you are not a member of this conversation');
        }
        if (conversation.kind === 'direct') {
          const otherId = store.memberIdsOf(job.conversationId).find((id) => id !== job.senderId);
          if (otherId === undefined || !store.areContacts(job.senderId, otherId)) return err('not_contact', 'you are no longer contacts');
        }
        const message = store.appendMessage(job);
        store.advanceReadSeq(job.conversationId, job.senderId, message.seq);
        return ok({ message, created: true });
      });
    } catch (error) {
      this.log.error('storing a message failed', error);
      return err('internal', 'the message could not be stored');
    }
  }
}
