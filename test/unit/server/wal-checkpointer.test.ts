import { spawn } from 'node:child_process';
import { closeSync, existsSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../../server/chat/logger';
import { MessageWriter } from '../../../server/chat/message-writer';
import { openSqliteStore } from '../../../server/store/sqlite-store';
import Database from 'better-sqlite3';
import { BACKSTOP_PAGES, startWalCheckpointer } from '../../../server/store/wal-checkpointer';

const CONVERSATION = 'conv';
const ROOT = path.resolve(import.meta.dirname, '../../..');

/** How many times the WAL has restarted from its start: the checkpoint sequence number in its header. */
function walRestarts(wal: string): number {
  const header = Buffer.alloc(16);
  const fd = openSync(wal, 'r');
  try {
    readSync(fd, header, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  return header.readUInt32BE(12);
}

/** Polls a condition once per event-loop turn, up to a deadline. */
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

describe('WAL checkpoints on a worker thread', () => {
  let dataDir: string | undefined;
  afterEach(async () => {
    if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
  });

  async function storeWithMessages(count: number, walRestartPages?: number) {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'wanglai-checkpoint-'));
    const errors: string[] = [];
    const log: Logger = { info: () => undefined, error: (message) => errors.push(message) };
    const store = openSqliteStore({ dataDir, sync: 'full', log, ...(walRestartPages === undefined ? {} : { walRestartPages }) });
    store.createUser({ id: 'alice', username: 'alice', displayName: 'alice', passwordHash: 'x', createdAt: 1 });
    store.insertConversation({ id: CONVERSATION, kind: 'group', title: 'g', createdAt: 1 });
    store.insertMember(CONVERSATION, { userId: 'alice', role: 'member', joinedAt: 1, joinSeq: 1, readSeq: 0 });
    const writer = new MessageWriter(store, log);
    const file = path.join(dataDir, 'chat.sqlite');
    const sizeBefore = statSync(file).size;
    // One send per batch: each is its own commit, as under light load.
    for (let i = 0; i < count; i++) {
      const result = await writer.write({ kind: 'text', senderId: 'alice', conversationId: CONVERSATION, clientId: `client-${i.toString().padStart(6, '0')}`, text: `message ${i}`, createdAt: 2 });
      expect(result.ok).toBe(true);
    }
    return { dataDir, store, writer, file, sizeBefore, errors };
  }

  it('copies committed pages into the database file while the chat connection stays below its own threshold', async () => {
    const { store, writer, file, sizeBefore, errors } = await storeWithMessages(300);
    const walPages = statSync(`${file}-wal`).size / 4096;
    // The chat connection would not have checkpointed yet: the WAL is below its backstop.
    expect(walPages).toBeLessThan(BACKSTOP_PAGES);
    await until(() => statSync(file).size > sizeBefore, 'the worker to copy pages into the database file');
    expect(errors).toEqual([]);
    await writer.close();
    await store.close();
  });

  it('has the chat connection finish a checkpoint when the WAL grows long, so the WAL restarts instead of growing', async () => {
    // Single-send commits one after another, as fast as the disk syncs: a pass of the worker
    // always finds new frames behind the ones it copied, so without the chat connection finishing
    // the copy the WAL never restarts (600 sends: 11 MB, restart count 0). Asked to finish at 64
    // pages, it restarts within a pass or two; sent until it has twice, however fast the disk.
    const { store, writer, file, errors } = await storeWithMessages(0, 64);
    const wal = `${file}-wal`;
    let sent = 0;
    while (walRestarts(wal) < 2 && sent < 5000) {
      const result = await writer.write({ kind: 'text', senderId: 'alice', conversationId: CONVERSATION, clientId: `client-${sent.toString().padStart(6, '0')}`, text: `message ${sent}`, createdAt: 2 });
      expect(result.ok).toBe(true);
      sent++;
    }
    expect(walRestarts(wal)).toBe(2);
    expect(errors).toEqual([]);
    await writer.close();
    await store.close();
  });

  it('syncs the database file through the descriptor it is given before asking, and never closes it', async () => {
    // Closing any descriptor of the file would drop every POSIX lock this process holds on it,
    // the chat connection's too: the store closes it, after its own connection.
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'wanglai-checkpoint-'));
    const file = path.join(dataDir, 'chat.sqlite');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE t (x TEXT)');
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    for (let i = 0; i < 200; i++) insert.run('x'.repeat(500));
    const fd = openSync(file, 'r+');
    const errors: string[] = [];
    let catchUps = 0;
    const checkpointer = startWalCheckpointer(file, fd, { info: () => undefined, error: (message) => errors.push(message) }, () => catchUps++, 1);
    try {
      await until(() => catchUps > 0, 'the worker to ask for a catch-up');
    } finally {
      await checkpointer.close();
    }
    expect(errors).toEqual([]);
    expect(fstatSync(fd).ino).toBe(statSync(file).ino);
    closeSync(fd);
    db.close();
  });

  it('closes its connection before the store, which then removes the WAL; nothing acknowledged is lost', async () => {
    const { dataDir: dir, store, writer, file } = await storeWithMessages(50);
    await writer.close();
    await store.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
    const reopened = openSqliteStore({ dataDir: dir, sync: 'full' });
    const page = reopened.history(CONVERSATION, 1, Number.MAX_SAFE_INTEGER, 100);
    expect(page.messages.map((m) => m.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    await reopened.close();
  });

  it('finishes closing in a process that has nothing else to do: the WAL is removed and the process exits 0', async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'wanglai-checkpoint-'));
    const script = path.join(dataDir, 'close-store.mts');
    const store = path.join(ROOT, 'server/store/sqlite-store.ts');
    const wal = path.join(dataDir, 'chat.sqlite-wal');
    // The worker thread does not keep a process alive; while the store closes, it must.
    await writeFile(
      script,
      [
        "import { existsSync } from 'node:fs';",
        `import { openSqliteStore } from ${JSON.stringify(store)};`,
        `const store = openSqliteStore({ dataDir: ${JSON.stringify(dataDir)}, sync: 'full' });`,
        "store.createUser({ id: 'alice', username: 'alice', displayName: 'alice', passwordHash: 'x', createdAt: 1 });",
        'await store.close();',
        `console.log(existsSync(${JSON.stringify(wal)}) ? 'wal left behind' : 'closed');`,
      ].join('\n'),
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(output.trim()).toBe('closed');
    expect(code).toBe(0);
  });
});
