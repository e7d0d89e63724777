/**
 * The verification service's own SQLite store (DESIGN.md §1): merchants, their domains, and
 * the blocklist. WAL, versioned migrations, prepared statements; one thin module over
 * better-sqlite3 so nothing else touches SQL.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openingDataFile } from '../store/data-file-error';
import type { Merchant, MerchantStatus } from '../../protocol';

export const VERIFY_DB_FILE = 'verify.sqlite';

/** Each entry moves the schema one version up; never edit one that has shipped. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE merchants (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('verified', 'pending', 'suspended')),
     created_at INTEGER NOT NULL
   );
   CREATE TABLE merchant_domains (
     domain TEXT PRIMARY KEY,
     merchant_id TEXT NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
     position INTEGER NOT NULL
   );
   CREATE INDEX merchant_domains_by_merchant ON merchant_domains (merchant_id, position);
   CREATE TABLE blocklist (
     domain TEXT PRIMARY KEY,
     reason TEXT NOT NULL,
     created_at INTEGER NOT NULL
   );`,
];

export interface BlockedDomain {
  domain: string;
  reason: string;
  createdAt: number;
}

export interface MerchantChanges {
  name?: string;
  domains?: readonly string[];
  status?: MerchantStatus;
}

/** Why a write was refused; the HTTP edge turns it into a coded error. */
export type WriteRefusal = { kind: 'not_found' } | { kind: 'domain_taken'; domain: string; merchantId: string };

export type WriteOutcome<T> = { ok: true; value: T } | { ok: false; refusal: WriteRefusal };

export interface VerifyStore {
  allMerchants(): Merchant[];
  allBlocked(): string[];
  merchant(id: string): Merchant | null;
  createMerchant(input: { name: string; domains: readonly string[]; status: MerchantStatus }): WriteOutcome<Merchant>;
  updateMerchant(id: string, changes: MerchantChanges): WriteOutcome<Merchant>;
  block(domain: string, reason: string): BlockedDomain;
  /** false when the domain was not on the list. */
  unblock(domain: string): boolean;
  close(): void;
}

interface MerchantRow {
  id: string;
  name: string;
  status: MerchantStatus;
  created_at: number;
}

interface DomainRow {
  domain: string;
  merchant_id: string;
}

function newMerchantId(): string {
  return `m_${randomBytes(12).toString('base64url')}`;
}

/** A newer server's file is not this one's to write: it would add rows its columns know nothing about. */
function refuseNewerSchema(db: Database.Database): number {
  const version = db.pragma('user_version', { simple: true });
  if (typeof version !== 'number') throw new Error('user_version is not a number');
  if (version > MIGRATIONS.length) throw new Error(`the database schema (version ${version}) is newer than this server (version ${MIGRATIONS.length})`);
  return version;
}

