/**
 * Group commit for sends (DESIGN.md §2). A send is answered only after a durability sync that
 * STARTED after its commit has completed, and at most one sync is in flight. While one is, new
 * sends wait uncommitted: they could not be answered before the next sync anyway, so they are
 * committed together, in ONE transaction whose commit does not wait for the disk, the moment
 * the sync in flight completes, and the next sync starts at once. With no sync in flight, the
 * sends of one turn of the event loop are committed together. The event loop never waits for
 * the disk, and the busier the server, the more sends share one transaction and one sync.
 * Answers go out in commit order, so acks and fan-out keep the order of `seq`.
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
  /**
   * Who may read a created message, taken right after its commit (see `readersAt`): by the time
   * its sync ends, a member may have been removed by a group change with a later seq, and must
   * still get the messages before its removal.
   */
  readers?: readonly string[];
  /** The send moved its sender's read mark past messages the sender had not read. */
  readPast?: boolean;
}

/** The members who may read what happened at `seq` of a conversation, as of now. */
export type ReadersAt = (conversationId: string, seq: number) => readonly string[];

/** Resolves once everything committed before the call is durable; rejects if the disk failed. */
export type DurableSync = () => Promise<void>;

interface Pending {
  job: SendJob;
  resolve(result: Result<Written>): void;
}

interface Committed {
  pending: Pending;
  result: Result<Written>;
}

interface Settling {
  /** Resolves once this many committed sends have been answered. */
  answered: number;
  resolve(): void;
}

/** Bounds one transaction, so that a burst cannot hold the write lock for long. */
const MAX_BATCH = 2000;

const NOT_STORED = 'the message could not be stored';

/**
 * The answer to a send whose (sender, clientId) is already stored: a retry (to the same
 * conversation) gets its message. A group change's system message is stored under its actor with a clientId of its own, which
 * the actor can read in any message list; a send reusing it is no retry of anything, and must
 * neither come back as that system message nor lose its text silently.
 */
export function answerForStored(existing: Message, conversationId: string): Result<Message> {
  if (existing.kind === 'system') return err('invalid_input', 'this clientId is taken by a group change; use a new one');
  // A retry names the conversation it was sent to. Another one is a new message under a reused
  // id (a client numbering its ids per conversation): answering the stored message would drop
  // the text without a word, and could answer a conversation the sender is not in.
  if (existing.conversationId !== conversationId) return err('invalid_input', 'this clientId is taken by a message in another conversation; use a new one');
  return ok(existing);
}

