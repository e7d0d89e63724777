/**
 * Long-polling answers a client never reads: each poll over a new connection, paused. The
 * watch adds up what a session's connections still hold unsent and drops the session past the
 * cap (server/socket/polling-backlog.ts); sessions that read are never touched.
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { watchPollingBacklog } from '../../server/socket/polling-backlog';
import { closeHttpServer } from './helpers/http';

const MB = 1024 * 1024;
// More than loopback's socket buffers take, so that an answer nobody reads stays in the server.
const ANSWER = Buffer.alloc(24 * MB, 0x61);
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** An HTTP server answering every poll under /socket.io/ with 24 MB, watched with a 4 MB cap. */
async function pollingServer(): Promise<{ port: number; dropped: string[]; answered: () => number }> {
  const dropped: string[] = [];
  let answered = 0;
  const server = http.createServer((_request, response) => {
    answered++;
    response.end(ANSWER);
  });
  watchPollingBacklog(server, '/socket.io/', 4 * MB, (sessionId) => dropped.push(sessionId));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => closeHttpServer(server));
  return { port: (server.address() as AddressInfo).port, dropped, answered: () => answered };
}

/** A poll on a new connection that never reads its answer; resolves with the connection. */
function unreadPoll(port: number, sid: string): Promise<net.Socket> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(`GET /socket.io/?EIO=4&transport=polling&sid=${sid} HTTP/1.1\r\nHost: x\r\n\r\n`);
      socket.pause();
      resolve(socket);
    });
    socket.on('error', () => undefined);
    cleanups.push(() => void socket.destroy());
  });
}

describe('long-polling answers left unread', () => {
  it('drop the session once its connections hold more than the cap, and close those connections', async () => {
    const { port, dropped, answered } = await pollingServer();
    const held: net.Socket[] = [];
    // Each unread answer stays mostly in the server's buffers; within a few polls the cap is passed.
    for (let i = 0; i < 10 && dropped.length === 0; i++) {
      held.push(await unreadPoll(port, 'hoarder'));
      await expect.poll(answered).toBe(i + 1);
    }
    expect(dropped).toEqual(['hoarder']);
    // The earlier poll's connection was cut: reading it again ends in its close, not 24 MB.
    const first = held[0];
    if (first === undefined) throw new Error('no poll');
    const closed = once(first, 'close');
    let read = 0;
    first.on('data', (chunk: Buffer) => (read += chunk.length));
    first.resume();
    await closed;
    expect(read).toBeLessThan(ANSWER.length);
  });

  it('leave a session that reads its answers alone', async () => {
    const { port, dropped } = await pollingServer();
    for (let i = 0; i < 4; i++) {
      const answer = await fetch(`http://127.0.0.1:${port}/socket.io/?EIO=4&transport=polling&sid=reader`);
      expect((await answer.arrayBuffer()).byteLength).toBe(ANSWER.length);
    }
    expect(dropped).toEqual([]);
  });
});
