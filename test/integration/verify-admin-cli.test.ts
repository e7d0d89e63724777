/** `npm run admin`, spawned as a process against a real verification service. */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVerifyServer, type RunningVerifyServer } from '../../server/verify/verify-server';

const TOKEN = 'cli-admin-token-0123456789';
const ROOT = join(import.meta.dirname, '../..');
const CLI = join(ROOT, 'server/verify/admin-cli.ts');

let dataDir: string;
let verify: RunningVerifyServer;

type Run = { code: number; stdout: string; stderr: string };

function exec(file: string, args: string[], env: Record<string, string>, cwd?: string): Promise<Run> {
  return new Promise((resolve) => {
    const options = { env: { PATH: process.env.PATH ?? '', WANGLAI_VERIFY_URL: verify.url, WANGLAI_ADMIN_TOKEN: TOKEN, ...env }, ...(cwd !== undefined ? { cwd } : {}) };
    execFile(file, args, options, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

function admin(args: string[], env: Record<string, string> = {}, cli = CLI): Promise<Run> {
  return exec(process.execPath, ['--import', 'tsx', cli, ...args], env);
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'wanglai-cli-'));
  verify = await startVerifyServer({ host: '127.0.0.1', port: 0, dataDir, adminToken: TOKEN });
});

afterAll(async () => {
  await verify.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('admin CLI', () => {
  it('adds, updates and shows a merchant, and manages the blocklist', async () => {
    const added = await admin(['merchants', 'add', '--name', 'Taobao', '--domain', 'taobao.com', '--domain', 'tmall.com', '--status', 'verified']);
    expect(added.code).toBe(0);
    const { merchant } = JSON.parse(added.stdout) as { merchant: { id: string } };
    expect(merchant).toMatchObject({ name: 'Taobao', domains: ['taobao.com', 'tmall.com'], status: 'verified' });

    const updated = await admin(['merchants', 'update', merchant.id, '--status', 'suspended']);
    expect(updated.code).toBe(0);
    const shown = await admin(['merchants', 'show', merchant.id]);
    expect(JSON.parse(shown.stdout)).toMatchObject({ merchant: { id: merchant.id, status: 'suspended' } });

    expect((await admin(['blocklist', 'add', 'evil.tld', '--reason', 'phishing kit'])).code).toBe(0);
    expect((await admin(['blocklist', 'remove', 'evil.tld'])).code).toBe(0);
    const again = await admin(['blocklist', 'remove', 'evil.tld']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('404 not_found');
  });

  it('reads the token file of the data dir and reports a wrong token', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wanglai-cli-token-'));
    try {
      await writeFile(join(dir, 'admin-token'), `${TOKEN}\n`);
      const ok = await admin(['blocklist', 'add', 'bad.example', '--reason', 'r'], { WANGLAI_ADMIN_TOKEN: '', WANGLAI_DATA_DIR: dir });
      expect(ok.code).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const refused = await admin(['merchants', 'add', '--name', 'X', '--domain', 'x-shop.com', '--token', 'wrong-token']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('401 unauthorized');
  });

  it('links a user through the chat server admin API', async () => {
    const seen: { auth: string | undefined; body: string }[] = [];
    const chat: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        seen.push({ auth: req.headers.authorization, body });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ user: { id: 'u1', username: 'alice', displayName: 'Alice' } }));
      });
    });
    await new Promise<void>((resolve) => chat.listen(0, '127.0.0.1', resolve));
    try {
      const address = chat.address();
      if (address === null || typeof address === 'string') throw new Error('no address');
      const linked = await admin(['link-user', 'alice', 'm_1', '--chat-url', `http://127.0.0.1:${address.port}`]);
      expect(linked.code).toBe(0);
      expect(seen).toEqual([{ auth: `Bearer ${TOKEN}`, body: JSON.stringify({ username: 'alice', merchantId: 'm_1' }) }]);
    } finally {
      await new Promise<void>((resolve) => chat.close(() => resolve()));
    }
  });

  it('explains usage errors and an unreachable service with their exit codes', async () => {
    const usage = await admin(['merchants', 'add', '--name', 'X']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('needs at least one --domain');
    expect((await admin(['frobnicate'])).code).toBe(2);
    expect((await admin(['--help'])).stdout).toContain('link-user USERNAME MERCHANT_ID');
    const down = await admin(['merchants', 'show', 'm_1', '--verify-url', 'http://127.0.0.1:9']);
    expect(down.code).toBe(3);
  });

  it('refuses extra arguments and options a command does not take, before calling anything', async () => {
    for (const args of [
      ['blocklist', 'remove', 'a.example', 'b.example'],
      ['merchants', 'show', 'm_1', 'extra'],
      ['link-user', 'bob', 'm_1', 'extra'],
      ['merchants', 'show', 'm_1', '--name', 'x'],
      ['blocklist', 'remove', 'a.example', '--reason', 'r'],
    ]) {
      const result = await admin(args);
      expect([args.join(' '), result.code]).toEqual([args.join(' '), 2]);
    }
  });

  it('never writes a token: with none stored it says how to give one, and creates nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wanglai-cli-none-'));
    try {
      const missing = join(dir, 'never-started');
      const result = await admin(['blocklist', 'remove', 'evil.example'], { WANGLAI_ADMIN_TOKEN: '', WANGLAI_DATA_DIR: missing });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('no admin token is stored');
      await expect(stat(missing)).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('builds the chat server URL from WANGLAI_HOST as the server binds it, an IPv6 host in brackets, and reads empty URLs as unset', async () => {
    const v6 = await admin(['link-user', 'bob', 'm_1'], { WANGLAI_HOST: '::1', WANGLAI_PORT: '9' });
    expect(v6.code).toBe(3);
    expect(v6.stderr).toContain('http://[::1]:9/api/v1/admin/merchant-links');
    // The verification service's URL the same way, from WANGLAI_VERIFY_PORT, as the embedded one binds.
    const fromPort = await admin(['merchants', 'show', 'm_1'], { WANGLAI_VERIFY_URL: '', WANGLAI_HOST: '::1', WANGLAI_VERIFY_PORT: '9' });
    expect(fromPort.code).toBe(3);
    expect(fromPort.stderr).toContain('http://[::1]:9/v1/merchants/m_1');
    const empty = await admin(['link-user', 'bob', 'm_1'], { WANGLAI_CHAT_URL: '  ', WANGLAI_PORT: '9' });
    expect(empty.code).toBe(3);
    expect(empty.stderr).toContain('http://127.0.0.1:9/');
  });

  // The CLI once decided whether to run by comparing argv[1] with its own percent-encoded URL:
  // in such a checkout it did nothing and exited 0, an operator's update silently not made.
  it('runs from a checkout reached through a path with a space, a non-ASCII letter and a symlink', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wanglai-cli-path-'));
    try {
      const checkout = join(dir, 'wang lai 往来');
      await symlink(ROOT, checkout, 'dir');
      const unknown = await admin(['frobnicate'], {}, join(checkout, 'server/verify/admin-cli.ts'));
      expect([unknown.code, unknown.stderr]).toEqual([2, expect.stringContaining('unknown command "frobnicate"')]);
      const help = await admin(['--help'], {}, join(checkout, 'server/verify/admin-cli.ts'));
      expect([help.code, help.stdout]).toEqual([0, expect.stringContaining('link-user USERNAME MERCHANT_ID')]);
      const missing = await admin(['merchants', 'show', 'm_missing'], {}, join(checkout, 'server/verify/admin-cli.ts'));
      expect([missing.code, missing.stderr]).toEqual([1, expect.stringContaining('404 not_found')]);
      // What an operator types, in that checkout.
      const npm = await exec(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', 'admin', '--', 'frobnicate'], {}, checkout);
      expect([npm.code, npm.stderr]).toEqual([2, expect.stringContaining('unknown command "frobnicate"')]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
