/**
 * The history data set of scenario 4: conversations of stored messages written straight into a
 * SQLite file with the chat server's own migrations, in bulk, and kept in bench/data between
 * runs (regenerated when the migrations or the size change).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { MIGRATIONS, migrate } from '../server/store/migrations';

export interface HistoryDataSet {
  dataDir: string;
  conversations: { id: string; lastSeq: number }[];
  totalMessages: number;
}

const CONVERSATIONS = 10;
const TEXTS = ['好的，明天见', 'see you at the shop tomorrow, the new stock arrives at ten', '这个价格可以再便宜一点吗？', 'ok', 'the parcel left Hangzhou this morning, tracking number follows', '谢谢！'];

export function historyDataSet(root: string, totalMessages: number, log: (line: string) => void): HistoryDataSet {
  const dataDir = join(root, `history-${totalMessages}`);
  const manifestPath = join(dataDir, 'manifest.json');
  const perConversation = Math.floor(totalMessages / CONVERSATIONS);
  const conversations = Array.from({ length: CONVERSATIONS }, (_, i) => ({ id: `conv-${i}`, lastSeq: perConversation }));
  // The migrations' text, not their count: a migration changed before release changes the layout.
  const schema = createHash('sha256').update(MIGRATIONS.join('\n')).digest('hex').slice(0, 12);
  const manifest = JSON.stringify({ schema, totalMessages, perConversation, layout: 'interleaved' });
  if (existsSync(manifestPath) && readFileSync(manifestPath, 'utf8') === manifest) return { dataDir, conversations, totalMessages };

  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  log(`  generating ${totalMessages.toLocaleString('en-US')} messages into ${dataDir} (kept for later runs)`);
  const began = performance.now();
  const db = new Database(join(dataDir, 'chat.sqlite'));
  // Bulk load: no journal, no fsync; the store switches the file to WAL when it opens it.
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  migrate(db);
  const now = Date.now();
  db.transaction(() => {
    const user = db.prepare('INSERT INTO users (id, username, display_name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)');
    for (let u = 0; u < CONVERSATIONS * 2; u++) user.run(`user-${u}`, `histuser${u}`, `History ${u}`, 'scrypt$1$1$1$x$x', now);
    const conversation = db.prepare("INSERT INTO conversations (id, kind, title, direct_key, created_at) VALUES (?, 'direct', ?, ?, ?)");
    const member = db.prepare("INSERT INTO members (conversation_id, user_id, role, joined_at, join_order, join_seq, read_seq) VALUES (?, ?, 'member', ?, ?, 0, 0)");
    for (const [i, c] of conversations.entries()) {
      conversation.run(c.id, `History ${i}`, `user-${2 * i} user-${2 * i + 1}`, now);
      member.run(c.id, `user-${2 * i}`, now, 1);
      member.run(c.id, `user-${2 * i + 1}`, now, 2);
    }
  })();
  const insert = db.prepare("INSERT INTO messages (conversation_id, seq, id, sender_id, client_id, kind, text, created_at, extra) VALUES (?, ?, ?, ?, ?, 'text', ?, ?, NULL)");
  // Interleaved, as a server with the ten conversations all active writes them: messages are
  // stored in arrival order (migration 4), so a page of one conversation's history spans the
  // rows of the others written meanwhile.
  const rounds = 10_000;
  for (let from = 1; from <= perConversation; from += rounds) {
    const to = Math.min(perConversation, from + rounds - 1);
    db.transaction(() => {
      for (let seq = from; seq <= to; seq++) {
        for (const [i, c] of conversations.entries()) {
          const sender = `user-${2 * i + (seq % 2)}`;
          insert.run(c.id, seq, `m-${i}-${seq}`, sender, `client-${i}-${seq.toString().padStart(9, '0')}`, TEXTS[seq % TEXTS.length] ?? 'ok', now - (c.lastSeq - seq) * 1000);
        }
      }
    })();
    if (to % (perConversation / 10) < rounds) log(`    ${Math.round((100 * to) / perConversation)} % written (${((performance.now() - began) / 1000).toFixed(0)} s)`);
  }
  db.close();
  writeFileSync(manifestPath, manifest);
  return { dataDir, conversations, totalMessages };
}
