/**
 * Checkpoints the chat database's WAL on a worker thread, off the event loop.
 *
 * SQLite's automatic checkpoint runs inside the commit that crosses its threshold, on the
 * committing connection's thread: it copies the WAL's pages into the database file and syncs
 * both files. On this kind of machine that stalled every send and delivery behind it for
 * 10-20 ms a few times a second (bench scenario 1). Here a worker thread with its own
 * connection runs PASSIVE checkpoints on a short interval: they never take the write lock, so
 * the event loop's commits go on meanwhile, and their syncs happen on the worker.
 *
 * The chat connection keeps an automatic checkpoint, at a far higher threshold, as a backstop:
 * a passive checkpoint cannot restart the WAL, and under unbroken load it may never find the
 * WAL fully copied between two commits. When the WAL reaches the backstop, the commit that
 * crosses it finishes the little the worker has not copied yet, and the next commit restarts
 * the WAL from its start.
 *
 * The worker's code is plain JavaScript evaluated in the worker, so it runs the same under
 * tsx, the test runner and a bundle; it loads better-sqlite3 from the path this module
 * resolves.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../chat/logger';

/** How often the worker checkpoints: a WAL of a busy server stays a few megabytes. */
const INTERVAL_MS = 100;

/** The chat connection's own threshold, in pages: the backstop described above. */
export const BACKSTOP_PAGES = 10_000;

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
// A checkpoint syncs the WAL before it copies and the database after, under NORMAL as under FULL.
db.pragma('synchronous = NORMAL');
db.pragma('wal_autocheckpoint = 0');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
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

export function startWalCheckpointer(file: string, log: Logger): WalCheckpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file, intervalMs: INTERVAL_MS } });
  // A server that has nothing else to do may exit; the checkpointer never holds it up.
  worker.unref();
  let reported = false;
  worker.on('message', (message: unknown) => {
    // One line, not one every interval: the backstop keeps the WAL bounded meanwhile.
    if (reported) return;
    reported = true;
    log.error('background WAL checkpoint failed', message);
  });
  worker.on('error', (error) => log.error('the WAL checkpointer stopped', error));
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    close: () => {
      worker.postMessage('close');
      return exited;
    },
  };
}
