/**
 * What the 1:1 scenario needs from a server under test: pairs of sender and recipient, a send
 * keyed by a string, and callbacks when the sender's ack and the recipient's delivery arrive.
 */
import { WebSocket } from 'ws';
import { connectRaw, stringField, type RawSocket } from './raw-socketio';
import { inBatches } from './sio';

export const MESSAGE_TEXT = 'bench message 往来 with a few words of text';

export interface DirectTransport {
  readonly pairs: number;
  send(pair: number, key: string): void;
  onAck: (key: string) => void;
  onDeliver: (key: string) => void;
  close(): Promise<void>;
}

const ignore = () => undefined;

export interface SocketIoPairsOptions {
  url: string;
  /** The handshake auth of each pair's sender and recipient. */
  senders: readonly Record<string, string>[];
  recipients: readonly Record<string, string>[];
  /** The event a send emits, and its payload. */
  event: string;
  payload(pair: number, key: string): unknown;
  /** The event that brings a message to the recipient; its frame carries the key as `clientId`. */
  deliverEvent: string;
}

const OK_ACK = /^43\d+\[\{"ok":true/;

/**
 * Pairs of raw Socket.IO sockets (raw-socketio.ts), the same for every Socket.IO server under
 * test. An ack counts when it is `{ok: true, ...}` and names the key as `clientId` (the stored
 * message's); a delivery is a `deliverEvent` frame on the recipient's socket. The senders' own
 * copies of each message are not read.
 */
export async function socketIoPairs(options: SocketIoPairsOptions): Promise<DirectTransport> {
  const pairs = Math.min(options.senders.length, options.recipients.length);
  const deliverPrefix = `42[${JSON.stringify(options.deliverEvent)}`;
  const sockets: RawSocket[] = [];
  try {
    const senders = await inBatches(pairs, 20, (p) => connectRaw(options.url, options.senders[p] ?? {}, ignore));
    sockets.push(...senders);
    const recipients = await inBatches(pairs, 20, (p) =>
      connectRaw(options.url, options.recipients[p] ?? {}, (frame) => {
        if (!frame.startsWith(deliverPrefix)) return;
        const key = stringField(frame, 'clientId');
        if (key !== undefined) transport.onDeliver(key);
      }),
    );
    sockets.push(...recipients);
    const onAckFrame = (frame: string) => {
      if (!OK_ACK.test(frame)) return;
      const key = stringField(frame, 'clientId');
      if (key !== undefined) transport.onAck(key);
    };
    const transport: DirectTransport = {
      pairs,
      onAck: ignore,
      onDeliver: ignore,
      send(pair, key) {
        senders[pair]?.emit(options.event, options.payload(pair, key), onAckFrame);
      },
      close: async () => {
        for (const socket of sockets) socket.close();
      },
    };
    return transport;
  } catch (error) {
    for (const socket of sockets) socket.close();
    throw error;
  }
}

/**
 * `protocol`: the bare server answers as a chat server must (the message to the sender's sockets
 * too); `recipient-only`: the lighter baseline of the first rounds, without the sender's copy.
 */
export function bareSocketIoPairs(url: string, pairs: number, traffic: 'protocol' | 'recipient-only' = 'protocol'): Promise<DirectTransport> {
  const ids = Array.from({ length: pairs }, (_, p) => p);
  return socketIoPairs({
    url,
    senders: ids.map((p) => ({ id: `s${p}` })),
    recipients: ids.map((p) => ({ id: `r${p}` })),
    event: traffic === 'protocol' ? 'send' : 'send-to-recipient',
    payload: (pair, key) => ({ id: key, to: `r${pair}`, text: MESSAGE_TEXT }),
    deliverEvent: 'deliver',
  });
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
