import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { StoredCredentials } from '../protocol';
import { storedCredentialsSchema } from '../protocol/bridge-schemas';

/** The safeStorage surface the store needs; Electron's safeStorage satisfies it. */
export interface SecretBox {
  isAsyncEncryptionAvailable(): Promise<boolean>;
  encryptStringAsync(plainText: string): Promise<Buffer>;
  decryptStringAsync(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }>;
  /** Linux only: `basic_text` means a hard-coded key, which is no protection at all. */
  getSelectedStorageBackend?(): string;
}

/**
 * On Linux, Chromium's os_crypt starts what it encrypts with the tag of the key it used: `v11`
 * (a Secret Service keyring) and `v12` (the XDG secret portal) are keys the user's keyring holds;
 * `v10` is the key hard-coded in Chromium ("peanuts"), which the async API falls back to while
 * getSelectedStorageBackend() and isAsyncEncryptionAvailable() still look fine. Ciphertext under
 * any tag but a keyring's is as readable as plain text, so it never reaches the disk. macOS and
 * Windows tag their keychain- and DPAPI-keyed ciphertext `v10` too: the tag says this on Linux only.
 */
const LINUX_KEYRING_TAGS: readonly string[] = ['v11', 'v12'];

function keyringProtected(encrypted: Buffer, platform: NodeJS.Platform): boolean {
  return platform !== 'linux' || LINUX_KEYRING_TAGS.includes(encrypted.subarray(0, 3).toString('latin1'));
}

export interface CredentialStore {
  load(): Promise<StoredCredentials | null>;
  save(credentials: StoredCredentials): Promise<void>;
  clear(): Promise<void>;
}

export interface CredentialStoreOptions {
  file: string;
  secretBox: SecretBox;
  platform: NodeJS.Platform;
  /** Told once, in plain words, when the token cannot be stored encrypted. */
  warn(message: string): void;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Credentials live encrypted with the OS keychain (safeStorage) in one file of userData. Where
 * no real encryption exists the token is never written in plain text: it is kept in memory for
 * this run only and the user signs in again next time.
 */
export function createCredentialStore(options: CredentialStoreOptions): CredentialStore {
  let memory: StoredCredentials | null = null;
  let warned = false;

  function warnMemoryOnly(): void {
    if (warned) return;
    warned = true;
    options.warn('No secure credential storage is available (no OS keychain): you stay signed in only until Wanglai quits.');
  }

  function warnNotSaved(): void {
    options.warn('Your sign-in could not be kept in the OS keychain (it refused, or the file could not be written): you stay signed in only until Wanglai quits.');
  }

  async function encryptionUsable(): Promise<boolean> {
    const backend = options.platform === 'linux' ? options.secretBox.getSelectedStorageBackend?.() : undefined;
    const usable = backend !== 'basic_text' && (await options.secretBox.isAsyncEncryptionAvailable());
    if (!usable) warnMemoryOnly();
    return usable;
  }

  async function readFromDisk(): Promise<StoredCredentials | null> {
    let encrypted: Buffer;
    try {
      encrypted = await readFile(options.file);
    } catch {
      return null;
    }
    if (!keyringProtected(encrypted, options.platform)) {
      // Written under the hard-coded key (by an older version, or another build): anyone could read it.
      await rm(options.file, { force: true });
      return null;
    }
    let decrypted: { result: string; shouldReEncrypt: boolean };
    try {
      decrypted = await options.secretBox.decryptStringAsync(encrypted);
    } catch {
      // The keychain said no: an unlock prompt dismissed, a keychain locked for now, or another
      // one. The file stays (a later start may read it; the next sign-in replaces it): deleting
      // it signed a user out for good over one dismissed prompt.
      return null;
    }
    const parsed = storedCredentialsSchema.safeParse(parseJson(decrypted.result));
    if (!parsed.success) {
      // Read, but not credentials (a damaged file): nothing later could make it good.
      await rm(options.file, { force: true });
      return null;
    }
    if (decrypted.shouldReEncrypt) await writeToDisk(parsed.data).catch(() => undefined);
    return parsed.data;
  }

  /**
   * The credentials on disk, or, when the keychain refuses to encrypt (a prompt denied) or the
   * file cannot be written, in memory for this run only, as without a keychain: a sign-in that
   * worked must not fail over where its token is kept. No older copy outlives a failed save.
   */
  async function saveToDisk(credentials: StoredCredentials): Promise<void> {
    try {
      await writeToDisk(credentials);
    } catch {
      warnNotSaved();
      await rm(options.file, { force: true }).catch(() => undefined);
    }
  }

  async function writeToDisk(credentials: StoredCredentials): Promise<void> {
    const encrypted = await options.secretBox.encryptStringAsync(JSON.stringify(credentials));
    if (!keyringProtected(encrypted, options.platform)) {
      // The token stays in memory only, and no older copy outlives this one.
      warnMemoryOnly();
      await rm(options.file, { force: true });
      return;
    }
    await mkdir(path.dirname(options.file), { recursive: true });
    // Unique per write: two writers of one file (two stores, two processes) never share it.
    const temporary = `${options.file}.${process.pid}.${randomUUID()}.tmp`;
    try {
      await writeFile(temporary, encrypted, { mode: 0o600 });
      await rename(temporary, options.file);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  /**
   * Saves and clears reach the disk one at a time, in the order they were asked: encrypting can
   * wait on the keyring (a D-Bus round trip, an unlock prompt), and a sign-out made meanwhile
   * must not be undone by the save that finishes after it.
   */
  let writes: Promise<unknown> = Promise.resolve();
  function inTurn<T>(write: () => Promise<T>): Promise<T> {
    const turn = writes.then(write);
    // A failed write is its caller's to hear of; the next one still runs.
    writes = turn.catch(() => undefined);
    return turn;
  }
  /**
   * Counts saves and clears. A load reads (and may re-encrypt, so write) the file in turn too,
   * and what it read counts only if no save or clear was asked meanwhile: a sign-out while the
   * keyring was still decrypting must not bring the token back.
   */
  let changes = 0;

  return {
    async load() {
      if (memory !== null) return memory;
      const asked = changes;
      return inTurn(async () => {
        if (changes !== asked) return memory;
        if (!(await encryptionUsable())) return null;
        const read = await readFromDisk();
        if (changes === asked) memory = read;
        return memory;
      });
    },
    save(credentials) {
      const saved = { ...credentials };
      memory = saved;
      changes += 1;
      return inTurn(async () => {
        if (await encryptionUsable()) await saveToDisk(saved);
        else await rm(options.file, { force: true });
      });
    },
    clear() {
      memory = null;
      changes += 1;
      return inTurn(() => rm(options.file, { force: true }));
    },
  };
}
