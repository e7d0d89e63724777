/**
 * What the fan-out scenario needs from a server under test: one sender (socket.io-client, for
 * its acks) and a pool of receiver processes holding every other member's socket.
 */
import type { Socket } from 'socket.io-client';
import { MESSAGE_TEXT } from './direct-transport';
import { receiverPool, type ReceiverPool } from './receiver-pool';
import { connectSocket } from './sio';

export interface FanoutTransport {
  readonly pool: ReceiverPool;
  send(key: string): void;
  onAck: (key: string) => void;
  close(): Promise<void>;
}

const ROOM = 'bench-group';
/** Two, measured: one lags behind 500 sockets' bursts, four contend for the second core. */
export const RECEIVER_PROCESSES = 2;

export async function bareSocketIoGroup(url: string, members: number): Promise<FanoutTransport> {
  const sender: Socket = await connectSocket(url, { id: 'g0' });
  const auths = Array.from({ length: members - 1 }, (_, i) => ({ id: `g${i + 1}` }));
  let pool: ReceiverPool;
  try {
    pool = await receiverPool(url, auths, { processes: RECEIVER_PROCESSES, joinRoom: ROOM });
  } catch (error) {
    sender.close();
    throw error;
  }
  const transport: FanoutTransport = {
    pool,
    onAck: () => undefined,
    send(key) {
      sender.emit('group', { id: key, room: ROOM, text: MESSAGE_TEXT }, (r: { id: string }) => transport.onAck(r.id));
    },
    close: async () => {
      sender.close();
      await pool.close();
    },
  };
  return transport;
}
