import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthResult, Conversation, LinkPreview, Message } from '../../protocol';
import { DEMO_PASSWORD } from '../../server/demo-mode/demo-data';
import { makeTempDir } from './helpers/chat-server';
import { http } from './helpers/http';
import { call, connectClient } from './helpers/sockets';
import type { ChatClient } from './helpers/sockets';

// `server/main.ts --demo` as a user starts it: a child process, its own data directory, then
// a restart on the same directory that must find everything seeded and add nothing.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TEAPOT = 'http://jade-garden.shop/products/jade-teapot';

interface Running {
  url: string;
  child: ChildProcess;
  output(): string;
  exited: Promise<number | string>;
}

function spawnServer(args: readonly string[], env: Record<string, string>): { child: ChildProcess; output(): string; exited: Promise<number | string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, WANGLAI_HOST: '127.0.0.1', WANGLAI_PORT: '0', WANGLAI_VERIFY_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => (output += chunk.toString('utf8'));
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  return { child, output: () => output, exited };
}

/** Starts the demo and resolves once its guide is printed, i.e. seeding has finished. */
function startDemo(dataDir: string, timeoutMs = 60_000): Promise<Running> {
  const started = spawnServer(['--demo'], { WANGLAI_DATA_DIR: dataDir });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      started.child.kill('SIGKILL');
      reject(new Error(`the demo did not finish seeding within ${timeoutMs} ms:\n${started.output()}`));
    }, timeoutMs);
    const check = () => {
      const url = /chat server listening on (http:\/\/\S+)/.exec(started.output())?.[1];
      if (url === undefined || !/Wanglai demo (seeded|ready)/.test(started.output())) return;
      clearTimeout(timer);
      resolve({ ...started, url });
    };
    started.child.stdout?.on('data', check);
    started.child.stderr?.on('data', check);
    void started.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the demo exited (${code}) before it was ready:\n${started.output()}`));
    });
  });
}

async function stop(running: Running): Promise<number | string> {
  running.child.kill('SIGTERM');
  return running.exited;
}

async function signIn(url: string, username: string): Promise<{ auth: AuthResult; socket: ChatClient }> {
  const login = await http(url, '/api/v1/login', { body: { username, password: DEMO_PASSWORD } });
  expect(login.status).toBe(200);
  const auth = login.body as AuthResult;
  return { auth, socket: await connectClient(url, auth.token) };
}

async function historyOf(socket: ChatClient, conversationId: string): Promise<Message[]> {
  return (await call(socket, 'messages:history', { conversationId, limit: 100 })).messages;
}

/** The preview of a link in a conversation, polled until it is no longer pending. */
async function resolvedPreview(socket: ChatClient, conversationId: string, url: string, timeoutMs = 15_000): Promise<LinkPreview> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const preview = (await historyOf(socket, conversationId)).flatMap((m) => m.links ?? []).find((link) => link.url === url);
    if (preview !== undefined && preview.state !== 'pending') return preview;
    if (Date.now() > deadline) throw new Error(`the preview of ${url} is still ${preview?.state ?? 'missing'}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface Snapshot {
  contacts: string[];
  conversations: { title: string; kind: string; members: number; messages: string[] }[];
}

/** What alice sees, in a form two runs can be compared by. */
async function snapshot(socket: ChatClient): Promise<Snapshot> {
  const contacts = (await call(socket, 'contacts:list', {})).contacts.map((c) => c.user.username).sort();
  const conversations: Snapshot['conversations'] = [];
  for (const c of (await call(socket, 'conversations:list', {})).conversations) {
    conversations.push({ title: c.title, kind: c.kind, members: c.members.length, messages: (await historyOf(socket, c.id)).map((m) => `${m.id} ${m.kind}`) });
  }
  conversations.sort((a, b) => a.title.localeCompare(b.title));
  return { contacts, conversations };
}

