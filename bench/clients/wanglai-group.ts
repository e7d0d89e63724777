/** Wanglai as the server under test of the fan-out scenario: one group, every member online. */
import type { Message } from '../../protocol';
import type { ServerProcess } from '../server-process';
import { MESSAGE_TEXT } from './direct-transport';
import { RECEIVER_PROCESSES, type FanoutTransport } from './fanout-transport';
import { receiverPool } from './receiver-pool';
import { befriend, call, connectUser, registerMany, runPrefix } from './wanglai-client';
import { populationTemplate, type Population } from './wanglai-population';
import { closeAll, inBatches } from './sio';

/** An owner (user 0) whose contacts are users 1..members-1, all in one group. */
export function groupTemplate(members: number, log: (line: string) => void): Promise<{ dir: string; population: Population }> {
  return populationTemplate(`group-${members}`, async (server) => {
    const users = await registerMany(server.url, `${runPrefix()}g`, members);
    const sockets = await inBatches(members, 20, (i) => connectUser(server.url, users[i] ?? fail(i)));
    try {
      const owner = sockets[0] ?? fail(0);
      await inBatches(members - 1, 10, (i) => befriend(owner, sockets[i + 1] ?? fail(i + 1), users[i + 1]?.id ?? fail(i + 1)));
      const { conversation } = await call(owner, 'groups:create', { title: `bench group of ${members}`, memberIds: users.slice(1).map((u) => u.id) });
      return { users, conversations: [conversation.id] };
    } finally {
      closeAll(sockets);
    }
  }, log);
}

export async function connectWanglaiGroup(server: ServerProcess, population: Population): Promise<FanoutTransport> {
  const conversationId = population.conversations[0] ?? fail(0);
  const [owner, ...members] = population.users;
  if (!owner) throw new Error('the group population has no owner');
  const sender = await connectUser(server.url, owner);
  try {
    const pool = await receiverPool(server.url, members.map((u) => ({ token: u.token })), { processes: RECEIVER_PROCESSES });
    const transport: FanoutTransport = {
      pool,
      onAck: () => undefined,
      send(key) {
        sender.emit('messages:send', { conversationId, clientId: key, text: MESSAGE_TEXT }, (r: { ok: boolean; message?: Message }) => {
          if (r.ok && r.message) transport.onAck(r.message.clientId);
        });
      },
      close: async () => {
        sender.close();
        await pool.close();
      },
    };
    return transport;
  } catch (error) {
    sender.close();
    throw error;
  }
}

function fail(index: number): never {
  throw new Error(`bench setup lost index ${index}`);
}
