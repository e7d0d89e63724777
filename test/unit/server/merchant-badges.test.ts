/**
 * The merchant badge refresher against a real store: what each answer of the verification
 * service does to the stored badges and who is told. The service's answers come from a
 * controllable lookup, so that "gone", "unavailable" and a slow answer are exact.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MerchantRef, Result } from '../../../protocol';
import type { ChatDeps } from '../../../server/chat/chat-deps';
import type { ServerEvent } from '../../../server/chat/fanout';
import { silentLogger } from '../../../server/chat/logger';
import { MemberCache } from '../../../server/chat/member-cache';
import { MerchantBadges } from '../../../server/chat/merchant-badges';
import type { ChatStore } from '../../../server/store/chat-store';
import { openSqliteStore } from '../../../server/store/sqlite-store';

type Answer = Result<MerchantRef>;
const found = (merchant: MerchantRef): Answer => ({ ok: true, value: merchant });
const failed = (code: 'not_found' | 'internal'): Answer => ({ ok: false, error: { code, message: code } });

describe('merchant badges', () => {
  let dir: string;
  let store: ChatStore;
  let sent: { userIds: string[]; event: ServerEvent; payload: unknown }[];
  let answers: Map<string, Answer | Promise<Answer>>;
  let asked: string[];
  let deps: ChatDeps;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'wanglai-badges-'));
    store = openSqliteStore({ dataDir: dir, sync: 'normal', log: silentLogger });
    for (const id of ['seller', 'twin', 'buyer', 'stranger']) store.createUser({ id, username: id, displayName: id, passwordHash: 'x', createdAt: 1 });
    store.addContactPair('seller', 'buyer', 5);
    store.setUserMerchant('seller', { id: 'm1', name: 'Jade', verified: true });
    store.setUserMerchant('twin', { id: 'm1', name: 'Jade', verified: true });
    sent = [];
    answers = new Map();
    asked = [];
    deps = {
      store,
      members: new MemberCache(store),
      log: silentLogger,
      now: () => 1000 + asked.length,
      presence: { isOnline: (userId) => userId === 'seller' },
      fanout: {
        toUsers: (userIds, event, ...args) => {
          sent.push({ userIds: [...userIds], event, payload: args[0] });
        },
        toUsersExcept: () => undefined,
      },
    };
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  const lookup = async (merchantId: string): Promise<Answer> => {
    asked.push(merchantId);
    return (await answers.get(merchantId)) ?? failed('internal');
  };

  it('stores a suspension and a new name for every linked user, and tells each one and its contacts', async () => {
    answers.set('m1', found({ id: 'm1', name: 'Jade Ltd', verified: false }));
    await new MerchantBadges(deps, lookup).refresh();
    const badge = { id: 'm1', name: 'Jade Ltd', verified: false };
    expect(store.userById('seller')?.merchant).toEqual(badge);
    expect(store.userById('twin')?.merchant).toEqual(badge);
    const seller = { id: 'seller', username: 'seller', displayName: 'seller', merchant: badge };
    expect(sent).toEqual([
      { userIds: ['seller'], event: 'me:updated', payload: { user: seller } },
      { userIds: ['buyer'], event: 'contacts:updated', payload: { contact: { user: seller, since: 5, online: true } } },
      { userIds: ['twin'], event: 'me:updated', payload: { user: { id: 'twin', username: 'twin', displayName: 'twin', merchant: badge } } },
    ]);
  });

  it('changes and tells nothing when the badge is unchanged', async () => {
    answers.set('m1', found({ id: 'm1', name: 'Jade', verified: true }));
    await new MerchantBadges(deps, lookup).refresh();
    expect(store.userById('seller')?.merchant).toEqual({ id: 'm1', name: 'Jade', verified: true });
    expect(sent).toEqual([]);
  });

  it('takes the badge of a merchant the service no longer knows, keeping its name; keeps it while the service is unavailable', async () => {
    store.setUserMerchant('stranger', { id: 'm2', name: 'Lotus', verified: true });
    answers.set('m1', failed('internal'));
    answers.set('m2', failed('not_found'));
    await new MerchantBadges(deps, lookup).refresh();
    expect(store.userById('seller')?.merchant).toEqual({ id: 'm1', name: 'Jade', verified: true });
    expect(store.userById('stranger')?.merchant).toEqual({ id: 'm2', name: 'Lotus', verified: false });
  });

  it('leaves a user linked to another merchant while the question was under way as it is', async () => {
    let answer: (value: Answer) => void = () => undefined;
    answers.set('m1', new Promise<Answer>((resolve) => (answer = resolve)));
    const round = new MerchantBadges(deps, lookup).refresh();
    await expect.poll(() => asked).toEqual(['m1']);
    store.setUserMerchant('twin', { id: 'm9', name: 'Orchid', verified: true });
    answer(found({ id: 'm1', name: 'Jade', verified: false }));
    await round;
    expect(store.userById('twin')?.merchant).toEqual({ id: 'm9', name: 'Orchid', verified: true });
    expect(store.userById('seller')?.merchant).toEqual({ id: 'm1', name: 'Jade', verified: false });
  });

  it('asks at most perIntervalMax merchants a round, those asked longest ago first, and joins a round under way', async () => {
    for (const [i, user] of ['a', 'b', 'c'].entries()) {
      store.createUser({ id: user, username: user, displayName: user, passwordHash: 'x', createdAt: 1 });
      store.setUserMerchant(user, { id: `x${i}`, name: user, verified: true });
    }
    const badges = new MerchantBadges(deps, lookup, { perIntervalMax: 2 });
    const first = badges.refresh();
    expect(badges.refresh()).toBe(first);
    await first;
    await badges.refresh();
    await badges.refresh();
    // Four merchants, two a round: every one is asked once in the first two rounds.
    expect(new Set(asked.slice(0, 4)).size).toBe(4);
    expect(asked).toHaveLength(6);
    expect(new Set(asked.slice(4))).toEqual(new Set(asked.slice(0, 2)));
  });
});