describe('npm run server -- --demo', () => {
  let dataDir: string;
  const sockets: ChatClient[] = [];
  const processes: Running[] = [];
  beforeAll(async () => {
    dataDir = await makeTempDir('wanglai-demo-');
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    for (const running of processes) running.child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('seeds users, contacts, a group, a merchant and every kind of link preview, and a restart duplicates nothing', { timeout: 120_000 }, async () => {
    const first = await startDemo(dataDir);
    processes.push(first);
    expect(first.output()).toContain('Wanglai demo seeded');
    for (const name of ['alice', 'bob', 'carol', 'jade']) expect(first.output()).toContain(name);
    expect(first.output()).toContain(DEMO_PASSWORD);

    const alice = await signIn(first.url, 'alice');
    sockets.push(alice.socket);
    const { contacts } = await call(alice.socket, 'contacts:list', {});
    expect(contacts.map((c) => c.user.username).sort()).toEqual(['bob', 'carol', 'jade']);
    const jade = contacts.find((c) => c.user.username === 'jade')?.user;
    expect(jade?.merchant).toMatchObject({ name: '玉园茶舍 Jade Garden', verified: true });
    // The guide names the merchants' ids, for `npm run admin -- merchants show|update ID`.
    expect(first.output()).toContain(`玉园茶舍 Jade Garden ${jade?.merchant?.id ?? '?'}`);

    const { conversations } = await call(alice.socket, 'conversations:list', {});
    const group = conversations.find((c): c is Conversation => c.kind === 'group');
    expect(group?.members.map((m) => m.user.username).sort()).toEqual(['alice', 'bob', 'carol', 'jade']);
    expect(group?.members.find((m) => m.user.username === 'alice')?.role).toBe('owner');
    const direct = conversations.find((c) => c.kind === 'direct' && c.members.some((m) => m.user.username === 'bob'));
    if (group === undefined || direct === undefined) throw new Error('the seeded group or direct conversation is missing');
    expect((await historyOf(alice.socket, direct.id)).filter((m) => m.kind === 'text').length).toBeGreaterThanOrEqual(3);

    const teapot = await resolvedPreview(alice.socket, direct.id, TEAPOT);
    expect(teapot).toMatchObject({ state: 'verified', merchant: { id: jade?.merchant?.id, verified: true }, product: { title: '青玉茶壶 Celadon Jade Teapot', price: '268.00', currency: 'CNY' } });
    const image = await fetch(new URL(teapot.image ?? '/missing', first.url));
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(await resolvedPreview(alice.socket, direct.id, 'http://jade-garden-secure.shop/lookalike/jade-teapot')).toMatchObject({ state: 'blocked', reason: 'lookalike' });

    const groupLinks = (await historyOf(alice.socket, group.id)).flatMap((m) => m.links ?? []);
    expect(groupLinks.map((l) => [l.state, l.reason ?? ''])).toEqual(
      expect.arrayContaining([
        ['unverified', ''],
        ['blocked', 'phishing'],
        ['blocked', 'suspended'],
      ]),
    );
    const card = (await historyOf(alice.socket, group.id)).find((m) => m.kind === 'product');
    expect(card).toMatchObject({ senderId: jade?.id, product: { title: 'Hangzhou Silk Scarf — mulberry silk', merchant: { verified: true } } });

    const before = await snapshot(alice.socket);
    alice.socket.close();
    expect(await stop(first)).toBe(0);

    const second = await startDemo(dataDir);
    processes.push(second);
    expect(second.output()).toContain('Wanglai demo ready (already seeded)');
    const again = await signIn(second.url, 'alice');
    sockets.push(again.socket);
    expect(await snapshot(again.socket)).toEqual(before);
    const found = await call(again.socket, 'users:search', { query: 'jade' });
    expect(found.users.filter((u) => u.username === 'jade')).toHaveLength(1);
    expect(await stop(second)).toBe(0);
  });
});

describe('flags of server/main.ts', () => {
  it('answers an unknown flag with the usage and exit code 2, and --help with the usage', async () => {
    const unknown = spawnServer(['--demo', '--no-such-flag'], {});
    const help = spawnServer(['--help'], {});
    expect(await unknown.exited).toBe(2);
    expect(unknown.output()).toContain('unknown option "--no-such-flag"');
    expect(unknown.output()).toContain('usage: npm run server');
    expect(await help.exited).toBe(0);
    expect(help.output()).toContain('--demo');
    expect(help.output()).not.toContain('listening on');
  });
});
