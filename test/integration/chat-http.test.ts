import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { err, ok } from '../../protocol';
import type { LinkServices } from '../../server/links/link-services';
import { TEST_ADMIN_TOKEN, makeTempDir, startTestServer } from './helpers/chat-server';
import type { TestServer } from './helpers/chat-server';
import { http, rawRequest, registerUser, uniqueUsername } from './helpers/http';
import { connectClient, connectError, emitAck } from './helpers/sockets';

const errorCode = (body: unknown) => (body as { error: { code: string } }).error.code;

describe('HTTP accounts API', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers healthz', async () => {
    const result = await http(server.url, '/healthz');
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ ok: true });
  });

  it('registers, lower-cases the username and refuses it in any case afterwards', async () => {
    const name = uniqueUsername('Case');
    const first = await http(server.url, '/api/v1/register', { body: { username: name.toUpperCase(), password: 'password123', displayName: '  王小明  ' } });
    expect(first.status).toBe(201);
    const body = first.body as { user: { username: string; displayName: string }; token: string };
    expect(body.user.username).toBe(name.toLowerCase());
    expect(body.user.displayName).toBe('王小明');
    const padded = await http(server.url, '/api/v1/register', { body: { username: uniqueUsername('pad'), password: 'password123', displayName: `${' '.repeat(300)}d${' '.repeat(300)}` } });
    expect(padded.status).toBe(201);
    expect((padded.body as { user: { displayName: string } }).user.displayName).toBe('d');
    expect(body.token.length).toBeGreaterThanOrEqual(43);
    const again = await http(server.url, '/api/v1/register', { body: { username: name.toLowerCase(), password: 'password123', displayName: 'x' } });
    expect(again.status).toBe(409);
    expect(errorCode(again.body)).toBe('username_taken');
  });

  it.each([
    ['short username', { username: 'ab', password: 'password123', displayName: 'A' }],
    ['bad characters', { username: 'a b!', password: 'password123', displayName: 'A' }],
    ['short password', { username: 'validname', password: 'short', displayName: 'A' }],
    ['long password', { username: 'validname', password: 'x'.repeat(129), displayName: 'A' }],
    ['empty display name', { username: 'validname', password: 'password123', displayName: '   ' }],
    ['control character in display name', { username: 'validname', password: 'password123', displayName: 'a\u0007b' }],
    ['bidi override in display name', { username: 'validname', password: 'password123', displayName: 'a\u202eb' }],
    ['line separator in display name', { username: 'validname', password: 'password123', displayName: 'a\u2028b' }],
    ['paragraph separator in display name', { username: 'validname', password: 'password123', displayName: 'a\u2029b' }],
    ['missing fields', { username: 'validname' }],
    ['wrong types', { username: 5, password: ['x'], displayName: null }],
    ['an array', [1, 2, 3]],
    ['null', null],
    ['a string', 'hello'],
  ])('refuses %s with invalid_input', async (_name, body) => {
    const result = await http(server.url, '/api/v1/register', { body });
    expect(result.status).toBe(400);
    expect(errorCode(result.body)).toBe('invalid_input');
  });

  it('logs in, answers me, logs out and the token ends (HTTP and socket)', async () => {
    const registered = await registerUser(server.url);
    const login = await http(server.url, '/api/v1/login', { body: { username: registered.user.username.toUpperCase(), password: registered.password } });
    expect(login.status).toBe(200);
    const token = (login.body as { token: string }).token;
    expect(token).not.toBe(registered.token);
    const me = await http(server.url, '/api/v1/me', { token });
    expect(me.status).toBe(200);
    expect((me.body as { user: { id: string } }).user.id).toBe(registered.user.id);

    const socket = await connectClient(server.url, token);
    const closed = new Promise((resolve) => socket.once('disconnect', resolve));
    expect((await http(server.url, '/api/v1/logout', { method: 'POST', token })).status).toBe(204);
    await closed;
    expect((await http(server.url, '/api/v1/me', { token })).status).toBe(401);
    expect((await http(server.url, '/api/v1/logout', { method: 'POST', token })).status).toBe(401);
    expect(await connectError(server.url, { token })).toBe('unauthorized');
    // The other session of the same user is untouched.
    expect((await http(server.url, '/api/v1/me', { token: registered.token })).status).toBe(200);
  });

  it('refuses a wrong password and an unknown user alike', async () => {
    const registered = await registerUser(server.url);
    const wrong = await http(server.url, '/api/v1/login', { body: { username: registered.user.username, password: 'not the password' } });
    const unknown = await http(server.url, '/api/v1/login', { body: { username: uniqueUsername('nobody'), password: 'whatever1' } });
    // Shorter than registration allows: no account has them, and they read as any wrong password.
    const short = await http(server.url, '/api/v1/login', { body: { username: registered.user.username, password: 'wrong' } });
    const oddName = await http(server.url, '/api/v1/login', { body: { username: 'ab', password: 'whatever1' } });
    for (const result of [wrong, unknown, short, oddName]) {
      expect(result.status).toBe(401);
      expect(errorCode(result.body)).toBe('invalid_credentials');
    }
    // A body that is not two non-empty strings is malformed.
    for (const body of [{ username: registered.user.username }, { username: registered.user.username, password: '' }, { username: 7, password: 'whatever1' }]) {
      const malformed = await http(server.url, '/api/v1/login', { body });
      expect(malformed.status).toBe(400);
      expect(errorCode(malformed.body)).toBe('invalid_input');
    }
  });

  it('refuses passwords with lone UTF-16 surrogates, which UTF-8 hashing would make equal to others', async () => {
    const lone = await http(server.url, '/api/v1/register', { body: { username: uniqueUsername('lone'), password: '\ud800'.repeat(8), displayName: 'L' } });
    expect(lone.status).toBe(400);
    expect(errorCode(lone.body)).toBe('invalid_input');
    // U+FFFD is a real character: allowed, and no lone surrogate logs in as it.
    const replacement = await registerUser(server.url, { password: '\ufffd'.repeat(8) });
    const impostor = await http(server.url, '/api/v1/login', { body: { username: replacement.user.username, password: '\udfff'.repeat(8) } });
    expect(impostor.status).toBe(400);
    expect(errorCode(impostor.body)).toBe('invalid_input');
    expect((await http(server.url, '/api/v1/login', { body: { username: replacement.user.username, password: '\ufffd'.repeat(8) } })).status).toBe(200);
    // Paired surrogates (an emoji) are one character, and fine.
    expect((await registerUser(server.url, { password: '😀'.repeat(8) })).user.username).toBeTruthy();
  });

  it('answers 401 unauthorized for a missing, malformed or unknown bearer', async () => {
    for (const headers of [{}, { authorization: 'Basic abc' }, { authorization: 'Bearer not-a-real-token' }]) {
      const result = await http(server.url, '/api/v1/me', { headers });
      expect(result.status).toBe(401);
      expect(errorCode(result.body)).toBe('unauthorized');
    }
  });

  it('answers 413 too_large to a body over 64 KiB and keeps serving', async () => {
    const huge = JSON.stringify({ username: 'x'.repeat(70 * 1024), password: 'password123', displayName: 'A' });
    const result = await http(server.url, '/api/v1/register', { rawBody: huge, headers: { 'content-type': 'application/json' } });
    expect(result.status).toBe(413);
    expect(errorCode(result.body)).toBe('too_large');
    expect((await http(server.url, '/healthz')).status).toBe(200);
  });

  it('answers 413 to an oversized body on routes that read no body too, before anything else, chunked or not', async () => {
    const user = await registerUser(server.url);
    const padding = 'x'.repeat(70 * 1024);
    const declared = await http(server.url, '/api/v1/logout', { method: 'POST', rawBody: padding, token: user.token });
    expect([declared.status, errorCode(declared.body)]).toEqual([413, 'too_large']);
    const chunked = await rawRequest(server.url, { method: 'POST', path: '/api/v1/logout', token: user.token, chunks: [padding.slice(0, 40_000), padding.slice(40_000)] });
    expect(chunked).toMatchObject({ status: 413, body: { error: { code: 'too_large' } } });
    const getWithBody = await rawRequest(server.url, { method: 'GET', path: '/api/v1/me', token: user.token, chunks: [padding], declareLength: true });
    expect(getWithBody).toMatchObject({ status: 413, body: { error: { code: 'too_large' } } });
    const adminWithoutToken = await http(server.url, '/api/v1/admin/merchant-links', { method: 'POST', rawBody: padding });
    expect([adminWithoutToken.status, errorCode(adminWithoutToken.body)]).toEqual([413, 'too_large']);
    // None of the refused requests ran: the session is still open.
    expect((await http(server.url, '/api/v1/me', { token: user.token })).status).toBe(200);
    const small = await rawRequest(server.url, { method: 'POST', path: '/api/v1/logout', token: user.token, chunks: ['{', '}'] });
    expect(small.status).toBe(204);
  });

  it('takes the bearer scheme in any case, and spaces after it', async () => {
    const user = await registerUser(server.url);
    for (const authorization of [`bearer ${user.token}`, `BEARER ${user.token}`, `Bearer   ${user.token}`]) {
      expect((await http(server.url, '/api/v1/me', { headers: { authorization } })).status).toBe(200);
    }
    for (const authorization of [`Bearer${user.token}`, `Basic ${user.token}`, `Bearer ${user.token} extra`]) {
      expect((await http(server.url, '/api/v1/me', { headers: { authorization } })).status).toBe(401);
    }
  });

  it('reads JSON sent as text/plain or with no content type, and refuses bodies declared as something else', async () => {
    const asText = await http(server.url, '/api/v1/register', { rawBody: JSON.stringify({ username: uniqueUsername('txt'), password: 'password123', displayName: 'T' }), headers: { 'content-type': 'text/plain;charset=UTF-8' } });
    expect(asText.status).toBe(201);
    const untyped = await rawRequest(server.url, { method: 'POST', path: '/api/v1/register', chunks: [JSON.stringify({ username: uniqueUsername('none'), password: 'password123', displayName: 'N' })] });
    expect(untyped.status).toBe(201);
    const form = await http(server.url, '/api/v1/login', { rawBody: 'username=a&password=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect([form.status, errorCode(form.body)]).toEqual([400, 'invalid_input']);
  });

  it('answers malformed JSON, a wrong content type and an empty body with invalid_input', async () => {
    const cases = [
      { rawBody: '{"username": ', headers: { 'content-type': 'application/json' } },
      { rawBody: '{"username":"abc"}', headers: { 'content-type': 'multipart/form-data; boundary=x' } },
      { rawBody: '', headers: { 'content-type': 'application/json' } },
    ];
    for (const request of cases) {
      const result = await http(server.url, '/api/v1/login', { method: 'POST', ...request });
      expect(result.status).toBe(400);
      expect(errorCode(result.body)).toBe('invalid_input');
    }
  });

  it('ignores __proto__ and constructor keys', async () => {
    const name = uniqueUsername('proto');
    const rawBody = `{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}},"username":"${name}","password":"password123","displayName":"P"}`;
    const result = await http(server.url, '/api/v1/register', { rawBody, headers: { 'content-type': 'application/json' } });
    expect(result.status).toBe(201);
    expect((result.body as { user: Record<string, unknown> }).user).not.toHaveProperty('admin');
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('answers unknown API routes and wrong methods with coded 404s', async () => {
    const unknown = await http(server.url, '/api/v1/nope');
    expect(unknown.status).toBe(404);
    expect(errorCode(unknown.body)).toBe('not_found');
    const wrongMethod = await http(server.url, '/api/v1/me', { method: 'DELETE' });
    expect(wrongMethod.status).toBe(404);
    expect(errorCode(wrongMethod.body)).toBe('not_found');
    expect(wrongMethod.headers.get('allow')).toBe('GET');
  });

  it('sets nosniff and no-referrer on API answers', async () => {
    const result = await http(server.url, '/healthz');
    expect(result.headers.get('x-content-type-options')).toBe('nosniff');
    expect(result.headers.get('referrer-policy')).toBe('no-referrer');
  });
});

describe('HTTP rate limits', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      limits: {
        loginFailuresPerUsername: { burst: 3, perSecond: 0.001 },
        loginFailuresPerAddress: { burst: 6, perSecond: 0.001 },
        registrationsPerAddress: { burst: 4, perSecond: 0.001 },
      },
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it('locks a username out after repeated failures, even for the right password', async () => {
    const registered = await registerUser(server.url);
    for (let i = 0; i < 3; i++) {
      expect((await http(server.url, '/api/v1/login', { body: { username: registered.user.username, password: 'wrong password' } })).status).toBe(401);
    }
    const locked = await http(server.url, '/api/v1/login', { body: { username: registered.user.username, password: registered.password } });
    expect(locked.status).toBe(429);
    expect(errorCode(locked.body)).toBe('rate_limited');
  });

  it('locks an address out after failures across usernames, and limits registrations', async () => {
    for (let i = 0; i < 3; i++) await http(server.url, '/api/v1/login', { body: { username: uniqueUsername('ghost'), password: 'wrong password' } });
    const locked = await http(server.url, '/api/v1/login', { body: { username: uniqueUsername('ghost'), password: 'wrong password' } });
    expect(locked.status).toBe(429);
    let last = 0;
    for (let i = 0; i < 4; i++) last = (await http(server.url, '/api/v1/register', { body: { username: uniqueUsername('r'), password: 'password123', displayName: 'R' } })).status;
    expect(last).toBe(429);
  });
});

describe('HTTP login with a device key', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ limits: { loginFailuresPerUsername: { burst: 3, perSecond: 0.001 } } });
  });
  afterAll(async () => {
    await server.close();
  });

  it('lets a device that signed in before past a username locked out by others, with its device key', async () => {
    const registered = await registerUser(server.url);
    const { username } = registered.user;
    expect(registered.deviceKey).toEqual(expect.any(String));
    for (let i = 0; i < 3; i++) await http(server.url, '/api/v1/login', { body: { username, password: 'wrong password' } });
    const locked = await http(server.url, '/api/v1/login', { body: { username, password: registered.password } });
    expect(locked.status).toBe(429);
    const known = await http(server.url, '/api/v1/login', { body: { username, password: registered.password, deviceKey: registered.deviceKey } });
    expect(known.status).toBe(200);
    expect(known.body).toMatchObject({ user: { id: registered.user.id }, token: expect.any(String), deviceKey: expect.any(String) });
    // A key that is not this server's is no key; one that is not a string is bad input.
    const forged = await http(server.url, '/api/v1/login', { body: { username, password: registered.password, deviceKey: 'v1.x.y.z' } });
    expect(forged.status).toBe(429);
    const bad = await http(server.url, '/api/v1/login', { body: { username, password: registered.password, deviceKey: 42 } });
    expect(bad.status).toBe(400);
    expect(errorCode(bad.body)).toBe('invalid_input');
  });
});

