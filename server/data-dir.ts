/**
 * The data directory of `npm run server`: made if missing (owner only), checked before anything
 * opens a file in it, and held by one server process at a time.
 *
 * Why a lock: two servers on one directory both start, split the live deliveries between them,
 * keep stale member caches and refuse each other's writes with "database is locked". The lock
 * is an exclusive SQLite lock on `server.lock`, a file of its own, taken once and never let go:
 * the kernel drops it with the process however that ends (kill -9 included), so there is no
 * stale lock file to clean up after a crash.
 */
import { constants } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ConfigError } from './config';

const VARIABLE = 'WANGLAI_DATA_DIR';

/** Held for the life of the process; referenced here so that nothing ever closes it. */
const held: Database.Database[] = [];

export async function prepareDataDir(dir: string): Promise<void> {
  try {
    await makeDirectories(dir);
  } catch (error) {
    throw new ConfigError(VARIABLE, `cannot create "${dir}": ${codeOf(error)}`);
  }
  const info = await stat(dir).catch((error: unknown) => {
    throw new ConfigError(VARIABLE, `cannot read "${dir}": ${codeOf(error)}`);
  });
  if (!info.isDirectory()) throw new ConfigError(VARIABLE, `"${dir}" is not a directory`);
  try {
    await access(dir, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch (error) {
    throw new ConfigError(VARIABLE, `"${dir}" is not readable and writable by this user: ${codeOf(error)}`);
  }
  lockDataDir(dir);
}

/**
 * `mkdir -p`, one level at a time from the deepest that exists. Node's own recursive mkdir never
 * returns under /proc (the kernel answers ENOENT for a new entry there, and Node takes that for a
 * missing parent and tries again, at full CPU, forever): a start with WANGLAI_DATA_DIR=/proc/x
 * hung silently. One level at a time, that answer is an error like any other.
 */
async function makeDirectories(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    const exists = await stat(at).then(
      () => true,
      (error: unknown) => {
        if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return false;
        throw error;
      },
    );
    if (exists) break;
    missing.unshift(at);
    if (path.dirname(at) === at) break;
  }
  for (const level of missing) {
    try {
      await mkdir(level, { mode: 0o700 });
    } catch (error) {
      // Made meanwhile by someone else: as good as made here (the checks below still apply).
      if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
    }
  }
}

function lockDataDir(dir: string): void {
  let db: Database.Database;
  try {
    db = new Database(path.join(dir, 'server.lock'), { timeout: 0 });
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    const busy = error instanceof Error && 'code' in error && (error.code === 'SQLITE_BUSY' || error.code === 'SQLITE_LOCKED');
    throw new ConfigError(VARIABLE, busy ? `"${dir}" is in use by another Wanglai server; stop it first or use another directory` : `cannot lock "${dir}": ${codeOf(error)}`);
  }
  held.push(db);
}

function codeOf(error: unknown): string {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') return `${error.code} (${error.message})`;
  return error instanceof Error ? error.message : String(error);
}
