import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type * as Fs from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';

/** Every fdatasync the code asks for waits here until the test completes it. */
const pending: { done(): void }[] = [];
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof Fs>();
  return {
    ...real,
    fdatasync: (fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => {
      pending.push({ done: () => real.fdatasync(fd, callback) });
    },
  };
});

const { WalSync } = await import('../../../server/store/wal-sync');

const turns = async (n = 5) => {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

describe('WalSync', () => {
  const dirs: string[] = [];
  afterEach(() => {
    pending.splice(0);
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function open() {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'wanglai-walsync-'));
    dirs.push(dir);
    const file = path.join(dir, 'db.sqlite');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec('CREATE TABLE t (x INTEGER)');
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    return { db, insert, sync: new WalSync(db, `${file}-wal`) };
  }

  it('lets every caller that arrives while a sync is under way share the next one, which starts after all their commits', async () => {
    const { db, insert, sync } = open();
    insert.run(1);
    const first = sync.sync();
    await turns();
    expect(pending).toHaveLength(1);
    // 100 commits and syncs while the first is on the disk: one more fdatasync covers them all.
    const settled: number[] = [];
    const later = Array.from({ length: 100 }, (_, i) => {
      insert.run(i + 2);
      return sync.sync().then(() => settled.push(i));
    });
    await turns();
    expect(pending).toHaveLength(1);
    pending[0]?.done();
    await first;
    await turns();
    expect(pending).toHaveLength(2);
    expect(settled).toEqual([]);
    // A caller after the second sync started needs a third: its commit may be after that fdatasync.
    insert.run(1000);
    const last = sync.sync();
    pending[1]?.done();
    await Promise.all(later);
    expect(settled).toHaveLength(100);
    await turns();
    expect(pending).toHaveLength(3);
    pending[2]?.done();
    await last;
    sync.close();
    db.close();
  });
});
