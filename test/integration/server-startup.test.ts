import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from './helpers/chat-server';
import { type ChatProcess, startChatProcess } from './helpers/chat-process';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `npm run server` expected to refuse to start: its exit code and everything it printed. */
function failedStart(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, WANGLAI_HOST: '127.0.0.1', WANGLAI_PORT: '0', WANGLAI_VERIFY_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

/** A port something else holds for the test's duration. */
async function occupiedPort(): Promise<{ port: number; close(): Promise<void> }> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { port: address.port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('npm run server: start-up failures name what to change', () => {
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  async function dataDir(): Promise<string> {
    const dir = await makeTempDir('wanglai-startup-');
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    return dir;
  }
  function running(server: ChatProcess): ChatProcess {
    cleanups.push(async () => {
      server.child.kill('SIGKILL');
      await server.exited;
    });
    return server;
  }
  const noStackTrace = (output: string) => expect(output).not.toMatch(/\n\s+at /);

  it('refuses a second server on a data directory in use, and takes it once the first is gone, even killed', async () => {
    const dir = await dataDir();
    const first = running(await startChatProcess({ WANGLAI_DATA_DIR: dir }));
    const second = await failedStart({ WANGLAI_DATA_DIR: dir });
    expect(second.code).toBe(1);
    expect(second.output).toContain('configuration error: WANGLAI_DATA_DIR');
    expect(second.output).toContain('in use by another Wanglai server');
    noStackTrace(second.output);
    expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
    first.child.kill('SIGKILL');
    await first.exited;
    const third = running(await startChatProcess({ WANGLAI_DATA_DIR: dir }));
    expect((await fetch(`${third.url}/healthz`)).status).toBe(200);
  });

  it('prints `listening on http://HOST:PORT` once, for the chat server, once it serves (PROTOCOL.md §1)', async () => {
    const server = running(await startChatProcess({ WANGLAI_DATA_DIR: await dataDir() }));
    // What a launcher that knows only the contract does: the first line with those words.
    const lines = server.output().split('\n').filter((line) => /listening on http:\/\/\S+/.test(line));
    expect(lines).toHaveLength(1);
    const url = /listening on (http:\/\/\S+)/.exec(lines[0] ?? '')?.[1];
    expect(url).toBe(server.url);
    // It is the chat server (the verification service would answer 404 here), and it serves.
    const registered = await fetch(`${url}/api/v1/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'first_line', password: 'long enough secret', displayName: 'First' }) });
    expect(registered.status).toBe(201);
    expect(server.output()).toMatch(/verification service ready at http:\/\/127\.0\.0\.1:\d+/);
  });

  it('names the port variable when the port is taken, and WANGLAI_HOST when it cannot be bound', async () => {
    const dir = await dataDir();
    const taken = await occupiedPort();
    cleanups.push(() => taken.close());
    for (const [variable, env] of [
      ['WANGLAI_PORT', { WANGLAI_PORT: String(taken.port) }],
      ['WANGLAI_VERIFY_PORT', { WANGLAI_VERIFY_PORT: String(taken.port) }],
      ['WANGLAI_HOST', { WANGLAI_HOST: '192.0.2.1' }],
    ] as const) {
      const result = await failedStart({ WANGLAI_DATA_DIR: dir, ...env });
      expect(result.code).toBe(1);
      expect(result.output).toContain(`configuration error: ${variable}`);
      noStackTrace(result.output);
    }
  });

  it('names WANGLAI_DATA_DIR when it is a file, lies under one, or cannot be made (under /proc, where Node\'s recursive mkdir never returns)', async () => {
    const dir = await dataDir();
    const file = path.join(dir, 'a-file');
    await writeFile(file, 'x');
    for (const bad of [file, path.join(file, 'below'), '/proc/wanglai-test-data', '/proc/wanglai-test-data/below']) {
      const result = await failedStart({ WANGLAI_DATA_DIR: bad });
      expect(result.code).toBe(1);
      expect(result.output).toContain('configuration error: WANGLAI_DATA_DIR');
      noStackTrace(result.output);
    }
  });

  it('names the file and WANGLAI_DATA_DIR when a database in it cannot be used, and leaves the file as it was', async () => {
    const cases: [string, (dir: string) => Promise<void>, RegExp][] = [
      ['chat.sqlite', (dir) => writeFile(path.join(dir, 'chat.sqlite'), 'not a database, at all: '.repeat(200)), /chat\.sqlite cannot be used: file is not a database/],
      ['verify.sqlite', (dir) => writeFile(path.join(dir, 'verify.sqlite'), 'garbage '.repeat(600)), /verify\.sqlite cannot be used: file is not a database/],
      ['chat.sqlite', (dir) => mkdir(path.join(dir, 'chat.sqlite')), /chat\.sqlite cannot be used: unable to open database file/],
      ['media', (dir) => writeFile(path.join(dir, 'media'), 'a file where a directory goes'), /media cannot be used: .*EEXIST/],
      ['device-keys.secret', (dir) => mkdir(path.join(dir, 'device-keys.secret')), /device-keys\.secret cannot be used: .*EISDIR/],
    ];
    for (const [name, spoil, message] of cases) {
      const dir = await dataDir();
      await spoil(dir);
      const before = await stat(path.join(dir, name));
      const content = before.isFile() ? await readFile(path.join(dir, name)) : undefined;
      const result = await failedStart({ WANGLAI_DATA_DIR: dir });
      expect(result.code).toBe(1);
      expect(result.output).toContain('configuration error: WANGLAI_DATA_DIR: ');
      expect(result.output).toMatch(message);
      noStackTrace(result.output);
      if (content !== undefined) expect(await readFile(path.join(dir, name))).toEqual(content);
    }
  });

  it('refuses a verification database written by a newer server, and writes nothing to it', async () => {
    const dir = await dataDir();
    const verifyFile = path.join(dir, 'verify.sqlite');
    const db = new Database(verifyFile);
    db.pragma('user_version = 99');
    db.close();
    const before = await readFile(verifyFile);
    const result = await failedStart({ WANGLAI_DATA_DIR: dir });
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/WANGLAI_DATA_DIR: .*verify\.sqlite cannot be used: the database schema \(version 99\) is newer than this server/);
    noStackTrace(result.output);
    expect(await readFile(verifyFile)).toEqual(before);
  });

  it('checks WANGLAI_PREVIEW_RESOLVE before it touches the data directory', async () => {
    const parent = await dataDir();
    const dir = path.join(parent, 'never-made');
    const result = await failedStart({ WANGLAI_DATA_DIR: dir, WANGLAI_PREVIEW_RESOLVE: 'garbage' });
    expect(result.code).toBe(1);
    expect(result.output).toContain('configuration error: WANGLAI_PREVIEW_RESOLVE: entry "garbage"');
    expect(result.output).not.toContain('listening');
    expect(existsSync(dir)).toBe(false);
  });

  it('keeps what it writes to its user alone and never prints a token the operator set', async () => {
    const parent = await dataDir();
    const dir = path.join(parent, 'fresh');
    const server = running(await startChatProcess({ WANGLAI_DATA_DIR: dir, WANGLAI_ADMIN_TOKEN: 'operator-secret-token-123' }));
    expect((await fetch(`${server.url}/api/v1/register`, { method: 'POST', body: JSON.stringify({ username: 'perm_user', password: 'password123', displayName: 'P' }) })).status).toBe(201);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    for (const file of ['chat.sqlite', 'verify.sqlite']) expect((await stat(path.join(dir, file))).mode & 0o077).toBe(0);
    expect(server.output()).toContain('admin token from WANGLAI_ADMIN_TOKEN');
    expect(server.output()).not.toContain('operator-secret-token-123');
  });

  it('starts with a short admin token the operator chose, warns about it, and never prints it', async () => {
    const server = running(await startChatProcess({ WANGLAI_DATA_DIR: await dataDir(), WANGLAI_ADMIN_TOKEN: 'qa!adm' }));
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect(server.output()).toContain('warning: WANGLAI_ADMIN_TOKEN has 6 characters');
    expect(server.output()).not.toContain('qa!adm');
  });

  it('stops by itself when the process that started it is gone (npm signalled alone)', async () => {
    const dir = await dataDir();
    await mkdir(dir, { recursive: true });
    // `; true` keeps sh from replacing itself with node: sh is the parent, as under npm.
    const shell = spawn('sh', ['-c', `"${process.execPath}" --import tsx server/main.ts; true`], {
      cwd: ROOT,
      env: { ...process.env, WANGLAI_HOST: '127.0.0.1', WANGLAI_PORT: '0', WANGLAI_VERIFY_PORT: '0', WANGLAI_DATA_DIR: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    shell.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start:\n${output}`)), 20_000);
      shell.stdout.on('data', () => {
        const match = /chat server listening on (http:\/\/\S+)/.exec(output);
        if (match?.[1] !== undefined) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
    });
    // Nobody reads its output any more either: the line it logs when it stops meets EPIPE.
    shell.stdout.destroy();
    shell.kill('SIGKILL');
    // The orphaned server notices within a second or two and closes; then nothing listens.
    await expect
      .poll(
        async () => {
          try {
            await fetch(`${url}/healthz`);
            return 'serving';
          } catch {
            return 'gone';
          }
        },
        { timeout: 15_000, interval: 200 },
      )
      .toBe('gone');
    // Closed, not crashed: the store's last connection removed the WAL on its way out.
    await expect.poll(() => existsSync(path.join(dir, 'chat.sqlite-wal')), { timeout: 15_000, interval: 200 }).toBe(false);
    expect(existsSync(path.join(dir, 'chat.sqlite'))).toBe(true);
  });

  // Linux only: the chain of launching processes is read from /proc (elsewhere only the parent is watched).
  it.skipIf(process.platform !== 'linux')('stops when `npm run server` gets a SIGTERM, though npm passes it to no one (npm → sh → tsx → node)', async () => {
    const dir = await dataDir();
    await mkdir(dir, { recursive: true });
    const npm = spawn('npm', ['run', 'server'], {
      cwd: ROOT,
      env: { ...process.env, WANGLAI_HOST: '127.0.0.1', WANGLAI_PORT: '0', WANGLAI_VERIFY_PORT: '0', WANGLAI_DATA_DIR: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    npm.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start:\n${output}`)), 30_000);
      npm.stdout.on('data', () => {
        const match = /chat server listening on (http:\/\/\S+)/.exec(output);
        if (match?.[1] !== undefined) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
    });
    npm.kill('SIGTERM');
    const serving = async () => {
      try {
        await fetch(`${url}/healthz`);
        return 'serving';
      } catch {
        return 'gone';
      }
    };
    await expect.poll(serving, { timeout: 15_000, interval: 200 }).toBe('gone');
    await expect.poll(() => existsSync(path.join(dir, 'chat.sqlite-wal')), { timeout: 15_000, interval: 200 }).toBe(false);
  });
});
