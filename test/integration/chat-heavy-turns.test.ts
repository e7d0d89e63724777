/**
 * Heavy requests (sync, history, lists) take turns by peer address, then by user: accounts are
 * free, so many of them from one address get one turn between those of a user elsewhere.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { createChatWorld, type ChatWorld } from './helpers/chat-world';
import { registerUser } from './helpers/http';
import { rawClient } from './helpers/raw-socketio';

/** Acknowledgements in the order this process received them, by client name. */
function answerLog() {
  const order: string[] = [];
  const watch = (name: string, ws: WebSocket) =>
    ws.on('message', (data: Buffer) => {
      if (data.toString('utf8').startsWith('43')) order.push(name);
    });
  return { order, watch };
}

describe('heavy requests from many accounts at one address', () => {
  let world: ChatWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('delay a user at another address by about one answer, not one per account', async () => {
    const loose = { burst: 100_000, perSecond: 100_000 };
    const current = await createChatWorld({ limits: { eventsPerSocket: loose, listsPerUser: loose } });
    world = current;
    const accounts = 12;
    const crowd: WebSocket[] = [];
    const victim = await rawClient(current.url, (await registerUser(current.url)).token, '127.0.0.3');
    try {
      for (let i = 0; i < accounts; i++) crowd.push(await rawClient(current.url, (await registerUser(current.url)).token, '127.0.0.2'));
      const { order, watch } = answerLog();
      crowd.forEach((ws, i) => watch(`crowd-${i}`, ws));
      watch('victim', victim);
      // Every request is written before the server reads any: they reach its lane in one go,
      // the crowd's first.
      for (const ws of crowd) for (let k = 0; k < 2; k++) ws.send(`42${k}${JSON.stringify(['conversations:list', {}])}`);
      victim.send(`420${JSON.stringify(['conversations:list', {}])}`);
      await expect.poll(() => order.length, { timeout: 10_000 }).toBe(2 * accounts + 1);
      // Turns by user alone would answer the victim after each of the twelve accounts' first.
      expect(order.indexOf('victim')).toBeLessThanOrEqual(2);
    } finally {
      victim.close();
      for (const ws of crowd) ws.close();
    }
  });
});
