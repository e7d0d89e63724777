/**
 * The bounds on password hashing, logins and sessions (docs/security.md, "Chat server:
 * limits"), against a real server.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatLimitOverrides } from '../../server/chat/limits';
import { startTestServer } from './helpers/chat-server';
import type { TestServer } from './helpers/chat-server';
import { http, registerUser, uniqueUsername } from './helpers/http';
import { connectClient, waitForDisconnect } from './helpers/sockets';

const errorCode = (body: unknown) => (body as { error: { code: string } }).error.code;

describe('account limits', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  // startChatServer's `limits` passes every override of resolveLimits on, counts included.
  const start = async (limits: ChatLimitOverrides, scryptCost?: { N: number; r: number; p: number }) => {
    server = await startTestServer({ limits, ...(scryptCost === undefined ? {} : { scryptCost }) });
    return server.url;
  };

  it('answers 429 rate_limited when the hashing queue is full, and serves again once it drains', async () => {
    // One hash at a time and none waiting; 16 MiB hashes take long enough that the burst overlaps.
    const url = await start({ passwordHashConcurrency: 1, passwordHashQueue: 0 }, { N: 2 ** 14, r: 8, p: 1 });
    // The server hashes a decoy password as it starts (through the same gate): once a
    // registration passes, the gate is free and the burst meets it empty.
    const register = () => http(url, '/api/v1/register', { body: { username: uniqueUsername('q'), password: 'password123', displayName: 'Q' } });
    await expect.poll(async () => (await register()).status).toBe(201);
    const burst = await Promise.all(
      Array.from({ length: 12 }, () => http(url, '/api/v1/register', { body: { username: uniqueUsername('q'), password: 'password123', displayName: 'Q' } })),
    );
    const statuses = burst.map((r) => r.status);
    expect(statuses).toContain(201);
    expect(statuses).toContain(429);
    for (const refused of burst.filter((r) => r.status === 429)) expect(errorCode(refused.body)).toBe('rate_limited');
    expect(statuses.every((s) => s === 201 || s === 429)).toBe(true);
    // The queue drains: the next ones, one after another, all pass.
    const user = await registerUser(url);
    expect((await http(url, '/api/v1/login', { body: { username: user.user.username, password: user.password } })).status).toBe(200);
  });

  it('limits successful logins per username; other users are unaffected', async () => {
    const url = await start({ loginsPerUsername: { burst: 3, perSecond: 0.001 } });
    const ann = await registerUser(url);
    const bob = await registerUser(url);
    for (let i = 0; i < 3; i++) expect((await http(url, '/api/v1/login', { body: { username: ann.user.username, password: ann.password } })).status).toBe(200);
    const refused = await http(url, '/api/v1/login', { body: { username: ann.user.username, password: ann.password } });
    expect([refused.status, errorCode(refused.body)]).toEqual([429, 'rate_limited']);
    expect((await http(url, '/api/v1/login', { body: { username: bob.user.username, password: bob.password } })).status).toBe(200);
  });

  it('limits successful logins per address, across usernames', async () => {
    const url = await start({ loginsPerAddress: { burst: 3, perSecond: 0.001 } });
    const ann = await registerUser(url);
    const bob = await registerUser(url);
    for (const user of [ann, bob, ann]) {
      expect((await http(url, '/api/v1/login', { body: { username: user.user.username, password: user.password } })).status).toBe(200);
    }
    const refused = await http(url, '/api/v1/login', { body: { username: bob.user.username, password: bob.password } });
    expect([refused.status, errorCode(refused.body)]).toEqual([429, 'rate_limited']);
  });

  it('limits registrations from all addresses together', async () => {
    const url = await start({ registrationsTotal: { burst: 2, perSecond: 0.001 } });
    await registerUser(url);
    await registerUser(url);
    const refused = await http(url, '/api/v1/register', { body: { username: uniqueUsername('t'), password: 'password123', displayName: 'T' } });
    expect([refused.status, errorCode(refused.body)]).toEqual([429, 'rate_limited']);
  });

  it('ends the oldest session, and closes its sockets, when a login goes beyond sessionsPerUser', async () => {
    const url = await start({ sessionsPerUser: 2 });
    const user = await registerUser(url);
    const registeredBy = Date.now();
    const oldest = await connectClient(url, user.token);
    // Sessions are ordered by their creation millisecond: the first login must come after it.
    await expect.poll(() => Date.now(), { interval: 1 }).toBeGreaterThan(registeredBy);
    const login = () => http(url, '/api/v1/login', { body: { username: user.user.username, password: user.password } });
    const first = (await login()).body as { token: string };
    expect((await http(url, '/api/v1/me', { token: user.token })).status).toBe(200);
    const closed = waitForDisconnect(oldest);
    const second = (await login()).body as { token: string };
    expect(await closed).toBe('io server disconnect');
    expect((await http(url, '/api/v1/me', { token: user.token })).status).toBe(401);
    for (const current of [first.token, second.token]) expect((await http(url, '/api/v1/me', { token: current })).status).toBe(200);
  });
});