function migrate(db: Database.Database): void {
  const version = refuseNewerSchema(db);
  MIGRATIONS.slice(version).forEach((sql, index) => {
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${version + index + 1}`);
    })();
  });
}

export function openVerifyStore(dataDir: string): VerifyStore {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, VERIFY_DB_FILE);
  const db = openingDataFile(file, () => new Database(file));
  try {
    openingDataFile(file, () => {
      // Before anything writes: even entering WAL mode rewrites a newer server's file header.
      refuseNewerSchema(db);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000');
      migrate(db);
    });
  } catch (error) {
    db.close();
    throw error;
  }

  const selectMerchant = db.prepare<[string], MerchantRow>('SELECT id, name, status, created_at FROM merchants WHERE id = ?');
  const selectAllMerchants = db.prepare<[], MerchantRow>('SELECT id, name, status, created_at FROM merchants ORDER BY created_at, id');
  const selectDomains = db.prepare<[string], { domain: string }>('SELECT domain FROM merchant_domains WHERE merchant_id = ? ORDER BY position');
  const selectAllDomains = db.prepare<[], DomainRow>('SELECT domain, merchant_id FROM merchant_domains ORDER BY merchant_id, position');
  const selectDomainOwner = db.prepare<[string], { merchant_id: string }>('SELECT merchant_id FROM merchant_domains WHERE domain = ?');
  const insertMerchant = db.prepare<[string, string, string, number]>('INSERT INTO merchants (id, name, status, created_at) VALUES (?, ?, ?, ?)');
  const updateName = db.prepare<[string, string]>('UPDATE merchants SET name = ? WHERE id = ?');
  const updateStatus = db.prepare<[string, string]>('UPDATE merchants SET status = ? WHERE id = ?');
  const deleteDomains = db.prepare<[string]>('DELETE FROM merchant_domains WHERE merchant_id = ?');
  const insertDomain = db.prepare<[string, string, number]>('INSERT INTO merchant_domains (domain, merchant_id, position) VALUES (?, ?, ?)');
  const selectAllBlocked = db.prepare<[], { domain: string }>('SELECT domain FROM blocklist');
  const upsertBlocked = db.prepare<[string, string, number]>(
    'INSERT INTO blocklist (domain, reason, created_at) VALUES (?, ?, ?) ON CONFLICT (domain) DO UPDATE SET reason = excluded.reason',
  );
  const selectBlocked = db.prepare<[string], { domain: string; reason: string; created_at: number }>('SELECT domain, reason, created_at FROM blocklist WHERE domain = ?');
  const deleteBlocked = db.prepare<[string]>('DELETE FROM blocklist WHERE domain = ?');

  function toMerchant(row: MerchantRow, domains: string[]): Merchant {
    return { id: row.id, name: row.name, domains, status: row.status, createdAt: row.created_at };
  }

  function merchant(id: string): Merchant | null {
    const row = selectMerchant.get(id);
    return row ? toMerchant(row, selectDomains.all(id).map((d) => d.domain)) : null;
  }

  /** The first domain that belongs to a merchant other than `ownerId`. */
  function takenDomain(domains: readonly string[], ownerId: string | null): WriteRefusal | null {
    for (const domain of domains) {
      const owner = selectDomainOwner.get(domain);
      if (owner && owner.merchant_id !== ownerId) return { kind: 'domain_taken', domain, merchantId: owner.merchant_id };
    }
    return null;
  }

  function setDomains(id: string, domains: readonly string[]): void {
    deleteDomains.run(id);
    domains.forEach((domain, position) => insertDomain.run(domain, id, position));
  }

  const createMerchant = db.transaction((input: { name: string; domains: readonly string[]; status: MerchantStatus }): WriteOutcome<Merchant> => {
    const refusal = takenDomain(input.domains, null);
    if (refusal) return { ok: false, refusal };
    const id = newMerchantId();
    insertMerchant.run(id, input.name, input.status, Date.now());
    setDomains(id, input.domains);
    const created = merchant(id);
    if (!created) throw new Error('a merchant just inserted is missing');
    return { ok: true, value: created };
  });

  const updateMerchant = db.transaction((id: string, changes: MerchantChanges): WriteOutcome<Merchant> => {
    if (!selectMerchant.get(id)) return { ok: false, refusal: { kind: 'not_found' } };
    if (changes.domains) {
      const refusal = takenDomain(changes.domains, id);
      if (refusal) return { ok: false, refusal };
      setDomains(id, changes.domains);
    }
    if (changes.name !== undefined) updateName.run(changes.name, id);
    if (changes.status !== undefined) updateStatus.run(changes.status, id);
    const updated = merchant(id);
    if (!updated) throw new Error('a merchant just updated is missing');
    return { ok: true, value: updated };
  });

  return {
    allMerchants() {
      const domainsById = new Map<string, string[]>();
      for (const row of selectAllDomains.iterate()) {
        const list = domainsById.get(row.merchant_id);
        if (list) list.push(row.domain);
        else domainsById.set(row.merchant_id, [row.domain]);
      }
      return selectAllMerchants.all().map((row) => toMerchant(row, domainsById.get(row.id) ?? []));
    },
    allBlocked: () => selectAllBlocked.all().map((row) => row.domain),
    merchant,
    createMerchant,
    updateMerchant,
    block(domain, reason) {
      upsertBlocked.run(domain, reason, Date.now());
      const row = selectBlocked.get(domain);
      if (!row) throw new Error('a blocked domain just stored is missing');
      return { domain: row.domain, reason: row.reason, createdAt: row.created_at };
    },
    unblock: (domain) => deleteBlocked.run(domain).changes > 0,
    close: () => db.close(),
  };
}
