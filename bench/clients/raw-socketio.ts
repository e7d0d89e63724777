/**
 * A minimal Socket.IO v4 client over `ws`, for receivers only: the Engine.IO handshake, the
 * namespace connect with auth, ping/pong, one ack'ed emit, and event frames handed over as raw
 * text. Far cheaper than socket.io-client per packet, so that hundreds of receivers in a few
 * generator processes do not lag behind the server they measure. Same wire as any client.
 */
import { WebSocket } from 'ws';

export interface RawSocket {
  /** Emits an event with one argument and waits for its ack. */
  emitWithAck(event: string, arg: unknown, timeoutMs?: number): Promise<void>;
  close(): void;
}

export function connectRaw(url: string, auth: Record<string, string>, onEvent: (frame: string) => void, timeoutMs = 20_000): Promise<RawSocket> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, { perMessageDeflate: false });
  const acks = new Map<number, () => void>();
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
        const id = Number(/^43(\d+)/.exec(frame)?.[1]);
        acks.get(id)?.();
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
