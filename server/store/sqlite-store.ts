/**
 * The SQLite engine of the chat store: better-sqlite3, WAL, foreign keys, prepared statements.
 * Synchronous on purpose: one process owns the file and every call is a short indexed read or
 * write, so there is nothing to wait for (DESIGN.md §7: no worker pools until a benchmark asks).
 * The one exception is the disk: the message writer's commits skip SQLite's fsync and are made
 * durable by an asynchronous sync of the WAL (`wal-sync.ts`), so the event loop never waits
 * for the disk on the message path.
 */
import { randomUUID } from 'node:crypto';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ContactRequestStatus, ConversationKind, LinkPreview, MemberRole, MerchantRef, Message, MessageKind, ProductCard, SystemInfo, User } from '../../protocol';
import type {
  ChatStore,
  ContactRecord,
  ContactRequestRecord,
  ConversationRecord,
  MemberJoin,
  MemberRecord,
  MemberWithUser,
  MembershipRecord,
  MessagePage,
  NewMember,
  NewMessage,
  SendPermission,
  StoredCredentials,
} from './chat-store';
import { consoleLogger, type Logger } from '../chat/logger';
import { openingDataFile } from './data-file-error';
import { migrate, refuseNewerSchema } from './migrations';
import { BACKSTOP_PAGES, startWalCheckpointer, type WalCheckpointer } from './wal-checkpointer';
import { BoundedCache } from './bounded-cache';
import { foldCase } from './fold-case';
import { WalSync } from './wal-sync';

export type SyncMode = 'full' | 'normal';

export interface SqliteStoreOptions {
  /** A directory; the database is `chat.sqlite` inside it. */
  dataDir: string;
  /**
   * `full`: every commit is on disk before it is acknowledged (`transaction` fsyncs in the
   * commit; `transactionDeferredSync` after it, through `syncCommitted`), so nothing
   * acknowledged is lost on power loss. `normal`: no sync before the acknowledgement; survives
   * a crash of the process, not of the machine.
   */
  sync: SyncMode;
  /** Where the background checkpointer reports a failure (default: stderr). */
  log?: Logger;
  /** The WAL length, in pages, at which the chat connection finishes a checkpoint (tests lower it). */
  walRestartPages?: number;
}

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  merchant_id: string | null;
  merchant_name: string | null;
  merchant_verified: number | null;
}

interface MessageRow {
  conversation_id: string;
  seq: number;
  id: string;
  sender_id: string;
  client_id: string;
  kind: MessageKind;
  text: string;
  created_at: number;
  extra: string | null;
}

interface MessageExtra {
  links?: LinkPreview[];
  product?: ProductCard;
  system?: SystemInfo;
}

interface ConversationRow {
  id: string;
  kind: ConversationKind;
  title: string;
  created_at: number;
}

interface MemberRow {
  user_id: string;
  role: MemberRole;
  joined_at: number;
  join_seq: number;
  read_seq: number;
}

interface RequestRow {
  id: string;
  from_id: string;
  to_id: string;
  note: string | null;
  status: ContactRequestStatus;
  created_at: number;
}

const USER_COLUMNS = 'u.id, u.username, u.display_name, u.merchant_id, u.merchant_name, u.merchant_verified';
const MESSAGE_COLUMNS = 'conversation_id, seq, id, sender_id, client_id, kind, text, created_at, extra';
/** A conversation's lastSeq and last activity are its newest message's seq and time (SqliteStore.newestOf), not columns. */
const CONVERSATION_COLUMNS = 'c.id, c.kind, c.title, c.created_at';
const MEMBER_COLUMNS = 'm.user_id, m.role, m.joined_at, m.join_seq, m.read_seq';

/** Bounds the send path's in-memory maps; past it they start over (they are only caches). */
const CACHE_ENTRIES_MAX = 100_000;

function toUser(row: UserRow): User {
  const user: User = { id: row.id, username: row.username, displayName: row.display_name };
  if (row.merchant_id !== null) {
    user.merchant = { id: row.merchant_id, name: row.merchant_name ?? '', verified: row.merchant_verified === 1 };
  }
  return user;
}