export class MessageWriter {
  private queue: Pending[] = [];
  private scheduled = false;
  private closed = false;
  /** Committed, waiting for a sync that starts after their commit: the next one to start. */
  private committed: Committed[] = [];
  private syncing: Promise<void> | undefined;
  /** Sends committed and sends answered so far, in commit order (answers follow it). */
  private committedCount = 0;
  private answeredCount = 0;
  private settling: Settling[] = [];
  /**
   * Messages committed in a batch whose sync failed: answered `internal`, yet stored (a retry
   * finds them; reads do not show them: ChatStore.holdBack). The next sync that succeeds
   * releases them and hands them to `lateListener` (members learn of them then, before that
   * sync's own answers, in seq order); until then a sync is tried again every `lateRetryMs`
   * even without new sends.
   */
  private unannounced: Written[] = [];
  private lateListener: ((written: Written) => void) | undefined;
  private lateRetry: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly store: ChatStore,
    private readonly log: Logger,
    private readonly sync: DurableSync = () => store.syncCommitted(),
    private readonly readersAt?: ReadersAt,
    private readonly lateRetryMs = 1000,
  ) {}

  /** Who announces a message whose first sync failed, once a later one succeeded. */
  onLateDurable(listener: (written: Written) => void): void {
    this.lateListener = listener;
  }

  /**
   * Resolves once every send committed before the call has been answered (and so announced by
   * its caller, which does that on the answer). Group changes commit with a synchronous sync and
   * would otherwise announce a later seq before sends still waiting for theirs: members saw 47
   * before 41-46, and a client catching up from the highest seq it had seen skipped them.
   */
  settled(): Promise<void> {
    if (this.answeredCount >= this.committedCount) return Promise.resolve();
    return new Promise((resolve) => this.settling.push({ answered: this.committedCount, resolve }));
  }

  write(job: SendJob): Promise<Result<Written>> {
    if (this.closed) return Promise.resolve(err('internal', 'the server is shutting down'));
    return new Promise((resolve) => {
      this.queue.push({ job, resolve });
      // While a sync is in flight its completion commits the queue; no turn needs to.
      if (!this.scheduled && this.syncing === undefined) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          if (this.syncing === undefined) this.flush();
        });
      }
    });
  }

  /** Commits what is queued, refuses anything after, and resolves once every send is answered. */
  async close(): Promise<void> {
    this.flush();
    this.closed = true;
    if (this.lateRetry !== undefined) clearTimeout(this.lateRetry);
    this.lateRetry = undefined;
    while (this.syncing !== undefined) await this.syncing;
  }

  private flush(): void {
    while (this.queue.length > 0) {
      const batch = this.queue.length <= MAX_BATCH ? this.queue : this.queue.slice(0, MAX_BATCH);
      this.queue = this.queue.length <= MAX_BATCH ? [] : this.queue.slice(MAX_BATCH);
      const results = this.commitBatch(batch);
      // Before any read can run (this turn): no one reads a message that is not durable yet.
      for (const result of results) if (result.ok && result.value.created) this.store.holdBack(result.value.message.conversationId, result.value.message.seq);
      this.committedCount += batch.length;
      batch.forEach((pending, i) => this.committed.push({ pending, result: this.withReaders(results[i] ?? err('internal', NOT_STORED)) }));
    }
    this.startSync();
  }

  /** Who may read a created message, taken now: right after its commit, before any later change. */
  private withReaders(result: Result<Written>): Result<Written> {
    if (!result.ok || !result.value.created || this.readersAt === undefined) return result;
    const { message } = result.value;
    return ok({ ...result.value, readers: this.readersAt(message.conversationId, message.seq) });
  }

  /** After `count` more answers: wakes the `settled()` callers whose sends have all been answered. */
  private answered(count: number): void {
    this.answeredCount += count;
    if (this.settling.length === 0) return;
    const waking = this.settling.filter((s) => s.answered <= this.answeredCount);
    this.settling = this.settling.filter((s) => s.answered > this.answeredCount);
    for (const s of waking) s.resolve();
  }

  /**
   * Starts a sync for every batch committed so far, unless one is in flight (it chains on);
   * with nothing committed, only when messages of a failed sync wait for a good one.
   */
  private startSync(): void {
    if (this.syncing !== undefined || (this.committed.length === 0 && this.unannounced.length === 0)) return;
    if (this.lateRetry !== undefined) clearTimeout(this.lateRetry);
    this.lateRetry = undefined;
    const covered = this.committed;
    this.committed = [];
    // Through a promise constructor, so that a sync that throws instead of rejecting fails the same way.
    this.syncing = new Promise<void>((resolve) => resolve(this.sync()))
      .then(
        () => {
          const late = this.unannounced;
          this.unannounced = [];
          for (const { message } of late) this.store.release(message.conversationId, message.seq);
          for (const { result } of covered) if (result.ok && result.value.created) this.store.release(result.value.message.conversationId, result.value.message.seq);
          for (const written of late) this.lateListener?.(written);
          for (const { pending, result } of covered) pending.resolve(result);
        },
        (error: unknown) => {
          this.log.error('syncing committed messages to disk failed', error);
          // Never acknowledged as durable; a retry with the same clientId finds the stored
          // message and is answered after a later sync that succeeded, which also announces it.
          for (const { pending, result } of covered) {
            if (result.ok && result.value.created) this.unannounced.push(result.value);
            pending.resolve(result.ok ? err('internal', NOT_STORED) : result);
          }
        },
      )
      .then(() => this.answered(covered.length))
      .then(() => {
        this.syncing = undefined;
        // What arrived during the sync is committed now, and its own sync starts at once.
        if (this.queue.length > 0) this.flush();
        else if (this.committed.length > 0) this.startSync();
        else if (this.unannounced.length > 0 && !this.closed && this.lateRetry === undefined) {
          this.lateRetry = setTimeout(() => {
            this.lateRetry = undefined;
            this.startSync();
          }, this.lateRetryMs);
          this.lateRetry.unref();
        }
      });
  }

  /**
   * Commits a batch in one transaction. Refusals (not a member, no longer contacts, a retry)
   * are answers, not errors, and write nothing, so the batch first runs without savepoints:
   * a savepoint and its release cost 6-14 µs a send, 10-20 % of the writer. Only a send that
   * THROWS (a constraint the checks missed, a full disk) rolls the whole batch back; the batch
   * then runs again with a savepoint around each send, so that one failing send is answered
   * `internal` and the others are still stored.
   */
  private commitBatch(batch: readonly Pending[]): Result<Written>[] {
    try {
      return this.store.transactionDeferredSync(() => batch.map((pending) => this.storeOne(pending.job)));
    } catch (error) {
      if (batch.length === 1) {
        this.log.error('storing a message failed', error);
        return [err('internal', NOT_STORED)];
      }
    }
    try {
      return this.store.transactionDeferredSync(() => batch.map((pending) => this.writeIsolated(pending.job)));
    } catch (error) {
      this.log.error('message batch failed to commit', error);
      return batch.map(() => err('internal', NOT_STORED));
    }
  }

  /** One send among others: a savepoint keeps one failing send from undoing the rest. */
  private writeIsolated(job: SendJob): Result<Written> {
    try {
      return this.store.transaction(() => this.storeOne(job));
    } catch (error) {
      // A full disk rolls back the whole batch, not only this savepoint: the sends after it would
      // be stored outside any transaction and still answered `internal` with the rest. The batch
      // fails as a whole instead, and its clients retry.
      if (!this.store.inTransaction()) throw error;
      this.log.error('storing a message failed', error);
      return err('internal', NOT_STORED);
    }
  }

  private storeOne(job: SendJob): Result<Written> {
    const { store } = this;
    const existing = store.messageByClientId(job.senderId, job.clientId);
    if (existing !== undefined) {
      const answer = answerForStored(existing, job.conversationId);
      return answer.ok ? ok({ message: answer.value, created: false }) : answer;
    }
    const permission = store.sendPermission(job.conversationId, job.senderId);
    if (permission === 'not_member') return err('not_member', 'you are not a member of this conversation');
    if (permission === 'not_contact') return err('not_contact', 'you are no longer contacts');
    const message = store.appendMessage(job);
    const readPast = store.advanceReadSeqToOwn(job.conversationId, job.senderId, message.seq);
    return ok({ message, created: true, readPast });
  }
}