describe('the web client', () => {
  let server: TestServer;
  let webRoot: string;
  beforeAll(async () => {
    webRoot = await makeTempDir('wanglai-web-');
    await mkdir(path.join(webRoot, 'assets'));
    await writeFile(path.join(webRoot, 'index.html'), '<!doctype html><title>Wanglai</title>');
    await writeFile(path.join(webRoot, 'assets', 'app-123.js'), 'console.log(1)');
    await writeFile(path.join(path.dirname(webRoot), 'secret.txt'), 'secret');
    server = await startTestServer({ webRoot });
  });
  afterAll(async () => {
    await server.close();
    await rm(webRoot, { recursive: true, force: true });
  });

  it('serves index.html at / with a strict CSP', async () => {
    const result = await http(server.url, '/');
    expect(result.status).toBe(200);
    expect(result.body).toContain('<title>Wanglai</title>');
    const csp = result.headers.get('content-security-policy') ?? '';
    for (const directive of ["default-src 'self'", "img-src 'self' data: blob:", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'none'"]) expect(csp).toContain(directive);
    const host = new URL(server.url).host;
    expect(csp).toContain(`connect-src 'self' ws://${host} wss://${host}`);
    expect(result.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('serves assets with their type and falls back to index.html for app routes', async () => {
    const asset = await http(server.url, '/assets/app-123.js');
    expect(asset.headers.get('content-type')).toContain('text/javascript');
    const share = await http(server.url, '/share?url=https%3A%2F%2Fshop.example%2F');
    expect(share.status).toBe(200);
    expect(share.body).toContain('<title>Wanglai</title>');
    const missing = await http(server.url, '/assets/missing.js');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: { code: 'not_found', message: 'no such file' } });
  });

  it('never serves a file outside the web root', async () => {
    for (const target of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/%2e%2e%2f%2e%2e%2fsecret.txt', '/..%5csecret.txt', '/%00']) {
      const result = await http(server.url, target);
      expect(String(result.body)).not.toContain('secret');
    }
  });

  it('tells to build the client when there is no index.html', async () => {
    const empty = await makeTempDir('wanglai-empty-web-');
    const bare = await startTestServer({ webRoot: empty });
    try {
      const result = await http(bare.url, '/');
      expect(result.status).toBe(404);
      expect(result.headers.get('content-type')).toContain('application/json');
      expect(result.body).toMatchObject({ error: { code: 'not_found', message: expect.stringContaining('npm run build') as unknown } });
    } finally {
      await bare.close();
      await rm(empty, { recursive: true, force: true });
    }
  });
});

describe('link routes through LinkServices', () => {
  const links: LinkServices = {
    extract: () => [],
    preview: async (urls) => urls.map((url) => ({ url, state: 'unverified' })),
    verdicts: async (urls) => urls.map((url) => ({ url, verdict: 'unverified' })),
    verdict: async (url) => (url.startsWith('https://') ? ok({ url, verdict: 'verified', host: new URL(url).hostname }) : err('invalid_input', 'not a web address')),
    productCard: async () => err('not_verified', 'no'),
    merchant: async (id) => (id === 'm1' ? ok({ id: 'm1', name: 'Shop One', verified: true }) : err('not_found', 'no such merchant')),
  };
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ links });
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers a verdict to a signed-in user only', async () => {
    const { token } = await registerUser(server.url);
    const verdict = await http(server.url, '/api/v1/links/verdict?url=https%3A%2F%2Fshop.example%2F', { token });
    expect(verdict.status).toBe(200);
    expect(verdict.body).toMatchObject({ url: 'https://shop.example/', verdict: 'verified' });
    expect((await http(server.url, '/api/v1/links/verdict?url=https%3A%2F%2Fshop.example%2F')).status).toBe(401);
    expect((await http(server.url, '/api/v1/links/verdict?url=ftp%3A%2F%2Fx', { token })).status).toBe(400);
    expect((await http(server.url, '/api/v1/links/verdict', { token })).status).toBe(400);
  });

  it('limits verdicts per user in one bucket with links:verdict, and keeps serving other users', async () => {
    const limited = await startTestServer({ links, limits: { verdictsPerUser: { burst: 3, perSecond: 0.001 } } });
    try {
      const a = await registerUser(limited.url);
      const b = await registerUser(limited.url);
      const ask = (token: string) => http(limited.url, '/api/v1/links/verdict?url=https%3A%2F%2Fshop.example%2F', { token });
      const socket = await connectClient(limited.url, a.token);
      try {
        expect((await emitAck(socket, 'links:verdict', { url: 'https://shop.example/' })).ok).toBe(true);
      } finally {
        socket.close();
      }
      expect((await ask(a.token)).status).toBe(200);
      expect((await ask(a.token)).status).toBe(200);
      const refused = await ask(a.token);
      expect(refused.status).toBe(429);
      expect(errorCode(refused.body)).toBe('rate_limited');
      expect((await ask(b.token)).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('links a user to a merchant with the admin token', async () => {
    const registered = await registerUser(server.url);
    const body = { username: registered.user.username, merchantId: 'm1' };
    expect((await http(server.url, '/api/v1/admin/merchant-links', { body, token: 'wrong-token-wrong-token' })).status).toBe(401);
    expect((await http(server.url, '/api/v1/admin/merchant-links', { body: { ...body, merchantId: 'nope' }, token: TEST_ADMIN_TOKEN })).status).toBe(404);
    expect((await http(server.url, '/api/v1/admin/merchant-links', { body: { ...body, username: uniqueUsername('none') }, token: TEST_ADMIN_TOKEN })).status).toBe(404);
    const linked = await http(server.url, '/api/v1/admin/merchant-links', { body, token: TEST_ADMIN_TOKEN });
    expect(linked.status).toBe(200);
    expect(linked.body).toMatchObject({ user: { id: registered.user.id, merchant: { id: 'm1', name: 'Shop One', verified: true } } });
    const me = await http(server.url, '/api/v1/me', { token: registered.token });
    expect(me.body).toMatchObject({ user: { merchant: { id: 'm1' } } });
  });

  it('takes an admin token of any visible ASCII the operator chose, short or with punctuation', async () => {
    for (const adminToken of ['admin', 'ad:min!$(x)']) {
      const own = await startTestServer({ links, adminToken });
      try {
        const registered = await registerUser(own.url);
        const linked = await http(own.url, '/api/v1/admin/merchant-links', { body: { username: registered.user.username, merchantId: 'm1' }, token: adminToken });
        expect(linked.status, adminToken).toBe(200);
        expect((await http(own.url, '/api/v1/admin/merchant-links', { body: { username: registered.user.username, merchantId: 'm1' }, token: `${adminToken}x` })).status).toBe(401);
      } finally {
        await own.close();
      }
    }
  });
});
