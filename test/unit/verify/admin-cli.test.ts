/** The admin CLI's checks before it sends anything, run in-process against a recording HTTP server. */
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../main/config';
import { parseConfig } from '../../../server/config';
import { runAdminCli } from '../../../server/verify/admin-cli-run';
import { adminToken, checkTokenTransport, serviceUrl } from '../../../server/verify/admin-cli-target';
import { closeHttpServer } from '../../integration/helpers/http';

const TOKEN = 'unit-admin-token-0123456789';

let server: Server;
let base: string;
/** Every request the recording server got: method, path and authorization header. */
let seen: { method: string | undefined; url: string | undefined; auth: string | undefined }[];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ method: req.method, url: req.url, auth: req.headers.authorization });
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  base = `http://127.0.0.1:${address.port}`;
});

afterAll(() => closeHttpServer(server));

beforeEach(() => {
  seen = [];
});

/** No token anywhere unless a test gives one: the data dir does not exist. */
const NO_TOKEN = { WANGLAI_DATA_DIR: join(tmpdir(), 'wanglai-admin-cli-unit-never-created') };

async function run(argv: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runAdminCli(argv, { ...NO_TOKEN, WANGLAI_VERIFY_URL: base, WANGLAI_CHAT_URL: base, ...env }, { out: (text) => out.push(text), err: (text) => err.push(text) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('admin CLI: the token', () => {
  it('is neither needed nor sent to read a merchant (a public route)', async () => {
    expect((await run(['merchants', 'show', 'm_1'])).code).toBe(0);
    expect((await run(['merchants', 'show', 'm_1'], { WANGLAI_ADMIN_TOKEN: TOKEN })).code).toBe(0);
    expect(seen).toEqual([
      { method: 'GET', url: '/v1/merchants/m_1', auth: undefined },
      { method: 'GET', url: '/v1/merchants/m_1', auth: undefined },
    ]);
  });

  it('is refused over plain http to another computer unless WANGLAI_ALLOW_INSECURE_SERVER=1', async () => {
    // An IPv4-mapped address is not this computer by name, yet reaches the recording server.
    const elsewhere = base.replace('127.0.0.1', '[::ffff:127.0.0.1]');
    const refused = await run(['blocklist', 'remove', 'evil.example', '--verify-url', elsewhere], { WANGLAI_ADMIN_TOKEN: TOKEN });
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('not sent over plain http to http://[::ffff:7f00:1]');
    expect(refused.err).toContain('WANGLAI_ALLOW_INSECURE_SERVER=1');
    const link = await run(['link-user', 'bob', 'm_1', '--chat-url', elsewhere], { WANGLAI_ADMIN_TOKEN: TOKEN });
    expect(link.code).toBe(2);
    expect(seen).toEqual([]);

    expect((await run(['merchants', 'show', 'm_1', '--verify-url', elsewhere])).code).toBe(0);
    const allowed = await run(['blocklist', 'remove', 'evil.example', '--verify-url', elsewhere], { WANGLAI_ADMIN_TOKEN: TOKEN, WANGLAI_ALLOW_INSECURE_SERVER: '1' });
    expect(allowed.code).toBe(0);
    expect(seen.map((request) => request.auth)).toEqual([undefined, `Bearer ${TOKEN}`]);
    const typo = await run(['blocklist', 'remove', 'evil.example', '--verify-url', elsewhere], { WANGLAI_ADMIN_TOKEN: TOKEN, WANGLAI_ALLOW_INSECURE_SERVER: 'yes' });
    expect([typo.code, typo.err]).toEqual([2, 'error: WANGLAI_ALLOW_INSECURE_SERVER: expected 0 or 1, got "yes"']);
    expect(seen).toHaveLength(2);
  });

  it('must be visible ASCII, named by where it came from and never echoed', async () => {
    const fromEnv = await run(['blocklist', 'remove', 'evil.example'], { WANGLAI_ADMIN_TOKEN: '令牌' });
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.err).toContain('WANGLAI_ADMIN_TOKEN must be 1 to 512 visible ASCII characters');
    expect(fromEnv.err).not.toContain('令牌');
    const fromFlag = await run(['blocklist', 'remove', 'evil.example', '--token', '令牌']);
    expect(fromFlag.err).toContain('--token must be');
    const newline = await run(['blocklist', 'remove', 'evil.example', '--token', 'sekrit-half\nother-half']);
    expect(newline.code).toBe(2);
    expect(newline.err).toContain('--token must be');
    expect(newline.err).not.toContain('sekrit');
    expect((await run(['blocklist', 'remove', 'evil.example', '--token', 'x'.repeat(513)])).code).toBe(2);
    expect(seen).toEqual([]);
  });
});

describe('admin CLI: usage errors name what is wrong', () => {
  it('refuses any option given twice, naming it', async () => {
    for (const [option, args] of [
      ['--status', ['merchants', 'update', 'm_1', '--status', 'verified', '--status', 'suspended']],
      ['--name', ['merchants', 'update', 'm_1', '--name', 'A', '--name', 'B']],
      ['--token', ['blocklist', 'remove', 'a.example', '--token', TOKEN, '--token', `${TOKEN}2`]],
      ['--verify-url', ['merchants', 'show', 'm_1', '--verify-url', base, `--verify-url=${base}/`]],
      ['--reason', ['blocklist', 'add', 'a.example', '--reason', 'r', '--reason', 's']],
      ['--help', ['-h', '--help']],
    ] as const) {
      const result = await run([...args], { WANGLAI_ADMIN_TOKEN: TOKEN });
      expect([option, result.code, result.err]).toEqual([option, 2, expect.stringContaining(`${option} is given more than once`)]);
    }
    expect(seen).toEqual([]);
  });

  it('refuses a base URL with credentials, a query or a fragment, naming the flag or variable', async () => {
    for (const url of [`http://user:pw@127.0.0.1:1`, `${base}?a=1`, `${base}#top`]) {
      const result = await run(['merchants', 'show', 'm_1', '--verify-url', url]);
      expect([url, result.code, result.err]).toEqual([url, 2, expect.stringContaining('--verify-url: expected a base URL without credentials, query or fragment')]);
    }
    const fromEnv = await run(['link-user', 'bob', 'm_1'], { WANGLAI_CHAT_URL: `${base}?x=1` });
    expect(fromEnv.err).toContain('WANGLAI_CHAT_URL: expected a base URL');
    expect(seen).toEqual([]);
  });

  it('names a bad port or host variable, and reads only the settings of the service it calls', async () => {
    const port = await run(['merchants', 'show', 'm_1'], { WANGLAI_VERIFY_URL: '', WANGLAI_VERIFY_PORT: 'abc' });
    expect([port.code, port.err]).toEqual([2, 'error: WANGLAI_VERIFY_PORT: expected a port number 0-65535, got "abc"']);
    const chatPort = await run(['link-user', 'bob', 'm_1', '--token', TOKEN], { WANGLAI_CHAT_URL: '', WANGLAI_PORT: '70000' });
    expect(chatPort.err).toContain('WANGLAI_PORT: expected a port number');
    const host = await run(['merchants', 'show', 'm_1'], { WANGLAI_VERIFY_URL: '', WANGLAI_HOST: 'bad host' });
    expect(host.err).toContain('WANGLAI_HOST: expected an IP address or a host name');

    expect((await run(['merchants', 'show', 'm_1'], { WANGLAI_CHAT_URL: 'garbage', WANGLAI_PORT: 'abc' })).code).toBe(0);
    expect((await run(['link-user', 'bob', 'm_1', '--token', TOKEN], { WANGLAI_VERIFY_URL: 'garbage' })).code).toBe(0);
    const chat = await run(['link-user', 'bob', 'm_1', '--token', TOKEN], { WANGLAI_CHAT_URL: 'garbage' });
    expect(chat.err).toContain('WANGLAI_CHAT_URL: expected an http(s) URL, got "garbage"');
    expect(seen).toHaveLength(2);
  });

  it('says a subcommand is missing and shows the usage', async () => {
    for (const group of ['merchants', 'blocklist']) {
      const result = await run([group]);
      expect(result.code).toBe(2);
      expect(result.err).toContain(`error: ${group} needs a subcommand`);
      expect(result.err).toContain('Usage: npm run admin');
    }
  });

  it('refuses text holding U+FFFD, what Node makes of argv bytes that are not UTF-8', async () => {
    const name = await run(['merchants', 'add', '--name', 'Caf\uFFFD', '--domain', 'cafe.example', '--token', TOKEN]);
    expect([name.code, name.err]).toEqual([2, expect.stringContaining('--name is not valid UTF-8')]);
    expect((await run(['merchants', 'update', 'm_1', '--name', '\uFFFD', '--token', TOKEN])).code).toBe(2);
    expect((await run(['blocklist', 'add', 'a.example', '--reason', 'bad \uFFFD', '--token', TOKEN])).code).toBe(2);
    expect(seen).toEqual([]);
  });
});

describe('admin CLI: an unreachable service', () => {
  it('says why, with the URL, not only "fetch failed"', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const address = closed.address();
    if (address === null || typeof address === 'string') throw new Error('no address');
    await closeHttpServer(closed);
    const down = await run(['blocklist', 'remove', 'a.example', '--verify-url', `http://127.0.0.1:${address.port}`, '--token', TOKEN]);
    expect(down.code).toBe(3);
    expect(down.err).toContain(`cannot reach http://127.0.0.1:${address.port}/v1/blocklist/a.example: fetch failed (connect ECONNREFUSED 127.0.0.1:${address.port})`);
  });
});

/** The CLI copies these rules rather than import them from files owned elsewhere: the copies must not drift. */
describe('admin CLI: rules copied from the server and the desktop app', () => {
  const accepts = (check: () => unknown): boolean => {
    try {
      check();
      return true;
    } catch {
      return false;
    }
  };

  it('takes the tokens the server takes as WANGLAI_ADMIN_TOKEN', async () => {
    for (const token of ['ok-token', 'x', 'x'.repeat(512), 'x'.repeat(513), '令牌', 'a b', 'a\nb', '~!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}']) {
      const cli = await adminToken(token, {}).then(
        () => true,
        () => false,
      );
      expect([token, cli]).toEqual([token, accepts(() => parseConfig({ WANGLAI_ADMIN_TOKEN: token }))]);
    }
  });

  it('takes the base URLs the server takes as WANGLAI_VERIFY_URL', () => {
    for (const url of ['http://127.0.0.1:3211', 'https://verify.example/base/', 'http://u:p@h.example', 'http://h.example/?', 'http://h.example/#', 'ftp://h.example', 'garbage']) {
      const flags = { verifyUrl: undefined, chatUrl: undefined, token: undefined };
      expect([url, accepts(() => serviceUrl('verify', flags, { WANGLAI_VERIFY_URL: url }))]).toEqual([url, accepts(() => parseConfig({ WANGLAI_VERIFY_URL: url }))]);
    }
  });

  it('sends a token over plain http to the hosts the desktop app sends its session to', () => {
    for (const host of ['localhost', '127.0.0.1', '127.1.2.3', '[::1]', '0.0.0.0', '[::]', 'shop.localhost', '10.0.0.1', '[::ffff:127.0.0.1]', 'example.com']) {
      const url = `http://${host}:3210`;
      expect([host, accepts(() => checkTokenTransport(url, {}))]).toEqual([host, resolveConfig(['--server-url', url], {}).ok]);
    }
  });
});
