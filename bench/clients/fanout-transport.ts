/**
 * What the fan-out scenario needs from a server under test: one sender in a group of `members`
 * online sockets, a send keyed by a string, the sender's ack, and each receiver's delivery.
 */
import type { Socket } from 'socket.io-client';
import { MESSAGE_TEXT } from './direct-transport';
import { closeAll, connectSocket, inBatches } from './sio';

export interface FanoutTransport {
  /** Sockets that must each receive every message (the sender's own excluded). */
  readonly receivers: number;
  send(key: string): void;
  onAck: (key: string) => void;
  onDeliver: (key: string) => void;
  close(): Promise<void>;
}

const ROOM = 'bench-group';

export async function bareSocketIoGroup(url: string, members: number): Promise<FanoutTransport> {
  const sockets: Socket[] = await inBatches(members, 25, (i) => connectSocket(url, { id: `g${i}` }));
  await Promise.all(sockets.map((s) => new Promise<void>((done) => s.emit('join', ROOM, () => done()))));
  const [sender, ...receivers] = sockets;
  if (!sender) throw new Error('a group needs at least one member');
  const transport: FanoutTransport = {
    receivers: receivers.length,
    onAck: () => undefined,
    onDeliver: () => undefined,
    send(key) {
      sender.emit('group', { id: key, room: ROOM, text: MESSAGE_TEXT }, (r: { id: string }) => transport.onAck(r.id));
    },
    close: async () => closeAll(sockets),
  };
  for (const r of receivers) r.on('deliver', (m: { id: string }) => transport.onDeliver(m.id));
  return transport;
}
