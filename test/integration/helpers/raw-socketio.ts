/**
 * A Socket.IO client over a raw websocket (the wire protocol by hand), for what socket.io-client
 * does not let a test do: stop reading, write many frames in one system call, or connect from
 * another loopback address (127.0.0.2: the server sees another peer).
 */
import { once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { WebSocket } from 'ws';

export async function rawClientWithTcp(url: string, token: string, localAddress?: string): Promise<{ ws: WebSocket; tcp: Socket }> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, localAddress === undefined ? {} : { localAddress });
  const upgraded = once(ws, 'upgrade') as Promise<[IncomingMessage]>;
  await new Promise<void>((resolve, reject) => {
    ws.on('error', reject);
    ws.on('message', (data: Buffer) => {
      const frame = data.toString('utf8');
      if (frame.startsWith('0')) ws.send(`40${JSON.stringify({ token })}`);
      else if (frame.startsWith('40')) resolve();
      else if (frame.startsWith('44')) reject(new Error(`connect refused: ${frame}`));
    });
  });
  const [response] = await upgraded;
  return { ws, tcp: response.socket as Socket };
}

export async function rawClient(url: string, token: string, localAddress?: string): Promise<WebSocket> {
  return (await rawClientWithTcp(url, token, localAddress)).ws;
}
