/**
 * What the 1:1 scenario needs from a server under test: pairs of sender and recipient, a send
 * keyed by a string, and callbacks when the sender's ack and the recipient's delivery arrive.
 */
import { WebSocket } from 'ws';
import { closeAll, connectSocket, inBatches } from './sio';

export const MESSAGE_TEXT = 'bench message 往来 with a few words of text';

export interface DirectTransport {
  readonly pairs: number;
  send(pair: number, key: string): void;
  onAck: (key: string) => void;
  onDeliver: (key: string) => void;
  close(): Promise<void>;
}

const ignore = () => undefined;

/**
 * `protocol`: the bare server answers as a chat server must (the message to the sender's sockets
 * too); `recipient-only`: the lighter baseline of the first rounds, without the sender's copy.
 */
export async function bareSocketIoPairs(url: string, pairs: number, traffic: 'protocol' | 'recipient-only' = 'protocol'): Promise<DirectTransport> {
  const event = traffic === 'protocol' ? 'send' : 'send-to-recipient';
  const senders = await inBatches(pairs, 20, (p) => connectSocket(url, { id: `s${p}` }));
  const recipients = await inBatches(pairs, 20, (p) => connectSocket(url, { id: `r${p}` }));
  const transport: DirectTransport = {
    pairs,
    onAck: ignore,
    onDeliver: ignore,
    send(pair, key) {
      senders[pair]?.emit(event, { id: key, to: `r${pair}`, text: MESSAGE_TEXT }, (r: { id: string }) => transport.onAck(r.id));
    },
    close: async () => closeAll([...senders, ...recipients]),
  };
  for (const r of recipients) r.on('deliver', (m: { clientId: string }) => transport.onDeliver(m.clientId));
  return transport;
}

function openWs(url: string, id: string): Promise<WebSocket> {
  const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/?id=${encodeURIComponent(id)}`);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new Error('ws did not open in time'));
    }, 20_000);
    socket.once('open', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

export async function rawWsPairs(url: string, pairs: number): Promise<DirectTransport> {
  const senders = await inBatches(pairs, 20, (p) => openWs(url, `s${p}`));
  const recipients = await inBatches(pairs, 20, (p) => openWs(url, `r${p}`));
  const transport: DirectTransport = {
    pairs,
    onAck: ignore,
    onDeliver: ignore,
    send(pair, key) {
      senders[pair]?.send(JSON.stringify({ id: key, to: `r${pair}`, text: MESSAGE_TEXT }));
    },
    close: async () => {
      for (const s of [...senders, ...recipients]) s.terminate();
    },
  };
  // Senders also get their own copy of each message (as a chat client's other devices would); only acks count here.
  for (const s of senders) {
    s.on('message', (data) => {
      const { ack } = JSON.parse(data.toString()) as { ack?: string };
      if (ack !== undefined) transport.onAck(ack);
    });
  }
  for (const r of recipients) r.on('message', (data) => transport.onDeliver((JSON.parse(data.toString()) as { deliver: { clientId: string } }).deliver.clientId));
  return transport;
}
