/**
 * Makes commits of a WAL-mode connection running with `synchronous=NORMAL` durable without
 * waiting for the disk on the event loop: `sync()` is an `fdatasync` of the `-wal` file on the
 * libuv thread pool, so a commit (WAL frames appended, no fsync: microseconds) plus a `sync()`
 * that STARTS after it gives that commit the guarantee of `synchronous=FULL`.
 *
 * Why one descriptor opened once is enough: SQLite opens the `-wal` file when the connection
 * enters WAL mode and keeps it until the connection closes; only the last connection to close
 * deletes it (or a change of journal mode, which the store never makes). A WAL restart after a
 * checkpoint rewrites the same file from its start, and `journal_size_limit` truncates it in
 * place: the inode never changes while the store is open. `fdatasync` flushes the inode's
 * dirty pages (and the size needed to read them) whichever descriptor asks, so it covers frames
 * SQLite wrote through its own descriptor, before or after a restart. Frames overwritten by a
 * restart were already safe: under NORMAL a checkpoint syncs the WAL, copies it into the
 * database, and syncs the database before the WAL may restart. The header SQLite writes on a
 * restart is synced by SQLite itself under NORMAL as under FULL; only the per-commit sync is
 * ours.
 *
 * Why a failed sync poisons the next one: after an `fdatasync` error Linux may mark the pages
 * clean although they never reached the disk, so a later `fdatasync` can succeed without
 * covering them. The next sync therefore first runs a full checkpoint, which copies every
 * committed page from the WAL (still readable from the page cache) into the database file and
 * syncs that file, before anything committed earlier is acknowledged.
 */
import { closeSync, fdatasync, openSync } from 'node:fs';
import type Database from 'better-sqlite3';

export class WalSync {
  private fd: number | undefined;
  private poisoned = false;
  /**
   * Syncs run one after another (the message writer's and read marks'): a sync that started
   * while another failed could report success for pages that error dropped.
   */
  private last: Promise<void> = Promise.resolve();
  /**
   * The sync queued behind the one under way, not started yet. Every caller until it starts
   * shares it: it starts after all their commits, so it covers them all (group commit). Without
   * this, 800 read marks arriving together meant 800 syncs one after another.
   */
  private next: Promise<void> | undefined;

  constructor(
    private readonly db: Database.Database,
    private readonly walPath: string,
  ) {}

  /** Resolves once everything committed before the call is on disk; each sync starts after the previous one. */
  sync(): Promise<void> {
    if (this.next !== undefined) return this.next;
    const start = (): Promise<void> => {
      // From here on, a caller's commit may come after this sync's fdatasync: it needs the next one.
      this.next = undefined;
      return this.syncNow();
    };
    const run = this.last.then(start, start);
    this.next = run;
    this.last = run;
    return run;
  }

  private async syncNow(): Promise<void> {
    if (this.poisoned) {
      this.checkpointAll();
      this.poisoned = false;
    }
    // Opened at the first sync, after a commit: the file exists by then.
    this.fd ??= openSync(this.walPath, 'r+');
    const fd = this.fd;
    try {
      await new Promise<void>((resolve, reject) => fdatasync(fd, (error) => (error === null ? resolve() : reject(error))));
    } catch (error) {
      this.poisoned = true;
      throw error;
    }
  }

  /** Call only when no `sync()` is under way (the message writer awaits its last one first). */
  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }

  private checkpointAll(): void {
    const [result] = this.db.pragma('wal_checkpoint(FULL)') as { busy: number; log: number; checkpointed: number }[];
    if (result === undefined || result.busy !== 0 || result.checkpointed !== result.log) {
      throw new Error('the WAL could not be checkpointed after a failed sync');
    }
  }
}
