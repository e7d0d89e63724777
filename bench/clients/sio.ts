/** socket.io-client connections for the generator: websocket only, no reconnection, bounded waits. */
import { io, type Socket } from 'socket.io-client';

export async function connectSocket(url: string, auth: Record<string, string>, timeoutMs = 20_000): Promise<Socket> {
  const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false, auth, timeout: timeoutMs });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`socket to ${url} did not connect in ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once('connect_error', (error) => {
      clearTimeout(timer);
      socket.close();
      reject(error);
    });
  });
  return socket;
}

/** Runs `make` for 0..count-1 with at most `concurrency` at once, keeping order of results. */
export async function inBatches<T>(count: number, concurrency: number, make: (index: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array<T>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      out[index] = await make(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return out;
}

export function closeAll(sockets: readonly Socket[]): void {
  for (const socket of sockets) socket.close();
}
