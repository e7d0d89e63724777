import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mkdtemp } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, readStoredAdminToken, resolveAdminToken } from '../../../server/config';

describe('parseConfig', () => {
  it('applies the defaults of PROTOCOL.md §1', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({ host: '127.0.0.1', port: 3210, verifyPort: 3211, verifyUrl: undefined, adminToken: undefined, previewAllowHttp: false, previewResolve: '', sync: 'full' });
    expect(config.dataDir).toBe(path.resolve('./data'));
  });

  it('takes IP addresses and host names as WANGLAI_HOST', () => {
    for (const host of ['127.0.0.1', '::1', '0.0.0.0', 'localhost', 'chat.internal.example']) expect(parseConfig({ WANGLAI_HOST: host }).host).toBe(host);
    expect(parseConfig({ WANGLAI_HOST: '[::1]' }).host).toBe('::1');
  });

  it('reads every variable', () => {
    const config = parseConfig({
      WANGLAI_HOST: '0.0.0.0',
      WANGLAI_PORT: '0',
      WANGLAI_DATA_DIR: '/tmp/x',
      WANGLAI_VERIFY_URL: 'http://127.0.0.1:9999/',
      WANGLAI_VERIFY_PORT: '4000',
      WANGLAI_ADMIN_TOKEN: 'a-long-admin-token',
      WANGLAI_PREVIEW_RESOLVE: 'shop.test:443=127.0.0.1:8443',
      WANGLAI_PREVIEW_ALLOW_HTTP: '1',
      WANGLAI_SYNC: 'normal',
    });
    expect(config).toMatchObject({ host: '0.0.0.0', port: 0, dataDir: '/tmp/x', verifyUrl: 'http://127.0.0.1:9999', verifyPort: 4000, adminToken: 'a-long-admin-token', previewAllowHttp: true, sync: 'normal' });
  });

  it.each([
    ['WANGLAI_PORT', 'abc'],
    ['WANGLAI_PORT', '70000'],
    ['WANGLAI_VERIFY_PORT', '-1'],
    ['WANGLAI_VERIFY_URL', 'ftp://x'],
    ['WANGLAI_VERIFY_URL', 'not a url'],
    ['WANGLAI_VERIFY_URL', 'http://127.0.0.1:3211?x=1'],
    ['WANGLAI_VERIFY_URL', 'http://127.0.0.1:3211/#frag'],
    ['WANGLAI_VERIFY_URL', 'http://u:p@127.0.0.1:3211'],
    ['WANGLAI_PREVIEW_ALLOW_HTTP', 'yes'],
    ['WANGLAI_SYNC', 'off'],
    // No bearer header could carry them: the admin would be locked out.
    ['WANGLAI_ADMIN_TOKEN', 'a token with spaces in it'],
    ['WANGLAI_ADMIN_TOKEN', 'x'.repeat(513)],
    ['WANGLAI_ADMIN_TOKEN', '管理员令牌管理员令牌管理员令牌管理员令牌'],
    ['WANGLAI_HOST', 'not a host'],
    ['WANGLAI_HOST', '256.1.1.1'],
    ['WANGLAI_HOST', 'http://127.0.0.1'],
    // Link-local IPv6 binds only with a zone, which no URL can carry.
    ['WANGLAI_HOST', 'fe80::1'],
    ['WANGLAI_HOST', 'fe80::fc:ff:fe00:1%eth0'],
    ['WANGLAI_HOST', '[FEBF::2]'],
    ['WANGLAI_PREVIEW_RESOLVE', 'garbage'],
  ])('names %s when its value %j is bad', (name, value) => {
    expect(() => parseConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => parseConfig({ [name]: value })).toThrow(name);
  });
});

describe('WANGLAI_ADMIN_TOKEN', () => {
  it('takes any token of visible ASCII a bearer header can carry, short ones included (PROTOCOL.md §1 names no length)', () => {
    for (const token of ['admin', 'admintoken123', 'correct-horse:battery!staple', 's3cr3t$%&*()']) {
      expect(parseConfig({ WANGLAI_ADMIN_TOKEN: token }).adminToken).toBe(token);
    }
  });
});

