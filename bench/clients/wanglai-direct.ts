/** Wanglai as the server under test of the 1:1 and sync-mode scenarios. */
import type { Message } from '../../protocol';
import type { ServerProcess, SpawnOptions } from '../server-process';
import { MESSAGE_TEXT, type DirectTransport } from './direct-transport';
import { befriend, connectUser, registerMany, runPrefix } from './wanglai-client';
import { closeAll, inBatches } from './sio';

export function wanglaiServer(options: { sync: 'full' | 'normal'; nodeArgs?: string[] }): { name: string; options: SpawnOptions } {
  return { name: 'wanglai', options: { env: { WANGLAI_SYNC: options.sync }, ...(options.nodeArgs ? { nodeArgs: options.nodeArgs } : {}) } };
}

export async function connectWanglaiPairs(server: ServerProcess, pairs: number): Promise<DirectTransport> {
  const prefix = runPrefix();
  const senders = await registerMany(server.url, `${prefix}s`, pairs);
  const recipients = await registerMany(server.url, `${prefix}r`, pairs);
  const senderSockets = await inBatches(pairs, 20, (p) => connectUser(server.url, senders[p] ?? fail(p)));
  const recipientSockets = await inBatches(pairs, 20, (p) => connectUser(server.url, recipients[p] ?? fail(p)));
  const conversations = await inBatches(pairs, 10, (p) => befriend(senderSockets[p] ?? fail(p), recipientSockets[p] ?? fail(p), recipients[p]?.id ?? fail(p)));
  const transport: DirectTransport = {
    pairs,
    onAck: () => undefined,
    onDeliver: () => undefined,
    send(pair, key) {
      senderSockets[pair]?.emit('messages:send', { conversationId: conversations[pair], clientId: key, text: MESSAGE_TEXT }, (r: { ok: boolean; message?: Message }) => {
        if (r.ok && r.message) transport.onAck(r.message.clientId);
      });
    },
    close: async () => closeAll([...senderSockets, ...recipientSockets]),
  };
  for (const socket of recipientSockets) socket.on('message:new', (m: Message) => transport.onDeliver(m.clientId));
  return transport;
}

function fail(index: number): never {
  throw new Error(`bench setup lost index ${index}`);
}
