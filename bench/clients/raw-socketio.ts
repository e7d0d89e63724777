/**
 * A minimal Socket.IO v4 client over `ws` for the load generators: the Engine.IO handshake, the
 * namespace connect with auth, ping/pong, emits with acks, and event and ack frames handed over
 * as raw text. Far cheaper than socket.io-client per packet (it parses nothing it is not asked
 * to), so that the generator does not take the CPU of the server it measures on a machine they
 * share. Same wire as any client.
 */
import { WebSocket } from 'ws';

export interface RawSocket {
  /** Emits an event with one argument and waits for its ack. */
  emitWithAck(event: string, arg: unknown, timeoutMs?: number): Promise<void>;
  /**
   * Emits an event with one argument; `onAck` gets the ack's frame as text (`43<id>[...]`).
   * No timer per emit: the caller bounds its own waits.
   */
  emit(event: string, arg: unknown, onAck: (frame: string) => void): void;
  close(): void;
}

export function connectRaw(url: string, auth: Record<string, string>, onEvent: (frame: string) => void, timeoutMs = 20_000): Promise<RawSocket> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, { perMessageDeflate: false });
  const acks = new Map<number, (frame: string) => void>();
  let nextAck = 0;
  const socket: RawSocket = {
    emitWithAck(event, arg, ackTimeoutMs = 20_000) {
      const id = nextAck++;
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          acks.delete(id);
          reject(new Error(`${event}: no ack`));
        }, ackTimeoutMs);
        acks.set(id, () => {
          clearTimeout(timer);
          resolve();
        });
        ws.send(`42${id}${JSON.stringify([event, arg])}`);
      });
    },
    emit(event, arg, onAck) {
      const id = nextAck++;
      acks.set(id, onAck);
      ws.send(`42${id}${JSON.stringify([event, arg])}`);
    },
    close: () => ws.terminate(),
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error('raw socket did not connect in time'));
    }, timeoutMs);
    ws.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    ws.on('message', (data) => {
      const frame = data.toString();
      const type = frame.charCodeAt(0);
      if (frame.startsWith('42')) onEvent(frame);
      else if (frame === '2') ws.send('3');
      else if (frame.startsWith('43')) {
        const id = ackId(frame);
        acks.get(id)?.(frame);
        acks.delete(id);
      } else if (type === 0x30 /* '0' open */) ws.send(`40${JSON.stringify(auth)}`);
      else if (frame.startsWith('40')) {
        clearTimeout(timer);
        resolve(socket);
      } else if (frame.startsWith('44')) {
        clearTimeout(timer);
        ws.terminate();
        reject(new Error(`connect refused: ${frame.slice(2)}`));
      }
    });
  });
}

/** The ack id of a `43<id>[...]` frame, read without a regular expression (one per message). */
function ackId(frame: string): number {
  let id = 0;
  for (let i = 2; i < frame.length; i++) {
    const digit = frame.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) break;
    id = id * 10 + digit;
  }
  return id;
}

/** The string value of `"name":"…"` in a frame (keys and ids here need no unescaping), or undefined. */
export function stringField(frame: string, name: string): string | undefined {
  const marker = `"${name}":"`;
  const start = frame.indexOf(marker);
  if (start < 0) return undefined;
  const from = start + marker.length;
  const end = frame.indexOf('"', from);
  return end < 0 ? undefined : frame.slice(from, end);
}
