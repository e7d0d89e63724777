/**
 * conversation:updated for a direct conversation found again, against a real store: its last
 * message as today's verdicts allow, read after the verdicts so that a message sent meanwhile
 * is not taken back. The verdicts come from a controllable function, so that a slow answer
 * and a failure are exact.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Conversation, LinkPreview, LinkVerdict } from '../../../protocol';
import { announceConversation } from '../../../server/chat/announce-conversation';
import type { ChatDeps } from '../../../server/chat/chat-deps';
import { ensureDirectConversation } from '../../../server/chat/direct-conversations';
import type { ServerEvent } from '../../../server/chat/fanout';
import { silentLogger } from '../../../server/chat/logger';
import { MemberCache } from '../../../server/chat/member-cache';
import type { LinkServices } from '../../../server/links/link-services';
import type { ChatStore } from '../../../server/store/chat-store';
import { openSqliteStore } from '../../../server/store/sqlite-store';

const jade = { id: 'm1', name: 'Jade', verified: true };
const verifiedLink = (url: string): LinkPreview => ({ url, state: 'verified', merchant: jade, siteName: 'Jade', title: 'A jade bracelet' });
const suspended = (url: string): LinkVerdict => ({ url, verdict: 'blocked', reason: 'suspended', merchant: { ...jade, verified: false } });

describe('announceConversation', () => {
  let dir: string;
  let store: ChatStore;
  let sent: { userIds: string[]; event: ServerEvent; payload: Conversation }[];
  let asked: string[][];
  let answers: ((verdicts: LinkVerdict[] | Error) => void)[];
  let deps: ChatDeps;
  let conversationId: string;
  let clock = 100;

  const links = {
    verdicts: (urls: readonly string[]) =>
      new Promise<LinkVerdict[]>((resolve, reject) => {
        asked.push([...urls]);
        answers.push((verdicts) => (verdicts instanceof Error ? reject(verdicts) : resolve(verdicts)));
      }),
  } as unknown as LinkServices;

  const say = (text: string, links?: LinkPreview[]) =>
    store.appendMessage({ conversationId, senderId: 'seller', clientId: `c-${clock}`, kind: 'text', text, createdAt: clock++, ...(links !== undefined ? { links } : {}) });

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'wanglai-announce-'));
    store = openSqliteStore({ dataDir: dir, sync: 'normal', log: silentLogger });
    for (const id of ['seller', 'buyer']) store.createUser({ id, username: id, displayName: id, passwordHash: 'x', createdAt: 1 });
    store.addContactPair('seller', 'buyer', 5);
    conversationId = ensureDirectConversation(store, 'seller', 'buyer', 10).id;
    sent = [];
    asked = [];
    answers = [];
    deps = {
      store,
      members: new MemberCache(store),
      log: silentLogger,
      now: () => clock,
      presence: { isOnline: () => false },
      fanout: {
        toUsers: (userIds, event, ...args) => {
          sent.push({ userIds: [...userIds], event, payload: args[0] as Conversation });
        },
        toUsersExcept: () => undefined,
      },
    };
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  const lastMessages = () => sent.map(({ userIds, payload }) => [userIds.join(), payload.lastMessage]);

  it('sends at once, asking nothing, when the last message vouches for no link', () => {
    const plain = say('hello');
    announceConversation(deps, links, conversationId);
    expect(asked).toEqual([]);
    expect(lastMessages()).toEqual([['seller', plain], ['buyer', plain]]);
  });

  it('shows a verified preview of a merchant suspended since as its current state, to each member', async () => {
    const url = 'https://jade.example/bracelet';
    const card = say(`see ${url}`, [verifiedLink(url)]);
    announceConversation(deps, links, conversationId);
    expect(asked).toEqual([[url]]);
    expect(sent).toEqual([]);
    answers[0]?.([suspended(url)]);
    await expect.poll(() => sent.length).toBe(2);
    const current = { ...card, links: [{ url, state: 'blocked', reason: 'suspended', merchant: { ...jade, verified: false } }] };
    expect(lastMessages()).toEqual([['seller', current], ['buyer', current]]);
    expect(sent.every(({ event }) => event === 'conversation:updated')).toBe(true);
  });

  it('keeps a preview that is still verified whole', async () => {
    const url = 'https://jade.example/bracelet';
    const card = say(`see ${url}`, [verifiedLink(url)]);
    announceConversation(deps, links, conversationId);
    answers[0]?.([{ url, verdict: 'verified', merchant: jade }]);
    await expect.poll(() => sent.length).toBe(2);
    expect(lastMessages()).toEqual([['seller', card], ['buyer', card]]);
  });

  it('reads the views after the verdicts: a message sent meanwhile stays the last one, its own links asked for in turn', async () => {
    const old = 'https://jade.example/old';
    say(`see ${old}`, [verifiedLink(old)]);
    announceConversation(deps, links, conversationId);
    const fresh = 'https://jade.example/new';
    const newer = say(`and ${fresh}`, [verifiedLink(fresh)]);
    answers[0]?.([suspended(old)]);
    await expect.poll(() => asked).toEqual([[old], [fresh]]);
    expect(sent).toEqual([]);
    answers[1]?.([{ url: fresh, verdict: 'verified', merchant: jade }]);
    await expect.poll(() => sent.length).toBe(2);
    expect(lastMessages()).toEqual([['seller', newer], ['buyer', newer]]);
  });

  it('shows less when the verdicts cannot be had (fail closed), and still sends', async () => {
    const url = 'https://jade.example/bracelet';
    const card = say(`see ${url}`, [verifiedLink(url)]);
    announceConversation(deps, links, conversationId);
    answers[0]?.(new Error('the service is down'));
    await expect.poll(() => sent.length).toBe(2);
    const current = { ...card, links: [{ url, state: 'unverified', reason: 'verification_unavailable' }] };
    expect(lastMessages()).toEqual([['seller', current], ['buyer', current]]);
  });

  it('gives up asking after three rounds of new links and shows the newest last message fail closed', async () => {
    say('first https://jade.example/0', [verifiedLink('https://jade.example/0')]);
    announceConversation(deps, links, conversationId);
    for (let round = 1; round <= 3; round++) {
      const url = `https://jade.example/${round}`;
      const message = say(`next ${url}`, [verifiedLink(url)]);
      const answered = asked[round - 1]?.[0] ?? '';
      answers[round - 1]?.([{ url: answered, verdict: 'verified', merchant: jade }]);
      if (round < 3) {
        await expect.poll(() => asked.length).toBe(round + 1);
      } else {
        await expect.poll(() => sent.length).toBe(2);
        const current = { ...message, links: [{ url, state: 'unverified', reason: 'verification_unavailable' }] };
        expect(lastMessages()).toEqual([['seller', current], ['buyer', current]]);
      }
    }
    expect(asked).toHaveLength(3);
  });

  it('downgrades nothing on a server without the link pipeline', () => {
    const url = 'https://jade.example/bracelet';
    const card = say(`see ${url}`, [verifiedLink(url)]);
    announceConversation(deps, undefined, conversationId);
    expect(lastMessages()).toEqual([['seller', card], ['buyer', card]]);
  });
});