function toMessage(row: MessageRow): Message {
  const message: Message = {
    id: row.id,
    conversationId: row.conversation_id,
    seq: row.seq,
    senderId: row.sender_id,
    clientId: row.client_id,
    kind: row.kind,
    text: row.text,
    createdAt: row.created_at,
  };
  if (row.extra !== null) {
    const extra = JSON.parse(row.extra) as MessageExtra;
    if (extra.links !== undefined) message.links = extra.links;
    if (extra.product !== undefined) message.product = extra.product;
    if (extra.system !== undefined) message.system = extra.system;
  }
  return message;
}

function extraOf(message: NewMessage): string | null {
  const extra: MessageExtra = {};
  if (message.links !== undefined) extra.links = message.links;
  if (message.product !== undefined) extra.product = message.product;
  if (message.system !== undefined) extra.system = message.system;
  return Object.keys(extra).length === 0 ? null : JSON.stringify(extra);
}

/** A conversation's newest message: its seq (0 without messages) and time. */
interface Newest {
  seq: number;
  at?: number;
  /**
   * Its place among the messages this process wrote (appendMessage): two conversations whose
   * newest messages share a millisecond are still listed in the order they were written.
   */
  order?: number;
}

/**
 * Most recent activity first; within one millisecond, the later write first (a conversation
 * whose newest message was not written by this process, or left the cache, counts as written
 * before); then by id. One key throughout, so that the order is total.
 */
