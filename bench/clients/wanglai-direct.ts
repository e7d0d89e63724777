/** Wanglai as the server under test of the 1:1 and sync-mode scenarios. */
import type { Message } from '../../protocol';
import type { ServerProcess } from '../server-process';
import { MESSAGE_TEXT, type DirectTransport } from './direct-transport';
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

export async function connectWanglaiPairs(server: ServerProcess, population: Population): Promise<DirectTransport> {
  const pairs = population.conversations.length;
  const sockets = await inBatches(pairs * 2, 20, (i) => connectUser(server.url, population.users[i] ?? fail(i)));
  const senderSockets = sockets.slice(0, pairs);
  const recipientSockets = sockets.slice(pairs);
  const transport: DirectTransport = {
    pairs,
    onAck: () => undefined,
    onDeliver: () => undefined,
    send(pair, key) {
      senderSockets[pair]?.emit('messages:send', { conversationId: population.conversations[pair], clientId: key, text: MESSAGE_TEXT }, (r: { ok: boolean; message?: Message }) => {
        if (r.ok && r.message) transport.onAck(r.message.clientId);
      });
    },
    close: async () => closeAll(sockets),
  };
  for (const socket of recipientSockets) socket.on('message:new', (m: Message) => transport.onDeliver(m.clientId));
  return transport;
}

function fail(index: number): never {
  throw new Error(`bench setup lost index ${index}`);
}
