import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCredentialStore, type SecretBox } from '../../main/credentials';
import type { StoredCredentials } from '../../protocol';

/**
 * A reversible stand-in for safeStorage: XOR with a key, so the plain token never appears, behind
 * the tag Chromium's os_crypt puts first (`v11` a keyring's key, `v10` its hard-coded one).
 */
function fakeSafeStorage(available: boolean, backend = 'gnome_libsecret', tag = 'v11', encryptDelayMs: (text: string) => number = () => 0): SecretBox {
  const key = 0x5a;
  const flip = (buffer: Buffer): Buffer => Buffer.from(buffer.map((b) => b ^ key));
  return {
    isAsyncEncryptionAvailable: async () => available,
    encryptStringAsync: async (text) => {
      // The keyring answers after a moment (a D-Bus round trip, an unlock prompt).
      const delay = encryptDelayMs(text);
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      return Buffer.concat([Buffer.from(tag, 'latin1'), flip(Buffer.from(`enc:${text}`))]);
    },
    decryptStringAsync: async (encrypted) => {
      const text = flip(encrypted.subarray(tag.length)).toString();
      if (!text.startsWith('enc:')) throw new Error('cannot decrypt');
      return { result: text.slice(4), shouldReEncrypt: false };
    },
    getSelectedStorageBackend: () => backend,
  };
}

const alice: StoredCredentials = { serverUrl: 'http://127.0.0.1:3210', token: 'secret-token-value-1234567890', userId: 'u1' };

