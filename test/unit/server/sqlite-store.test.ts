/**
 * The chat store's send path keeps two things in memory (each conversation's newest seq, and the
 * send permission of a member) and stores nothing per message but the message: a conversation's
 * lastSeq and last activity are its newest message's. These tests hold the caches to the file: after
 * rollbacks (whole and to a savepoint), after every change of members and contacts, and across
 * the migration that dropped the stored columns.
 */
import { readdirSync, readlinkSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../server/chat/logger';
import type { ChatStore, NewMessage } from '../../../server/store/chat-store';
import { MIGRATIONS } from '../../../server/store/migrations';
import { openSqliteStore } from '../../../server/store/sqlite-store';

const DIRECT = 'conv-direct';
const GROUP = 'conv-group';

function text(conversationId: string, senderId: string, clientId: string, createdAt: number): NewMessage {
  return { conversationId, senderId, clientId, kind: 'text', text: clientId, createdAt };
}

describe('the chat store without per-message bookkeeping', () => {
  let dir: string;
  let store: ChatStore;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'wanglai-store-'));
    store = openSqliteStore({ dataDir: dir, sync: 'normal', log: silentLogger });
    for (const id of ['alice', 'bob', 'carol']) store.createUser({ id, username: id, displayName: id, passwordHash: 'x', createdAt: 1 });
    store.addContactPair('alice', 'bob', 1);
    store.insertConversation({ id: DIRECT, kind: 'direct', title: '', createdAt: 100, directKey: 'alice bob' });
    store.insertConversation({ id: GROUP, kind: 'group', title: 'G', createdAt: 200 });
    for (const userId of ['alice', 'bob']) store.insertMember(DIRECT, { userId, role: 'member', joinedAt: 100, joinSeq: 1, readSeq: 0 });
    store.insertMember(GROUP, { userId: 'alice', role: 'owner', joinedAt: 200, joinSeq: 1, readSeq: 0 });
  });

  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("reads a conversation's lastSeq and last activity from its newest message, however long", () => {
    expect(store.conversation(DIRECT)).toMatchObject({ lastSeq: 0, lastActivity: 100 });
    store.appendMessage(text(DIRECT, 'alice', 'c-1', 1000));
    store.appendMessage({ ...text(DIRECT, 'bob', 'c-2', 2000), text: '往来'.repeat(2000) });
    expect(store.conversation(DIRECT)).toMatchObject({ lastSeq: 2, lastActivity: 2000 });
    store.appendMessage(text(GROUP, 'alice', 'c-3', 1500));
    // Most recent activity first: the direct conversation's newest message is the later one.
    expect(store.membershipsOf('alice').map((m) => [m.conversation.id, m.conversation.lastSeq])).toEqual([
      [DIRECT, 2],
      [GROUP, 1],
    ]);
    store.appendMessage(text(GROUP, 'alice', 'c-4', 3000));
    expect(store.membershipsOf('alice').map((m) => m.conversation.id)).toEqual([GROUP, DIRECT]);
  });

  it('reads the newest message again after a restart', async () => {
    store.appendMessage(text(GROUP, 'alice', 'c-1', 5000));
    await store.close();
    store = openSqliteStore({ dataDir: dir, sync: 'normal', log: silentLogger });
    expect(store.conversation(GROUP)).toMatchObject({ lastSeq: 1, lastActivity: 5000 });
    expect(store.conversation(DIRECT)).toMatchObject({ lastSeq: 0, lastActivity: 100 });
    expect(store.appendMessage(text(GROUP, 'alice', 'c-2', 6000)).seq).toBe(2);
  });

  it('lists conversations whose newest messages share a millisecond in the order they were written', () => {
    store.insertMember(GROUP, { userId: 'bob', role: 'member', joinedAt: 200, joinSeq: 1, readSeq: 0 });
    store.appendMessage(text(GROUP, 'alice', 'tie-1', 7000));
    store.appendMessage(text(DIRECT, 'alice', 'tie-2', 7000));
    const order = () => store.membershipsOf('bob').map((m) => m.conversation.id);
    expect(order()).toEqual([DIRECT, GROUP]);
    store.appendMessage(text(GROUP, 'bob', 'tie-3', 7000));
    expect(order()).toEqual([GROUP, DIRECT]);
  });

  it('numbers messages without gaps after a rolled-back transaction', () => {
    store.appendMessage(text(DIRECT, 'alice', 'kept-1', 1));
    expect(() =>
      store.transaction(() => {
        store.appendMessage(text(DIRECT, 'alice', 'undone-1', 2));
        store.appendMessage(text(DIRECT, 'alice', 'undone-2', 3));
        throw new Error('roll back');
      }),
    ).toThrow('roll back');
    expect(store.appendMessage(text(DIRECT, 'alice', 'kept-2', 4)).seq).toBe(2);
    expect(store.messageByClientId('alice', 'undone-1')).toBeUndefined();
  });

  it('numbers messages without gaps after a rollback to a savepoint', () => {
    store.transaction(() => {
      store.appendMessage(text(DIRECT, 'alice', 'outer-1', 1));
      expect(() =>
        store.transaction(() => {
          store.appendMessage(text(DIRECT, 'alice', 'inner-1', 2));
          throw new Error('undo the inner one');
        }),
      ).toThrow('undo the inner one');
      expect(store.appendMessage(text(DIRECT, 'alice', 'outer-2', 3)).seq).toBe(2);
    });
    expect(store.messagesAfter(DIRECT, 0, 10).map((m) => [m.seq, m.clientId])).toEqual([
      [1, 'outer-1'],
      [2, 'outer-2'],
    ]);
    expect(store.conversation(DIRECT)?.lastSeq).toBe(2);
  });

  it('refuses a message to a conversation that does not exist, and numbers the next one right', () => {
    expect(() => store.appendMessage(text('no-such-conversation', 'alice', 'lost', 1))).toThrow();
    expect(store.appendMessage(text(DIRECT, 'alice', 'first', 2)).seq).toBe(1);
  });

  it('answers send permission as members and contacts are now', () => {
    expect(store.sendPermission(DIRECT, 'alice')).toBe('allowed');
    expect(store.sendPermission(DIRECT, 'carol')).toBe('not_member');
    store.removeContactPair('alice', 'bob');
    expect(store.sendPermission(DIRECT, 'alice')).toBe('not_contact');
    store.addContactPair('alice', 'bob', 2);
    expect(store.sendPermission(DIRECT, 'alice')).toBe('allowed');

    expect(store.sendPermission(GROUP, 'bob')).toBe('not_member');
    store.insertMember(GROUP, { userId: 'bob', role: 'member', joinedAt: 300, joinSeq: 1, readSeq: 0 });
    expect(store.sendPermission(GROUP, 'bob')).toBe('allowed');
    store.deleteMember(GROUP, 'bob');
    expect(store.sendPermission(GROUP, 'bob')).toBe('not_member');

    expect(store.sendPermission('conv-later', 'alice')).toBe('not_member');
    store.insertConversation({ id: 'conv-later', kind: 'group', title: 'L', createdAt: 400 });
    store.insertMember('conv-later', { userId: 'alice', role: 'owner', joinedAt: 400, joinSeq: 1, readSeq: 0 });
    expect(store.sendPermission('conv-later', 'alice')).toBe('allowed');
  });

  it('forgets a send permission learnt inside a transaction that rolled back', () => {
    expect(() =>
      store.transaction(() => {
        store.deleteMember(GROUP, 'alice');
        expect(store.sendPermission(GROUP, 'alice')).toBe('not_member');
        throw new Error('roll back');
      }),
    ).toThrow('roll back');
    expect(store.sendPermission(GROUP, 'alice')).toBe('allowed');
  });
});

