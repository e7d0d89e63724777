import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuthResult, Result } from '../../../protocol';
import { randomBytes } from 'node:crypto';
import { Accounts } from '../../../server/chat/accounts';
import { DeviceKeys } from '../../../server/chat/device-keys';
import type { Session } from '../../../server/chat/accounts';
import { resolveLimits } from '../../../server/chat/limits';
import type { ChatLimitOverrides } from '../../../server/chat/limits';
import { hashToken } from '../../../server/chat/tokens';
import type { ChatStore } from '../../../server/store/chat-store';
import { openSqliteStore } from '../../../server/store/sqlite-store';

const COST = { N: 2 ** 10, r: 8, p: 1 };
const PASSWORD = 'password123';

function code(result: Result<AuthResult>): string {
  return result.ok ? 'ok' : result.error.code;
}

function token(result: Result<AuthResult>): string {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}`);
  return result.value.token;
}

describe('Accounts', () => {
  let dataDir: string;
  let store: ChatStore;
  let now: number;
  const make = (overrides: ChatLimitOverrides = {}) => new Accounts(store, resolveLimits(overrides), COST, new DeviceKeys(randomBytes(32), () => now), () => now);
  const register = (accounts: Accounts, username: string, address = '10.0.0.1') => accounts.register({ username, password: PASSWORD, displayName: username }, address);

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'wanglai-accounts-'));
    store = openSqliteStore({ dataDir, sync: 'normal' });
    now = 1_000_000;
  });
  afterEach(async () => {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers rate_limited at once when the hashing queue is full, and hashes again once it drains', async () => {
    const accounts = make({ passwordHashConcurrency: 1, passwordHashQueue: 1 });
    // Waits behind the decoy hash, so that the gate is empty afterwards.
    expect(code(await register(accounts, 'ann'))).toBe('ok');
    const login = () => accounts.login({ username: 'ann', password: PASSWORD }, '10.0.0.2');
    const accepted = [login(), login()];
    // One hashing, one waiting: the third login and the registration are refused without hashing.
    expect(code(await login())).toBe('rate_limited');
    expect(code(await register(accounts, 'bob'))).toBe('rate_limited');
    expect((await Promise.all(accepted)).map(code)).toEqual(['ok', 'ok']);
    expect(code(await register(accounts, 'bob'))).toBe('ok');
  });

  it('queues 2 + 64 hashes by default and refuses the next', async () => {
    const accounts = make({ loginsPerAddress: { burst: 1000, perSecond: 1 }, loginsPerUsername: { burst: 1000, perSecond: 1 } });
    expect(code(await register(accounts, 'ann'))).toBe('ok');
    // An unknown username waits for the decoy hash, which may still hold the other slot.
    expect(code(await accounts.login({ username: 'nobody', password: PASSWORD }, '10.0.0.3'))).toBe('invalid_credentials');
    const login = () => accounts.login({ username: 'ann', password: 'wrong password' }, '10.0.0.2');
    const accepted = Array.from({ length: 66 }, login);
    expect(code(await login())).toBe('rate_limited');
    expect(new Set((await Promise.all(accepted)).map(code))).toEqual(new Set(['invalid_credentials']));
  });

  it('limits every login per username, successful ones too, and refills at the rate', async () => {
    const accounts = make({ loginsPerUsername: { burst: 3, perSecond: 1 / 6 } });
    expect(code(await register(accounts, 'ann'))).toBe('ok');
    expect(code(await register(accounts, 'bob'))).toBe('ok');
    for (let i = 0; i < 3; i++) expect(code(await accounts.login({ username: 'ann', password: PASSWORD }, `10.0.1.${i}`))).toBe('ok');
    expect(code(await accounts.login({ username: 'ann', password: PASSWORD }, '10.0.1.9'))).toBe('rate_limited');
    expect(code(await accounts.login({ username: 'bob', password: PASSWORD }, '10.0.1.9'))).toBe('ok');
    now += 5_900;
    expect(code(await accounts.login({ username: 'ann', password: PASSWORD }, '10.0.1.9'))).toBe('rate_limited');
    now += 200;
    expect(code(await accounts.login({ username: 'ann', password: PASSWORD }, '10.0.1.9'))).toBe('ok');
  });

  it("keeps a device that signed in before clear of the username's lockout, and limits that device's own failures", async () => {
    const accounts = make({ loginFailuresPerUsername: { burst: 3, perSecond: 1 / 30 } });
    const registered = await register(accounts, 'ann');
    if (!registered.ok) throw new Error('registration failed');
    const { deviceKey } = registered.value;
    expect(deviceKey).toMatch(/^v1\./);
    expect(code(await register(accounts, 'bob'))).toBe('ok');
    // Someone else keeps ann's username locked out.
    for (let i = 0; i < 3; i++) expect(code(await accounts.login({ username: 'ann', password: 'wrong password' }, '10.6.6.6'))).toBe('invalid_credentials');
    expect(code(await accounts.login({ username: 'ann', password: PASSWORD }, '10.0.2.1'))).toBe('rate_limited');
    // The device ann registered on signs in, and gets a fresh key.
    const back = await accounts.login({ username: 'ann', password: PASSWORD, deviceKey }, '10.0.2.1');
    expect(code(back)).toBe('ok');
    if (!back.ok) return;
    expect(back.value.deviceKey).toMatch(/^v1\./);
    // A key proves its own account only, and a forged or altered one nothing.
    const bobs = await accounts.login({ username: 'bob', password: PASSWORD }, '10.0.2.1');
    if (!bobs.ok) throw new Error('bob could not sign in');
    expect(code(await accounts.login({ username: 'ann', password: PASSWORD, deviceKey: bobs.value.deviceKey }, '10.0.2.1'))).toBe('rate_limited');
    expect(code(await accounts.login({ username: 'ann', password: PASSWORD, deviceKey: `${deviceKey?.slice(0, -2) ?? ''}xx` }, '10.0.2.1'))).toBe('rate_limited');
    expect(code(await accounts.login({ username: 'ann', password: PASSWORD, deviceKey: 'not a key' }, '10.0.2.1'))).toBe('rate_limited');
    // Guessing with a key is limited by the key, as the username was.
    for (let i = 0; i < 3; i++) expect(code(await accounts.login({ username: 'ann', password: 'wrong password', deviceKey }, '10.0.2.2'))).toBe('invalid_credentials');
    expect(code(await accounts.login({ username: 'ann', password: PASSWORD, deviceKey }, '10.0.2.2'))).toBe('rate_limited');
  });

  it('limits logins with device keys by the account too: keys, a new one each login, cannot be chained past its rule', async () => {
    const accounts = make({ loginsPerUsername: { burst: 3, perSecond: 1 / 6 }, loginsPerAddress: { burst: 1000, perSecond: 1 } });
    const registered = await register(accounts, 'ann');
    if (!registered.ok) throw new Error('registration failed');
    let key = registered.value.deviceKey;
    for (let i = 0; i < 3; i++) {
      now += 1; // a key a millisecond later is another key
      const next = await accounts.login({ username: 'ann', password: PASSWORD, deviceKey: key }, `10.0.3.${i}`);
      if (!next.ok) throw new Error(`login ${i} refused: ${next.error.code}`);
      expect(next.value.deviceKey).not.toBe(key);
      key = next.value.deviceKey;
    }
    expect(code(await accounts.login({ username: 'ann', password: PASSWORD, deviceKey: key }, '10.0.3.9'))).toBe('rate_limited');
    // That bucket is the keyed logins' alone: without a key the username's own still has room.
    expect(code(await accounts.login({ username: 'ann', password: PASSWORD }, '10.0.3.9'))).toBe('ok');
    now += 6_100;
    expect(code(await accounts.login({ username: 'ann', password: PASSWORD, deviceKey: key }, '10.0.3.9'))).toBe('ok');
  });

  it('limits every login per address, for any username, successful ones too', async () => {
    const accounts = make({ loginsPerAddress: { burst: 4, perSecond: 2 } });
    for (const name of ['ann', 'bob', 'cat']) expect(code(await register(accounts, name))).toBe('ok');
    for (const name of ['ann', 'bob', 'cat', 'ann']) expect(code(await accounts.login({ username: name, password: PASSWORD }, '10.0.2.1'))).toBe('ok');
    expect(code(await accounts.login({ username: 'cat', password: PASSWORD }, '10.0.2.1'))).toBe('rate_limited');
    expect(code(await accounts.login({ username: 'cat', password: PASSWORD }, '10.0.2.2'))).toBe('ok');
    now += 500;
    expect(code(await accounts.login({ username: 'cat', password: PASSWORD }, '10.0.2.1'))).toBe('ok');
  });

  it('limits registrations from all addresses together', async () => {
    const accounts = make({ registrationsTotal: { burst: 3, perSecond: 1 } });
    for (let i = 0; i < 3; i++) expect(code(await register(accounts, `user${i}`, `10.0.3.${i}`))).toBe('ok');
    expect(code(await register(accounts, 'user3', '10.0.3.3'))).toBe('rate_limited');
    now += 1000;
    expect(code(await register(accounts, 'user3', '10.0.3.3'))).toBe('ok');
  });

  it('keeps at most sessionsPerUser sessions: a login ends the oldest and says so', async () => {
    const accounts = make({ sessionsPerUser: 3 });
    const ended: Session[] = [];
    accounts.onSessionEnded((session) => ended.push(session));
    const registered = await register(accounts, 'ann');
    const tokens = [token(registered)];
    if (!registered.ok) throw new Error('register failed');
    const userId = registered.value.user.id;
    for (let i = 0; i < 4; i++) {
      now += 1000;
      tokens.push(token(await accounts.login({ username: 'ann', password: PASSWORD }, '10.0.4.1')));
      expect(store.sessionCount(userId)).toBe(Math.min(i + 2, 3));
    }
    // Registered (t0), logins at t1..t4: the sessions of t0 and t1 ended, in that order.
    expect(ended.map((s) => [s.user.id, s.tokenHash])).toEqual(tokens.slice(0, 2).map((t) => [userId, hashToken(t)]));
    expect(tokens.map((t) => accounts.authenticate(t) !== undefined)).toEqual([false, false, true, true, true]);
    // Another user's sessions are not touched, and logout still frees a place.
    const other = token(await register(accounts, 'bob'));
    const third = accounts.authenticate(tokens[2] ?? '');
    if (third === undefined) throw new Error('session missing');
    accounts.logout(third);
    now += 1000;
    tokens.push(token(await accounts.login({ username: 'ann', password: PASSWORD }, '10.0.4.1')));
    expect(ended).toHaveLength(2);
    expect(accounts.authenticate(other)).toBeDefined();
    expect(store.sessionCount(userId)).toBe(3);
  });

  it('has the documented defaults', () => {
    const limits = resolveLimits(undefined);
    expect(limits).toMatchObject({
      passwordHashConcurrency: 2,
      passwordHashQueue: 64,
      sessionsPerUser: 50,
      loginsPerUsername: { burst: 20, perSecond: 1 / 6 },
      loginsPerAddress: { burst: 100, perSecond: 2 },
      registrationsPerAddress: { burst: 100, perSecond: 2 },
      registrationsTotal: { burst: 200, perSecond: 5 },
    });
  });
});
