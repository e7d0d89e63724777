/** Wanglai as the server under test of the 1:1 and sync-mode scenarios. */
import type { ServerProcess } from '../server-process';
import { MESSAGE_TEXT, socketIoPairs, type DirectTransport } from './direct-transport';
import { befriend, connectUser, registerMany, runPrefix } from './wanglai-client';
import { populationTemplate, type Population } from './wanglai-population';
import { closeAll, inBatches } from './sio';

/** Users s0..sN-1 and r0..rN-1, each pair contacts with their direct conversation. */
export function pairsTemplate(pairs: number, log: (line: string) => void): Promise<{ dir: string; population: Population }> {
  return populationTemplate(`pairs-${pairs}`, async (server) => {
    const prefix = runPrefix();
    const senders = await registerMany(server.url, `${prefix}s`, pairs);
    const recipients = await registerMany(server.url, `${prefix}r`, pairs);
    const sockets = await inBatches(pairs * 2, 20, (i) => connectUser(server.url, (i < pairs ? senders[i] : recipients[i - pairs]) ?? fail(i)));
    try {
      const conversations = await inBatches(pairs, 10, (p) => befriend(sockets[p] ?? fail(p), sockets[pairs + p] ?? fail(p), recipients[p]?.id ?? fail(p)));
      return { users: [...senders, ...recipients], conversations };
    } finally {
      closeAll(sockets);
    }
  }, log);
}

export function connectWanglaiPairs(server: ServerProcess, population: Population): Promise<DirectTransport> {
  const pairs = population.conversations.length;
  const auth = (i: number) => ({ token: population.users[i]?.token ?? fail(i) });
  return socketIoPairs({
    url: server.url,
    senders: Array.from({ length: pairs }, (_, p) => auth(p)),
    recipients: Array.from({ length: pairs }, (_, p) => auth(pairs + p)),
    event: 'messages:send',
    payload: (pair, key) => ({ conversationId: population.conversations[pair] ?? fail(pair), clientId: key, text: MESSAGE_TEXT }),
    deliverEvent: 'message:new',
  });
}

function fail(index: number): never {
  throw new Error(`bench setup lost index ${index}`);
}