describe('the migration that stopped storing lastSeq and lastActivity', () => {
  it('keeps what a database of the first schema held', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'wanglai-store-v1-'));
    try {
      const old = new Database(path.join(dir, 'chat.sqlite'));
      old.exec(MIGRATIONS[0] ?? '');
      old.pragma('user_version = 1');
      old.exec(`
        INSERT INTO users (id, username, display_name, password_hash, created_at) VALUES ('u1', 'u1', 'U1', 'x', 1), ('u2', 'u2', 'U2', 'x', 1);
        INSERT INTO conversations (id, kind, title, direct_key, created_at, last_seq, last_activity) VALUES ('c1', 'direct', '', 'u1 u2', 10, 2, 30);
        INSERT INTO members (conversation_id, user_id, role, joined_at, join_order, join_seq, read_seq) VALUES ('c1', 'u1', 'member', 10, 1, 1, 2), ('c1', 'u2', 'member', 10, 2, 1, 0);
        INSERT INTO messages (conversation_id, seq, id, sender_id, client_id, kind, text, created_at) VALUES ('c1', 1, 'm1', 'u1', 'k1', 'text', 'a', 20), ('c1', 2, 'm2', 'u1', 'k2', 'text', 'b', 30);
      `);
      old.close();
      const store = openSqliteStore({ dataDir: dir, sync: 'normal', log: silentLogger });
      try {
        expect(store.conversation('c1')).toMatchObject({ lastSeq: 2, lastActivity: 30, createdAt: 10 });
        expect(store.appendMessage(text('c1', 'u2', 'k3', 40)).seq).toBe(3);
        expect(store.membershipsOf('u2')[0]?.member.readSeq).toBe(0);
      } finally {
        await store.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the migration that keys idempotency by clientId first', () => {
  it('keeps every message of a database of the third schema, its order, links and idempotency keys', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'wanglai-store-v3-'));
    try {
      const old = new Database(path.join(dir, 'chat.sqlite'));
      for (const sql of MIGRATIONS.slice(0, 3)) old.exec(sql);
      old.pragma('user_version = 3');
      old.exec(`
        INSERT INTO users (id, username, display_name, password_hash, created_at) VALUES ('u1', 'u1', 'U1', 'x', 1), ('u2', 'u2', 'U2', 'x', 1);
        INSERT INTO conversations (id, kind, title, direct_key, created_at) VALUES ('c1', 'direct', '', 'u1 u2', 10), ('c2', 'group', 'G', NULL, 10);
        INSERT INTO members (conversation_id, user_id, role, joined_at, join_order, join_seq, read_seq) VALUES
          ('c1', 'u1', 'member', 10, 1, 1, 0), ('c1', 'u2', 'member', 10, 2, 1, 0), ('c2', 'u1', 'owner', 10, 1, 1, 0), ('c2', 'u2', 'member', 10, 2, 1, 0);
        INSERT INTO messages (conversation_id, seq, id, sender_id, client_id, kind, text, created_at, extra) VALUES
          ('c2', 1, 'm3', 'u2', 'k1', 'text', 'in the group', 20, NULL),
          ('c1', 2, 'm2', 'u1', 'k2', 'text', 'second', 30, '{"links":[]}'),
          ('c1', 1, 'm1', 'u1', 'k1', 'text', 'first', 20, NULL);
      `);
      old.close();
      const logged: string[] = [];
      const store = openSqliteStore({ dataDir: dir, sync: 'normal', log: { info: (line) => logged.push(line), error: () => undefined } });
      // An operator is told why the first start after an upgrade takes longer.
      expect(logged.filter((line) => line.includes('upgrading'))).toEqual([expect.stringMatching(new RegExp(`from version 3 to ${MIGRATIONS.length} `))]);
      try {
        expect(store.history('c1', 1, 100, 50).messages.map((m) => [m.id, m.seq, m.text])).toEqual([
          ['m1', 1, 'first'],
          ['m2', 2, 'second'],
        ]);
        expect(store.messagesAfter('c2', 0, 10).map((m) => m.id)).toEqual(['m3']);
        expect(store.messageLinks('c1', 2)).toEqual([]);
        // The same clientId of two senders is two keys; a sender's retry finds its message.
        expect(store.messageByClientId('u1', 'k1')?.id).toBe('m1');
        expect(store.messageByClientId('u2', 'k1')?.id).toBe('m3');
        expect(store.appendMessage(text('c1', 'u2', 'k3', 40)).seq).toBe(3);
        expect(() => store.appendMessage(text('c2', 'u1', 'k2', 50))).toThrow(/UNIQUE/);
      } finally {
        await store.close();
      }
      const migrated = new Database(path.join(dir, 'chat.sqlite'), { readonly: true });
      try {
        expect(migrated.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
        const indexes = migrated.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'messages' AND sql IS NOT NULL ORDER BY name").all();
        expect(indexes).toEqual([{ name: 'messages_by_client_id', sql: 'CREATE UNIQUE INDEX messages_by_client_id ON messages(client_id, sender_id)' }]);
        // Still clustered on (conversation, seq): a history page at any depth is one range read.
        const table = migrated.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'messages'").get() as { sql: string };
        expect(table.sql).toMatch(/WITHOUT ROWID/i);
        expect(migrated.pragma('foreign_key_check')).toEqual([]);
      } finally {
        migrated.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('a store that cannot open', () => {
  // /proc/self/fd lists this process's descriptors: Linux only, where CI runs.
  it.runIf(process.platform === 'linux')('leaves no descriptor of its file open when the schema is newer than the server', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'wanglai-store-newer-'));
    try {
      const file = path.join(dir, 'chat.sqlite');
      const newer = new Database(file);
      newer.pragma(`user_version = ${MIGRATIONS.length + 1}`);
      newer.close();
      expect(() => openSqliteStore({ dataDir: dir, sync: 'full', log: silentLogger })).toThrow(/newer than this server/);
      const open = readdirSync('/proc/self/fd').flatMap((fd) => {
        try {
          return [readlinkSync(`/proc/self/fd/${fd}`)];
        } catch {
          return [];
        }
      });
      expect(open.filter((target) => target.startsWith(file))).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