describe('credentials', () => {
  let dir: string;
  let file: string;
  let warnings: string[];
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'wanglai-credentials-'));
    file = path.join(dir, 'credentials.bin');
    warnings = [];
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const store = (box: SecretBox, platform: NodeJS.Platform = 'linux') => createCredentialStore({ file, secretBox: box, platform, warn: (m) => warnings.push(m) });

  it('stores them encrypted and reads them back in a later run', async () => {
    await store(fakeSafeStorage(true)).save(alice);
    const raw = await readFile(file);
    expect(raw.toString('latin1')).not.toContain(alice.token);
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o077).toBe(0);
    expect(await store(fakeSafeStorage(true)).load()).toEqual(alice);
    expect(warnings).toEqual([]);
  });

  it('clears them from memory and disk', async () => {
    const first = store(fakeSafeStorage(true));
    await first.save(alice);
    await first.clear();
    expect(await first.load()).toBeNull();
    expect(await store(fakeSafeStorage(true)).load()).toBeNull();
  });

  const bob: StoredCredentials = { serverUrl: 'http://127.0.0.1:3210', token: 'bobs-token-value-0987654321', userId: 'u2' };

  it('keeps the later of two saves in flight at once, however long each takes to encrypt', async () => {
    const slowForAlice = fakeSafeStorage(true, 'gnome_libsecret', 'v11', (text) => (text.includes(alice.token) ? 40 : 0));
    const writer = store(slowForAlice);
    await expect(Promise.all([writer.save(alice), writer.save(bob)])).resolves.toEqual([undefined, undefined]);
    expect(await store(fakeSafeStorage(true)).load()).toEqual(bob);
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('gives every write its own temporary file, so that two stores of one file never collide', async () => {
    for (let round = 0; round < 20; round++) {
      const saves = [store(fakeSafeStorage(true)).save(alice), store(fakeSafeStorage(true)).save(bob)];
      const results = await Promise.allSettled(saves);
      expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled']);
    }
    expect([alice, bob]).toContainEqual(await store(fakeSafeStorage(true)).load());
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('leaves nothing on disk when signed out while a save is still encrypting', async () => {
    const slow = fakeSafeStorage(true, 'gnome_libsecret', 'v11', () => 40);
    const writer = store(slow);
    const saving = writer.save(alice);
    await writer.clear();
    await saving;
    await expect(stat(file)).rejects.toThrow();
    expect(await writer.load()).toBeNull();
    expect(await store(slow).load()).toBeNull();
  });

  it('does not bring the token back when signed out while a load is still decrypting (and re-encrypting) it', async () => {
    const box = fakeSafeStorage(true);
    await store(box).save(alice);
    let decrypted: (() => void) | undefined;
    const slowToDecrypt: SecretBox = {
      ...box,
      decryptStringAsync: async (encrypted) => {
        const plain = await box.decryptStringAsync(encrypted);
        await new Promise<void>((resolve) => (decrypted = resolve));
        // The keyring's key changed: the load writes the file again.
        return { ...plain, shouldReEncrypt: true };
      },
    };
    const reader = store(slowToDecrypt);
    const loading = reader.load();
    await expect.poll(() => decrypted).toBeDefined();
    const clearing = reader.clear();
    decrypted?.();
    await Promise.all([loading, clearing]);
    await expect(stat(file)).rejects.toThrow();
    expect(await reader.load()).toBeNull();
    expect(await store(box).load()).toBeNull();
  });

  it('keeps them in memory only, and says so once, when encryption is unavailable', async () => {
    const memoryOnly = store(fakeSafeStorage(false));
    await memoryOnly.save(alice);
    await memoryOnly.save(alice);
    expect(await memoryOnly.load()).toEqual(alice);
    await expect(stat(file)).rejects.toThrow();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/stay signed in only until Wanglai quits/);
    expect(await store(fakeSafeStorage(false)).load()).toBeNull();
  });

  it("treats Linux's basic_text backend as no encryption", async () => {
    await store(fakeSafeStorage(true, 'basic_text')).save(alice);
    await expect(stat(file)).rejects.toThrow();
    expect(warnings).toHaveLength(1);
  });

  it("keeps them in memory only on Linux when safeStorage falls back to Chromium's hard-coded key (v10)", async () => {
    const hardCoded = fakeSafeStorage(true, 'gnome_libsecret', 'v10');
    await store(fakeSafeStorage(true)).save(alice);
    const memoryOnly = store(hardCoded);
    await memoryOnly.save(alice);
    expect(await memoryOnly.load()).toEqual(alice);
    await expect(stat(file)).rejects.toThrow();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/stay signed in only until Wanglai quits/);
    expect(await store(hardCoded).load()).toBeNull();
  });

  it('deletes a v10 file on Linux rather than read it, and keeps v11 and v12 files', async () => {
    const hardCoded = fakeSafeStorage(true, 'gnome_libsecret', 'v10');
    await writeFile(file, await hardCoded.encryptStringAsync(JSON.stringify(alice)));
    expect(await store(hardCoded).load()).toBeNull();
    await expect(stat(file)).rejects.toThrow();
    for (const tag of ['v11', 'v12']) {
      await store(fakeSafeStorage(true, 'gnome_libsecret', tag)).save(alice);
      expect(await store(fakeSafeStorage(true, 'gnome_libsecret', tag)).load()).toEqual(alice);
    }
  });

  it('reads the tag only on Linux: macOS and Windows tag their OS-keyed ciphertext v10 too', async () => {
    const untagged = fakeSafeStorage(true, 'unknown', 'v10');
    for (const platform of ['darwin', 'win32'] as const) {
      await store(untagged, platform).save(alice);
      expect(await store(untagged, platform).load()).toEqual(alice);
    }
  });

  it('forgets a file without a keyring tag, or that decrypts to something not credentials', async () => {
    await writeFile(file, 'garbage');
    expect(await store(fakeSafeStorage(true)).load()).toBeNull();
    await expect(stat(file)).rejects.toThrow();
    const box = fakeSafeStorage(true);
    for (const text of [JSON.stringify({ token: 'x' }), 'not json {']) {
      await writeFile(file, await box.encryptStringAsync(text));
      expect(await store(box).load()).toBeNull();
      await expect(stat(file)).rejects.toThrow();
    }
  });

  it('keeps the file when the keychain refuses to decrypt it (a dismissed unlock prompt): a later start reads it', async () => {
    await store(fakeSafeStorage(true)).save(alice);
    const refusing: SecretBox = { ...fakeSafeStorage(true), decryptStringAsync: () => Promise.reject(new Error('User canceled the keychain prompt')) };
    for (const platform of ['linux', 'darwin'] as const) expect(await store(refusing, platform).load()).toBeNull();
    expect(await store(fakeSafeStorage(true)).load()).toEqual(alice);
  });

  it('keeps a sign-in for this run when the keychain refuses to encrypt it, says so, and leaves no older copy', async () => {
    const bob: StoredCredentials = { ...alice, token: 'bobs-token-value-1234567890', userId: 'u2' };
    await store(fakeSafeStorage(true)).save(alice);
    const refusing: SecretBox = { ...fakeSafeStorage(true), encryptStringAsync: () => Promise.reject(new Error('User canceled the keychain prompt')) };
    for (const platform of ['linux', 'darwin'] as const) {
      const run = store(refusing, platform);
      await expect(run.save(bob)).resolves.toBeUndefined();
      expect(await run.load()).toEqual(bob);
      await expect(stat(file)).rejects.toThrow();
    }
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.every((w) => /stay signed in only until Wanglai quits/.test(w))).toBe(true);
    expect(await store(fakeSafeStorage(true)).load()).toBeNull();
  });
});
