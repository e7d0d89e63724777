/**
 * Versioned schema of the chat store. Entry i takes the database from user_version i to i + 1;
 * entries are never edited once released, only appended.
 */
import type Database from 'better-sqlite3';

export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    merchant_id TEXT,
    merchant_name TEXT,
    merchant_verified INTEGER
  );

  CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX sessions_by_user ON sessions(user_id);

  -- One row per direction, so that "the contacts of X" is one index range.
  CREATE TABLE contacts (
    user_id TEXT NOT NULL REFERENCES users(id),
    contact_id TEXT NOT NULL REFERENCES users(id),
    since INTEGER NOT NULL,
    PRIMARY KEY (user_id, contact_id)
  ) WITHOUT ROWID;

  CREATE TABLE contact_requests (
    id TEXT PRIMARY KEY,
    from_id TEXT NOT NULL REFERENCES users(id),
    to_id TEXT NOT NULL REFERENCES users(id),
    note TEXT,
    status TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'declined')),
    created_at INTEGER NOT NULL
  );
  CREATE INDEX contact_requests_by_to ON contact_requests(to_id, status);
  CREATE INDEX contact_requests_by_from ON contact_requests(from_id, status, to_id);

  CREATE TABLE conversations (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('direct', 'group')),
    title TEXT NOT NULL,
    -- The two member ids in order, so that a pair always finds the same conversation.
    direct_key TEXT UNIQUE,
    created_at INTEGER NOT NULL,
    last_seq INTEGER NOT NULL DEFAULT 0,
    last_activity INTEGER NOT NULL
  );

  CREATE TABLE members (
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    role TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
    joined_at INTEGER NOT NULL,
    join_order INTEGER NOT NULL,
    join_seq INTEGER NOT NULL,
    read_seq INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, user_id)
  ) WITHOUT ROWID;
  CREATE INDEX members_by_user ON members(user_id);

  -- Clustered on (conversation, seq): history pages and catch-up are one range read at any depth.
  CREATE TABLE messages (
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    seq INTEGER NOT NULL,
    id TEXT NOT NULL,
    sender_id TEXT NOT NULL REFERENCES users(id),
    client_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('text', 'product', 'system')),
    text TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    extra TEXT,
    PRIMARY KEY (conversation_id, seq)
  ) WITHOUT ROWID;
  CREATE UNIQUE INDEX messages_by_client_id ON messages(sender_id, client_id);
  `,
  `
  -- A conversation's lastSeq and lastActivity are its newest message's seq and time: read
  -- through the messages key instead of updating a second row on every send.
  ALTER TABLE conversations DROP COLUMN last_seq;
  ALTER TABLE conversations DROP COLUMN last_activity;
  `,
  `
  -- The merchant badges are refreshed from the verification service (merchant-badges.ts):
  -- the linked users are found without reading every user.
  CREATE INDEX users_by_merchant ON users(merchant_id) WHERE merchant_id IS NOT NULL;
  `,
  `
  -- The idempotency key led by clientId: ids ordered in time (the web client's, client-id.ts)
  -- land together at the index's end, where (sender, clientId) put every send in a leaf of its
  -- own. Uniqueness is the same pair. Measured in docs/benchmarks.md (twelfth round), which also
  -- says why messages stay clustered on (conversation, seq): history at depth.
  DROP INDEX messages_by_client_id;
  CREATE UNIQUE INDEX messages_by_client_id ON messages(client_id, sender_id);
  `,
];

/** A newer server's file is not this one's to change; checked before anything writes to it. */
export function refuseNewerSchema(db: Database.Database): number {
  const current = db.pragma('user_version', { simple: true });
  if (typeof current !== 'number') throw new Error('user_version is not a number');
  if (current > MIGRATIONS.length) {
    throw new Error(`the database schema (version ${current}) is newer than this server (version ${MIGRATIONS.length})`);
  }
  return current;
}

/** `upgrading` is told before an existing database is changed: a rebuild of a large history takes a while. */
export function migrate(db: Database.Database, upgrading: (from: number, to: number) => void = () => undefined): void {
  const current = refuseNewerSchema(db);
  if (current > 0 && current < MIGRATIONS.length) upgrading(current, MIGRATIONS.length);
  for (let version = current; version < MIGRATIONS.length; version++) {
    const sql = MIGRATIONS[version];
    if (sql === undefined) break;
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
