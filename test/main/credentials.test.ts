import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCredentialStore, type SecretBox } from '../../main/credentials';
import type { StoredCredentials } from '../../protocol';

/**
 * A reversible stand-in for safeStorage: XOR with a key, so the plain token never appears, behind
 * the tag Chromium's os_crypt puts first (`v11` a keyring's key, `v10` its hard-coded one).
 */
function fakeSafeStorage(available: boolean, backend = 'gnome_libsecret', tag = 'v11'): SecretBox {
  const key = 0x5a;
  const flip = (buffer: Buffer): Buffer => Buffer.from(buffer.map((b) => b ^ key));
  return {
    isAsyncEncryptionAvailable: async () => available,
    encryptStringAsync: async (text) => Buffer.concat([Buffer.from(tag, 'latin1'), flip(Buffer.from(`enc:${text}`))]),
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

  it('forgets a file it cannot decrypt or that has the wrong shape', async () => {
    await writeFile(file, 'garbage');
    expect(await store(fakeSafeStorage(true)).load()).toBeNull();
    await expect(stat(file)).rejects.toThrow();
    const box = fakeSafeStorage(true);
    await writeFile(file, await box.encryptStringAsync(JSON.stringify({ token: 'x' })));
    expect(await store(box).load()).toBeNull();
  });
});
