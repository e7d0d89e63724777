/**
 * A TCP proxy in front of a test server that can make one answer late, as a busy server would:
 * once armed, the first server→client chunk containing `marker` and everything after it on that
 * connection are held back until the client sends anything more (its next request, or a retry).
 */
import net from 'node:net';

export interface HoldingProxy {
  /** `http://127.0.0.1:port` of the proxy. */
  url: string;
  /** Holds the next answer containing this text. */
  arm(marker: string): void;
  /** How many times an answer was held, then let through. */
  readonly releases: number;
  close(): Promise<void>;
}

export async function startHoldingProxy(target: string): Promise<HoldingProxy> {
  const { hostname, port } = new URL(target);
  let marker: string | undefined;
  let releases = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(port), hostname);
    sockets.add(client).add(upstream);
    let held: Buffer[] | undefined;
    upstream.on('data', (chunk: Buffer) => {
      if (held === undefined && marker !== undefined && chunk.includes(marker)) {
        marker = undefined;
        held = [];
      }
      if (held === undefined) client.write(chunk);
      else held.push(chunk);
    });
    client.on('data', (chunk: Buffer) => {
      if (held !== undefined) {
        for (const part of held) client.write(part);
        held = undefined;
        releases++;
      }
      upstream.write(chunk);
    });
    const end = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    arm(text) {
      marker = text;
    },
    get releases() {
      return releases;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
