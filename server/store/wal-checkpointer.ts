/**
 * Checkpoints the chat database's WAL on a worker thread, off the event loop.
 *
 * SQLite's automatic checkpoint runs inside the commit that crosses its threshold, on the
 * committing connection's thread: it copies the WAL's pages into the database file and syncs
 * both files. On this kind of machine that held the event loop, and every send and delivery
 * behind it, for 5-15 ms several times a second under load (bench scenario 1). Here a worker
 * thread with its own connection runs PASSIVE checkpoints on a short interval: they never take
 * the write lock, so the event loop's commits go on meanwhile, and their syncs happen on the
 * worker.
 *
 * The WAL restarts from its start only at the first commit after a checkpoint that copied ALL
 * of it, and a pass copies what was committed before it began: under steady load commits land
 * during every pass, so the worker alone would let the WAL grow without end. When a pass leaves
 * the WAL longer than RESTART_PAGES, the worker asks the chat connection to finish the copy
 * itself (`onCatchUp`): right after a pass that is only the frames committed during it, a
 * fraction of a millisecond of copying plus the two syncs, and the writer's next commit then
 * restarts the WAL. Passive passes that do not reach the WAL's end never sync the database
 * file, so what they copied was all left to the sync of that finishing copy, on the event loop
 * (3 ms at 14k msg/s, four times a second). The worker therefore syncs the database file itself
 * before it asks: the finishing copy then syncs only its own few pages (1.7-2 ms). The chat
 * connection's own automatic checkpoint stays as a backstop, far above, should the worker stop.
 *
 * The worker's code is plain JavaScript evaluated in the worker, so it runs the same under
 * tsx, the test runner and a bundle; it loads better-sqlite3 from the path this module
 * resolves.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../chat/logger';

/** How often the worker checkpoints. */
const INTERVAL_MS = 100;

/** A WAL longer than this (pages of 4 KiB: 32 MiB) after a pass is finished by the chat connection. */
export const RESTART_PAGES = 8192;

/** The chat connection's own threshold, in pages: the backstop, should the worker stop. */
export const BACKSTOP_PAGES = 50_000;

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
// A checkpoint syncs the WAL before it copies and the database after, under NORMAL as under FULL.
db.pragma('synchronous = NORMAL');
db.pragma('wal_autocheckpoint = 0');
const { fdatasyncSync } = require('node:fs');
const timer = setInterval(() => {
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    if (result.busy === 0 && result.log >= workerData.restartPages) {
      // What the passes copied reaches the disk here, off the event loop (see the module comment).
      fdatasyncSync(workerData.databaseFd);
      parentPort.postMessage({ catchUp: true });
    }
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message ? error.message : error) });
  }
}, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'close') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface WalCheckpointer {
  /** Stops the worker; its connection closes before the thread ends. */
  close(): Promise<void>;
}

/** `onCatchUp` runs a PASSIVE checkpoint on the chat connection (see above). */
/**
 * `databaseFd` is a descriptor of `file` that the caller keeps open until its own connection has
 * closed, and closes then: closing a descriptor of the file drops every POSIX lock the process
 * holds on it, so neither the worker nor this module ever closes one.
 */
export function startWalCheckpointer(file: string, databaseFd: number, log: Logger, onCatchUp: () => void, restartPages = RESTART_PAGES): WalCheckpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file, databaseFd, intervalMs: INTERVAL_MS, restartPages } });
  // A server that has nothing else to do may exit; the checkpointer never holds it up.
  worker.unref();
  let reported = false;
  worker.on('message', (message: unknown) => {
    if (typeof message === 'object' && message !== null && 'catchUp' in message) {
      onCatchUp();
      return;
    }
    // One line, not one every interval: the backstop keeps the WAL bounded meanwhile.
    if (reported) return;
    reported = true;
    log.error('background WAL checkpoint failed', message);
  });
  worker.on('error', (error) => log.error('the WAL checkpointer stopped', error));
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    close: () => {
      // Held until the worker has closed its connection: otherwise a process with nothing else
      // to do exits before, and the store's own connection is never closed after it.
      worker.ref();
      worker.postMessage('close');
      return exited;
    },
  };
}