function byActivity(a: ConversationRecord, b: ConversationRecord, orderOf: (id: string) => number | undefined): number {
  if (a.lastActivity !== b.lastActivity) return b.lastActivity - a.lastActivity;
  const byOrder = (orderOf(b.id) ?? 0) - (orderOf(a.id) ?? 0);
  if (byOrder !== 0) return byOrder;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function toConversation(row: ConversationRow, newest: Newest): ConversationRecord {
  return { id: row.id, kind: row.kind, title: row.title, createdAt: row.created_at, lastSeq: newest.seq, lastActivity: newest.at ?? row.created_at };
}

function toMember(row: MemberRow): MemberRecord {
  return { userId: row.user_id, role: row.role, joinedAt: row.joined_at, joinSeq: row.join_seq, readSeq: row.read_seq };
}

function toRequest(row: RequestRow): ContactRequestRecord {
  const request: ContactRequestRecord = { id: row.id, fromId: row.from_id, toId: row.to_id, status: row.status, createdAt: row.created_at };
  if (row.note !== null) request.note = row.note;
  return request;
}

export function directKey(a: string, b: string): string {
  return a < b ? `${a} ${b}` : `${b} ${a}`;
}

export function openSqliteStore(options: SqliteStoreOptions): ChatStore {
  mkdirSync(options.dataDir, { recursive: true });
  const file = path.join(options.dataDir, 'chat.sqlite');
  const db = openingDataFile(file, () => new Database(file));
  const opened: { databaseFd?: number; checkpointer?: WalCheckpointer } = {};
  try {
    // The first statements are where a file that is no database, or a damaged one, shows.
    openingDataFile(file, () => {
      // Before anything writes: even entering WAL mode rewrites a newer server's file header.
      refuseNewerSchema(db);
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${options.sync === 'full' ? 'FULL' : 'NORMAL'}`);
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000');
      db.pragma('cache_size = -65536');
      db.pragma('temp_store = MEMORY');
      // Checkpoints run on a worker (wal-checkpointer.ts); this threshold is only the backstop.
      db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
      migrate(db, (from, to) => {
        (options.log ?? consoleLogger).info(`wanglai: upgrading the database schema from version ${from} to ${to} (once; a long history takes about 1.5 s a million messages)`);
      });
    });
    // SQLite's LIKE and lower() fold ASCII only: `Émile` is not found as `émile`. Names with
    // other letters are folded by JavaScript (users:search calls it for those rows only).
    db.function('fold', { deterministic: true }, (text: unknown) => (typeof text === 'string' ? foldCase(text) : null));
    const log = options.log ?? consoleLogger;
    // The checkpointer syncs the database file through this descriptor; the store closes it after
    // its own connection (see SqliteStore.close).
    const databaseFd = openSync(file, 'r+');
    opened.databaseFd = databaseFd;
    opened.checkpointer = startWalCheckpointer(file, databaseFd, log, () => {
      if (!db.open) return;
      try {
        db.pragma('wal_checkpoint(PASSIVE)');
      } catch (error) {
        log.error('finishing a WAL checkpoint failed', error);
      }
    }, options.walRestartPages);
    return new SqliteStore(db, options.sync === 'full' ? new WalSync(db, `${file}-wal`) : undefined, opened.checkpointer, databaseFd);
  } catch (error) {
    // Nothing outlives a store that could not open (a schema newer than this server, a full disk).
    void opened.checkpointer?.close();
    db.close();
    if (opened.databaseFd !== undefined) closeSync(opened.databaseFd);
    throw error;
  }
}

class SqliteStore implements ChatStore {
  private readonly s;
  /** conversation id → its newest message's seq and time, once read or written (newestOf). */
  private readonly newest = new BoundedCache<Newest>(CACHE_ENTRIES_MAX);
  /** Messages written by this process so far (Newest.order). */
  private writes = 0;
  /** conversation id → seqs committed and held back until durable (holdBack), ascending. */
  private readonly heldBack = new Map<string, number[]>();
  /** Inside transactionDeferredSync: its commit does not wait for the disk. */
  private deferringSync = false;
  /** `conversation\nsender` → sendPermission's answer, until members or contacts change. */
  private readonly permissions = new BoundedCache<SendPermission>(CACHE_ENTRIES_MAX);
  private readonly syncNormal;
  private readonly syncFull;
  /**
   * One wrapper for every transaction: better-sqlite3 builds a wrapper (and its variants) on
   * each `db.transaction()` call, which costs more than a send's statements. The wrapper picks
   * BEGIN/COMMIT or SAVEPOINT/RELEASE when it runs, so nesting still works.
   */
  private readonly runTransaction: (work: () => unknown) => unknown;

  /** `walSync` is present in mode `full` only: in `normal` nothing waits for the disk. */
  constructor(
    private readonly db: Database.Database,
    private readonly walSync: WalSync | undefined,
    private readonly checkpointer: WalCheckpointer,
    private databaseFd: number | undefined,
  ) {
    const p = (sql: string) => db.prepare(sql);
    this.syncNormal = p('PRAGMA synchronous = NORMAL');
    this.syncFull = p('PRAGMA synchronous = FULL');
    this.runTransaction = db.transaction((work: () => unknown) => work());
    this.s = {
      insertUser: p('INSERT INTO users (id, username, display_name, password_hash, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (username) DO NOTHING'),
      credentials: p(`SELECT ${USER_COLUMNS}, u.password_hash FROM users u WHERE u.username = ?`),
      userById: p(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = ?`),
      userByUsername: p(`SELECT ${USER_COLUMNS} FROM users u WHERE u.username = ?`),
      usersByIds: p(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id IN (SELECT value FROM json_each(?))`),
      searchUsers: p(
        `SELECT ${USER_COLUMNS} FROM users u
         WHERE u.id <> @excludeId AND (u.username LIKE @contains ESCAPE '\\' OR u.display_name LIKE @contains ESCAPE '\\'
           OR (u.display_name GLOB '*[^ -~]*' AND instr(fold(u.display_name), @folded) > 0))
         ORDER BY (u.username LIKE @prefix ESCAPE '\\') DESC, u.username LIMIT @limit`,
      ),
      setMerchant: p('UPDATE users SET merchant_id = ?, merchant_name = ?, merchant_verified = ? WHERE id = ?'),
      linkedMerchantIds: p('SELECT DISTINCT merchant_id FROM users WHERE merchant_id IS NOT NULL'),
      usersOfMerchant: p('SELECT id, merchant_id, merchant_name, merchant_verified FROM users WHERE merchant_id = ?'),
      insertSession: p('INSERT INTO sessions (token_hash, user_id, created_at) VALUES (?, ?, ?)'),
      sessionUser: p('SELECT user_id FROM sessions WHERE token_hash = ?'),
      deleteSession: p('DELETE FROM sessions WHERE token_hash = ?'),
      sessionCount: p('SELECT count(*) AS n FROM sessions WHERE user_id = ?'),
      oldestSession: p('SELECT token_hash FROM sessions WHERE user_id = ? ORDER BY created_at, token_hash LIMIT 1'),

      contactsOf: p(`SELECT ${USER_COLUMNS}, k.since FROM contacts k JOIN users u ON u.id = k.contact_id WHERE k.user_id = ? ORDER BY u.username`),
      contactIdsOf: p('SELECT contact_id FROM contacts WHERE user_id = ?'),
      isContact: p('SELECT since FROM contacts WHERE user_id = ? AND contact_id = ?'),
      insertContact: p('INSERT INTO contacts (user_id, contact_id, since) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'),
      deleteContact: p('DELETE FROM contacts WHERE user_id = ? AND contact_id = ?'),
      request: p('SELECT * FROM contact_requests WHERE id = ?'),
      pendingRequest: p("SELECT * FROM contact_requests WHERE from_id = ? AND status = 'pending' AND to_id = ?"),
      incoming: p("SELECT * FROM contact_requests WHERE to_id = ? AND status = 'pending' ORDER BY created_at"),
      outgoing: p("SELECT * FROM contact_requests WHERE from_id = ? AND status = 'pending' ORDER BY created_at"),
      insertRequest: p('INSERT INTO contact_requests (id, from_id, to_id, note, status, created_at) VALUES (?, ?, ?, ?, ?, ?)'),
      setRequestStatus: p('UPDATE contact_requests SET status = ? WHERE id = ?'),

      directConversation: p('SELECT id FROM conversations WHERE direct_key = ?'),
      insertConversation: p('INSERT INTO conversations (id, kind, title, direct_key, created_at) VALUES (?, ?, ?, ?, ?)'),
      conversation: p(`SELECT ${CONVERSATION_COLUMNS} FROM conversations c WHERE c.id = ?`),
      setTitle: p('UPDATE conversations SET title = ? WHERE id = ?'),
      membersOf: p(`SELECT ${MEMBER_COLUMNS}, ${USER_COLUMNS} FROM members m JOIN users u ON u.id = m.user_id WHERE m.conversation_id = ? ORDER BY m.join_order`),
      memberJoinsOf: p('SELECT user_id, join_seq FROM members WHERE conversation_id = ?'),
      memberCount: p('SELECT count(*) AS n FROM members WHERE conversation_id = ?'),
      membership: p(`SELECT ${MEMBER_COLUMNS} FROM members m WHERE m.conversation_id = ? AND m.user_id = ?`),
      sendPermission: p(
        `SELECT EXISTS (SELECT 1 FROM members m WHERE m.conversation_id = c.id AND m.user_id = @senderId) AS member,
                c.kind <> 'direct' OR EXISTS (
                  SELECT 1 FROM members o JOIN contacts k ON k.user_id = @senderId AND k.contact_id = o.user_id
                  WHERE o.conversation_id = c.id AND o.user_id <> @senderId) AS allowed
         FROM conversations c WHERE c.id = @conversationId`,
      ),
      membershipsOf: p(
        `SELECT ${CONVERSATION_COLUMNS}, ${MEMBER_COLUMNS} FROM members m JOIN conversations c ON c.id = m.conversation_id
         WHERE m.user_id = ? ORDER BY c.id`,
      ),
      insertMember: p(
        `INSERT INTO members (conversation_id, user_id, role, joined_at, join_order, join_seq, read_seq)
         VALUES (@conversationId, @userId, @role, @joinedAt,
                 (SELECT coalesce(max(join_order), 0) + 1 FROM members WHERE conversation_id = @conversationId), @joinSeq, @readSeq)`,
      ),
      deleteMember: p('DELETE FROM members WHERE conversation_id = ? AND user_id = ?'),
      setRole: p('UPDATE members SET role = ? WHERE conversation_id = ? AND user_id = ?'),
      longestStanding: p('SELECT user_id FROM members WHERE conversation_id = ? AND role = ? ORDER BY join_order LIMIT 1'),
      advanceRead: p('UPDATE members SET read_seq = @seq WHERE conversation_id = @conversationId AND user_id = @userId AND read_seq < @seq'),
      advanceReadByOne: p('UPDATE members SET read_seq = @seq WHERE conversation_id = @conversationId AND user_id = @userId AND read_seq = @seq - 1'),

      newestMessage: p('SELECT seq, created_at FROM messages WHERE conversation_id = ? ORDER BY seq DESC LIMIT 1'),
      insertMessage: p(`INSERT INTO messages (${MESSAGE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      messageByClientId: p(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE sender_id = ? AND client_id = ?`),
      lastMessage: p(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? ORDER BY seq DESC LIMIT 1`),
      history: p(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? AND seq < ? AND seq >= ? ORDER BY seq DESC LIMIT ?`),
      after: p(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? AND seq > ? ORDER BY seq LIMIT ?`),
      extraOf: p('SELECT extra FROM messages WHERE conversation_id = ? AND seq = ?'),
      setExtra: p('UPDATE messages SET extra = ? WHERE conversation_id = ? AND seq = ?'),
    };
  }

  transaction<T>(work: () => T): T {
    const outermost = !this.db.inTransaction;
    try {
      // The wrapper returns what `work` returns; its typing cannot carry the type parameter.
      const result = this.runTransaction(work) as T;
      // A commit that waited for its fsync (FULL: a group change) made every WAL frame before it
      // durable too, held-back sends included: reads made after it (its own views) may show them.
      if (outermost && !this.deferringSync && this.walSync !== undefined) this.heldBack.clear();
      return result;
    } catch (error) {
      // Rolled back (to its savepoint, when nested): what the caches learnt inside may be undone.
      this.forgetSendCaches();
      throw error;
    }
  }

  transactionDeferredSync<T>(work: () => T): T {
    if (this.walSync === undefined) return this.transaction(work);
    // The connection stays FULL for every other write (contacts, groups, read marks), which
    // keeps their synchronous durability; only this commit leaves the fsync to syncCommitted.
    this.syncNormal.run();
    this.deferringSync = true;
    try {
      return this.transaction(work);
    } finally {
      this.deferringSync = false;
      this.syncFull.run();
    }
  }

  inTransaction(): boolean {
    return this.db.inTransaction;
  }

  syncCommitted(): Promise<void> {
    return this.walSync === undefined ? Promise.resolve() : this.walSync.sync();
  }

  async close(): Promise<void> {
    // The worker's connection closes first, so that this one is the last: its close copies the
    // WAL into the database and removes it.
    await this.checkpointer.close();
    if (this.db.open) this.db.close();
    this.walSync?.close();
    // Only now: closing any descriptor of the file drops every POSIX lock this process holds on
    // it, the open connection's too, which SQLite's own descriptors are kept open to avoid.
    if (this.databaseFd !== undefined) closeSync(this.databaseFd);
    this.databaseFd = undefined;
  }

  createUser(user: { id: string; username: string; displayName: string; passwordHash: string; createdAt: number }): 'created' | 'username_taken' {
    const info = this.s.insertUser.run(user.id, user.username, user.displayName, user.passwordHash, user.createdAt);
    return info.changes === 1 ? 'created' : 'username_taken';
  }

  credentialsByUsername(username: string): StoredCredentials | undefined {
    const row = this.s.credentials.get(username) as (UserRow & { password_hash: string }) | undefined;
    return row === undefined ? undefined : { user: toUser(row), passwordHash: row.password_hash };
  }

  userById(id: string): User | undefined {
    const row = this.s.userById.get(id) as UserRow | undefined;
    return row === undefined ? undefined : toUser(row);
  }

  userByUsername(username: string): User | undefined {
    const row = this.s.userByUsername.get(username) as UserRow | undefined;
    return row === undefined ? undefined : toUser(row);
  }

  usersByIds(ids: readonly string[]): Map<string, User> {
    const users = new Map<string, User>();
    if (ids.length === 0) return users;
    for (const row of this.s.usersByIds.all(JSON.stringify(ids)) as UserRow[]) users.set(row.id, toUser(row));
    return users;
  }

  searchUsers(query: string, excludeId: string, limit: number): User[] {
    const folded = foldCase(query);
    const escaped = folded.replace(/[\\%_]/g, (c) => `\\${c}`);
    const rows = this.s.searchUsers.all({ excludeId, contains: `%${escaped}%`, prefix: `${escaped}%`, folded, limit }) as UserRow[];
    return rows.map(toUser);
  }

  setUserMerchant(userId: string, merchant: MerchantRef | null): void {
    if (merchant === null) this.s.setMerchant.run(null, null, null, userId);
    else this.s.setMerchant.run(merchant.id, merchant.name, merchant.verified ? 1 : 0, userId);
  }

  linkedMerchantIds(): string[] {
    return (this.s.linkedMerchantIds.all() as { merchant_id: string }[]).map((row) => row.merchant_id);
  }

  usersOfMerchant(merchantId: string): { userId: string; merchant: MerchantRef }[] {
    const rows = this.s.usersOfMerchant.all(merchantId) as { id: string; merchant_id: string; merchant_name: string | null; merchant_verified: number | null }[];
    return rows.map((row) => ({ userId: row.id, merchant: { id: row.merchant_id, name: row.merchant_name ?? '', verified: row.merchant_verified === 1 } }));
  }

  createSession(tokenHash: string, userId: string, createdAt: number): void {
    this.s.insertSession.run(tokenHash, userId, createdAt);
  }

  sessionUserId(tokenHash: string): string | undefined {
    const row = this.s.sessionUser.get(tokenHash) as { user_id: string } | undefined;
    return row?.user_id;
  }

  deleteSession(tokenHash: string): boolean {
    return this.s.deleteSession.run(tokenHash).changes === 1;
  }

  sessionCount(userId: string): number {
    return (this.s.sessionCount.get(userId) as { n: number }).n;
  }

  oldestSession(userId: string): string | undefined {
    return (this.s.oldestSession.get(userId) as { token_hash: string } | undefined)?.token_hash;
  }

  contactsOf(userId: string): ContactRecord[] {
    const rows = this.s.contactsOf.all(userId) as (UserRow & { since: number })[];
    return rows.map((row) => ({ user: toUser(row), since: row.since }));
  }

  contactIdsOf(userId: string): string[] {
    return (this.s.contactIdsOf.all(userId) as { contact_id: string }[]).map((row) => row.contact_id);
  }

  areContacts(a: string, b: string): boolean {
    return this.s.isContact.get(a, b) !== undefined;
  }

  contactSince(a: string, b: string): number | undefined {
    const row = this.s.isContact.get(a, b) as { since: number } | undefined;
    return row?.since;
  }

  addContactPair(a: string, b: string, since: number): void {
    this.forgetPermissions();
    this.s.insertContact.run(a, b, since);
    this.s.insertContact.run(b, a, since);
  }

  removeContactPair(a: string, b: string): boolean {
    this.forgetPermissions();
    const removed = this.s.deleteContact.run(a, b).changes;
    return this.s.deleteContact.run(b, a).changes + removed > 0;
  }

  contactRequest(id: string): ContactRequestRecord | undefined {
    const row = this.s.request.get(id) as RequestRow | undefined;
    return row === undefined ? undefined : toRequest(row);
  }

  pendingRequest(fromId: string, toId: string): ContactRequestRecord | undefined {
    const row = this.s.pendingRequest.get(fromId, toId) as RequestRow | undefined;
    return row === undefined ? undefined : toRequest(row);
  }

  pendingRequestsOf(userId: string): { incoming: ContactRequestRecord[]; outgoing: ContactRequestRecord[] } {
    return {
      incoming: (this.s.incoming.all(userId) as RequestRow[]).map(toRequest),
      outgoing: (this.s.outgoing.all(userId) as RequestRow[]).map(toRequest),
    };
  }

  insertContactRequest(request: ContactRequestRecord): void {
    this.s.insertRequest.run(request.id, request.fromId, request.toId, request.note ?? null, request.status, request.createdAt);
  }

  setContactRequestStatus(id: string, status: ContactRequestStatus): void {
    this.s.setRequestStatus.run(status, id);
  }

  directConversationId(a: string, b: string): string | undefined {
    const row = this.s.directConversation.get(directKey(a, b)) as { id: string } | undefined;
    return row?.id;
  }

  insertConversation(conversation: { id: string; kind: ConversationKind; title: string; createdAt: number; directKey?: string }): void {
    this.forgetPermissions();
    this.s.insertConversation.run(conversation.id, conversation.kind, conversation.title, conversation.directKey ?? null, conversation.createdAt);
  }

  conversation(id: string): ConversationRecord | undefined {
    const row = this.s.conversation.get(id) as ConversationRow | undefined;
    return row === undefined ? undefined : this.visible(toConversation(row, this.newestOf(row.id)));
  }

  setConversationTitle(id: string, title: string): void {
    this.s.setTitle.run(title, id);
  }

  membersOf(conversationId: string): MemberWithUser[] {
    const rows = this.s.membersOf.all(conversationId) as (MemberRow & UserRow)[];
    return rows.map((row) => ({ ...toMember(row), user: toUser(row) }));
  }

  memberJoinsOf(conversationId: string): MemberJoin[] {
    return (this.s.memberJoinsOf.all(conversationId) as { user_id: string; join_seq: number }[]).map((row) => ({ userId: row.user_id, joinSeq: row.join_seq }));
  }

  memberCount(conversationId: string): number {
    return (this.s.memberCount.get(conversationId) as { n: number }).n;
  }

  membership(conversationId: string, userId: string): MemberRecord | undefined {
    const row = this.s.membership.get(conversationId, userId) as MemberRow | undefined;
    return row === undefined ? undefined : toMember(row);
  }

  sendPermission(conversationId: string, senderId: string): SendPermission {
    const key = `${conversationId}\n${senderId}`;
    const cached = this.permissions.get(key);
    if (cached !== undefined) return cached;
    const row = this.s.sendPermission.get({ conversationId, senderId }) as { member: number; allowed: number } | undefined;
    const permission = row === undefined || row.member !== 1 ? 'not_member' : row.allowed === 1 ? 'allowed' : 'not_contact';
    this.permissions.set(key, permission);
    return permission;
  }

  /** Every change of members or contacts comes through this store: it forgets what it cached. */
  private forgetPermissions(): void {
    this.permissions.clear();
  }

  private forgetSendCaches(): void {
    this.permissions.clear();
    this.newest.clear();
  }

  membershipsOf(userId: string): MembershipRecord[] {
    const rows = this.s.membershipsOf.all(userId) as (ConversationRow & MemberRow)[];
    const memberships = rows.map((row) => ({ conversation: this.visible(toConversation(row, this.newestOf(row.id))), member: toMember(row) }));
    const orderOf = (conversationId: string): number | undefined => this.newest.get(conversationId)?.order;
    return memberships.sort((a, b) => byActivity(a.conversation, b.conversation, orderOf));
  }

  insertMember(conversationId: string, member: NewMember): void {
    this.forgetPermissions();
    this.s.insertMember.run({ conversationId, ...member });
  }

  deleteMember(conversationId: string, userId: string): boolean {
    this.forgetPermissions();
    return this.s.deleteMember.run(conversationId, userId).changes === 1;
  }

  setRole(conversationId: string, userId: string, role: MemberRole): void {
    this.s.setRole.run(role, conversationId, userId);
  }

  longestStanding(conversationId: string, role: MemberRole): string | undefined {
    const row = this.s.longestStanding.get(conversationId, role) as { user_id: string } | undefined;
    return row?.user_id;
  }

  advanceReadSeq(conversationId: string, userId: string, seq: number): boolean {
    return this.s.advanceRead.run({ conversationId, userId, seq }).changes === 1;
  }

  advanceReadSeqToOwn(conversationId: string, userId: string, seq: number): boolean {
    // The usual case, a sender whose mark is at the message before, costs the one statement it did.
    const params = { conversationId, userId, seq };
    if (this.s.advanceReadByOne.run(params).changes === 1) return false;
    return this.s.advanceRead.run(params).changes === 1;
  }

  /**
   * The newest message's seq and time, from memory once read or written. Reading them from the
   * messages key reads that message's overflow pages when its text is long (a seek in a WITHOUT
   * ROWID table compares whole records): 2,000 conversations with 4,000-character newest messages
   * took 12 ms a list, against 5 ms from stored columns; from memory it is free.
   */
  private newestOf(conversationId: string): Newest {
    const cached = this.newest.get(conversationId);
    if (cached !== undefined) return cached;
    const row = this.s.newestMessage.get(conversationId) as { seq: number; created_at: number } | undefined;
    const newest: Newest = row === undefined ? { seq: 0 } : { seq: row.seq, at: row.created_at };
    this.newest.set(conversationId, newest);
    return newest;
  }

  /**
   * The next seq comes from memory after the conversation's first message in this process: only
   * this store writes messages, and a rollback makes it read the key again (`transaction`).
   * Nothing else is written per message but the row itself (a conversation's lastSeq and last
   * activity are its newest message's), so a batch of sends dirties the fewest pages.
   */
  appendMessage(message: NewMessage): Message {
    const { conversationId } = message;
    const seq = this.newestOf(conversationId).seq + 1;
    const id = randomUUID();
    // A conversation that does not exist fails the foreign key: a bug of the caller, thrown.
    this.s.insertMessage.run(conversationId, seq, id, message.senderId, message.clientId, message.kind, message.text, message.createdAt, extraOf(message));
    this.newest.set(conversationId, { seq, at: message.createdAt, order: ++this.writes });
    const stored: Message = {
      id,
      conversationId,
      seq,
      senderId: message.senderId,
      clientId: message.clientId,
      kind: message.kind,
      text: message.text,
      createdAt: message.createdAt,
    };
    if (message.links !== undefined) stored.links = message.links;
    if (message.product !== undefined) stored.product = message.product;
    if (message.system !== undefined) stored.system = message.system;
    return stored;
  }

  messageByClientId(senderId: string, clientId: string): Message | undefined {
    const row = this.s.messageByClientId.get(senderId, clientId) as MessageRow | undefined;
    return row === undefined ? undefined : toMessage(row);
  }

  holdBack(conversationId: string, seq: number): void {
    const held = this.heldBack.get(conversationId);
    if (held === undefined) this.heldBack.set(conversationId, [seq]);
    else held.push(seq);
  }

  release(conversationId: string, seq: number): void {
    const held = this.heldBack.get(conversationId);
    const at = held?.indexOf(seq) ?? -1;
    if (held === undefined || at < 0) return;
    held.splice(at, 1);
    if (held.length === 0) this.heldBack.delete(conversationId);
  }

  /** The first seq reads must not reach: the oldest one held back, if any. */
  private readableBefore(conversationId: string): number {
    const held = this.heldBack.get(conversationId);
    return held === undefined ? Number.MAX_SAFE_INTEGER : Math.min(...held);
  }

  /** A conversation as reads may show it: its lastSeq before what is held back. */
  private visible(conversation: ConversationRecord): ConversationRecord {
    const before = this.readableBefore(conversation.id);
    return conversation.lastSeq < before ? conversation : { ...conversation, lastSeq: before - 1 };
  }

  lastMessage(conversationId: string): Message | undefined {
    const before = this.readableBefore(conversationId);
    if (before !== Number.MAX_SAFE_INTEGER) return this.history(conversationId, 0, before, 1).messages[0];
    const row = this.s.lastMessage.get(conversationId) as MessageRow | undefined;
    return row === undefined ? undefined : toMessage(row);
  }

  history(conversationId: string, fromSeq: number, beforeSeq: number, limit: number): MessagePage {
    const rows = this.s.history.all(conversationId, Math.min(beforeSeq, this.readableBefore(conversationId)), fromSeq, limit + 1) as MessageRow[];
    const hasMore = rows.length > limit;
    const page = hasMore ? rows.slice(0, limit) : rows;
    return { messages: page.reverse().map(toMessage), hasMore };
  }

  messagesAfter(conversationId: string, afterSeq: number, limit: number): Message[] {
    const before = this.readableBefore(conversationId);
    // What is held back is the newest: leaving it out only shortens the end of the range.
    return (this.s.after.all(conversationId, afterSeq, limit) as MessageRow[]).filter((row) => row.seq < before).map(toMessage);
  }

  messageLinks(conversationId: string, seq: number): LinkPreview[] | undefined {
    const row = this.s.extraOf.get(conversationId, seq) as { extra: string | null } | undefined;
    return row?.extra == null ? undefined : (JSON.parse(row.extra) as MessageExtra).links;
  }

  setMessageLinks(conversationId: string, seq: number, links: LinkPreview[]): boolean {
    const row = this.s.extraOf.get(conversationId, seq) as { extra: string | null } | undefined;
    if (row === undefined) return false;
    const extra = row.extra === null ? {} : (JSON.parse(row.extra) as MessageExtra);
    extra.links = links;
    return this.s.setExtra.run(JSON.stringify(extra), conversationId, seq).changes === 1;
  }
}