describe('resolveAdminToken', () => {
  it('generates a token once, stores it with mode 0600, and reuses it', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'wanglai-config-'));
    try {
      const first = await resolveAdminToken(dir, undefined);
      expect(first.generated).toBe(true);
      expect(first.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect((await stat(path.join(dir, 'admin-token'))).mode & 0o777).toBe(0o600);
      expect((await readFile(path.join(dir, 'admin-token'), 'utf8')).trim()).toBe(first.token);
      const second = await resolveAdminToken(dir, undefined);
      expect(second).toEqual({ token: first.token, generated: false, warnings: [] });
      expect(await resolveAdminToken(dir, 'configured-admin-token')).toEqual({ token: 'configured-admin-token', generated: false, warnings: [] });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('replaces a blank token file (a start stopped while writing it) with a new file of mode 0600', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'wanglai-config-'));
    try {
      await writeFile(path.join(dir, 'admin-token'), '  \n', { mode: 0o644 });
      await chmod(path.join(dir, 'admin-token'), 0o644);
      const made = await resolveAdminToken(dir, undefined);
      expect(made.generated).toBe(true);
      expect((await stat(path.join(dir, 'admin-token'))).mode & 0o777).toBe(0o600);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a token file that is a symbolic link, and never writes or chmods what it points to', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'wanglai-config-'));
    try {
      const victim = path.join(dir, 'victim.txt');
      await writeFile(victim, 'important content\n', { mode: 0o644 });
      await chmod(victim, 0o644);
      await symlink(victim, path.join(dir, 'admin-token'));
      await expect(resolveAdminToken(dir, undefined)).rejects.toThrow(/^WANGLAI_DATA_DIR: .*admin-token is a symbolic link/);
      expect(await readFile(victim, 'utf8')).toBe('important content\n');
      expect((await stat(victim)).mode & 0o777).toBe(0o644);
      // A link to nothing: not followed to create the file either.
      await rm(victim);
      await expect(resolveAdminToken(dir, undefined)).rejects.toThrow(/is a symbolic link/);
      expect(existsSync(victim)).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('uses a token the operator wrote there (any a bearer header carries, short with a warning), and keeps it', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'wanglai-config-'));
    try {
      await writeFile(path.join(dir, 'admin-token'), 'my-admin-pass!\n', { mode: 0o600 });
      const found = await resolveAdminToken(dir, undefined);
      expect(found.token).toBe('my-admin-pass!');
      expect(found.generated).toBe(false);
      expect(found.warnings).toEqual([expect.stringMatching(/has 14 characters; use 16 or more/)]);
      expect(await readFile(path.join(dir, 'admin-token'), 'utf8')).toBe('my-admin-pass!\n');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses, and never replaces, a token file holding something no bearer header carries', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'wanglai-config-'));
    try {
      for (const content of ['two words\n', 'line one\nline two\n', '令牌令牌令牌令牌令牌令牌令牌令牌', 'x'.repeat(513)]) {
        await writeFile(path.join(dir, 'admin-token'), content);
        await expect(resolveAdminToken(dir, undefined)).rejects.toThrow(/^WANGLAI_DATA_DIR: .*admin-token does not hold an admin token/);
        expect(await readFile(path.join(dir, 'admin-token'), 'utf8')).toBe(content);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('makes a token file others could read its owner’s only, and says so', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'wanglai-config-'));
    try {
      const token = 'a-stored-token-of-some-length';
      await writeFile(path.join(dir, 'admin-token'), `${token}\n`);
      await chmod(path.join(dir, 'admin-token'), 0o644);
      // A reader (the admin CLI) changes nothing; the server's start does.
      expect(await readStoredAdminToken(dir)).toBe(token);
      expect((await stat(path.join(dir, 'admin-token'))).mode & 0o777).toBe(0o644);
      const found = await resolveAdminToken(dir, undefined);
      expect(found).toEqual({ token, generated: false, warnings: [expect.stringMatching(/was readable by others \(mode 644\); it is now readable by its owner only/)] });
      expect((await stat(path.join(dir, 'admin-token'))).mode & 0o777).toBe(0o600);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names the data directory when the token file is a directory, instead of failing with a stack trace', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'wanglai-config-'));
    try {
      await mkdir(path.join(dir, 'admin-token'));
      const failure = resolveAdminToken(dir, undefined);
      await expect(failure).rejects.toBeInstanceOf(ConfigError);
      await expect(failure).rejects.toThrow(/^WANGLAI_DATA_DIR: .*admin-token cannot be used as the admin token file \(EISDIR\)/);
      // A configured token does not need the file at all.
      expect(await resolveAdminToken(dir, 'configured-admin-token')).toEqual({ token: 'configured-admin-token', generated: false, warnings: [] });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
