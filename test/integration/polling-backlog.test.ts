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
import { type PollingBacklog, watchPollingBacklog } from '../../server/socket/polling-backlog';
import { closeHttpServer } from './helpers/http';

const MB = 1024 * 1024;
// More than loopback's socket buffers take, so that an answer nobody reads stays in the server.
const ANSWER = Buffer.alloc(24 * MB, 0x61);
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * An HTTP server answering every poll under /socket.io/ with 24 MB (or with a few bytes for a
 * session it does not know), watched with a 4 MB cap; the sessions it knows are `known`.
 */
async function pollingServer(known: readonly string[] = ['hoarder', 'reader']): Promise<{ port: number; dropped: string[]; answered: () => number; connections: net.Socket[]; watch: PollingBacklog }> {
  const dropped: string[] = [];
  const connections: net.Socket[] = [];
  let answered = 0;
  const server = http.createServer((request, response) => {
    answered++;
    const sid = new URL(request.url ?? '/', 'http://x').searchParams.get('sid') ?? '';
    response.end(known.includes(sid) ? ANSWER : 'Session ID unknown');
  });
  server.on('connection', (socket: net.Socket) => connections.push(socket));
  const watch = watchPollingBacklog(server, '/socket.io/', 4 * MB, (sid) => known.includes(sid), (sessionId) => dropped.push(sessionId));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => closeHttpServer(server));
  return { port: (server.address() as AddressInfo).port, dropped, answered: () => answered, connections, watch };
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

  it('track only sessions that exist, with one close listener a connection whatever sessions it carries', async () => {
    const { port, connections, answered } = await pollingServer(['s1', 's2', 's3']);
    // One keep-alive connection: 500 made-up session ids, then three real ones, each polled twice.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    cleanups.push(() => agent.destroy());
    const get = (sid: string): Promise<void> =>
      new Promise((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port, path: `/socket.io/?EIO=4&transport=polling&sid=${sid}`, agent }, (response) => {
            response.resume();
            response.on('end', () => resolve());
          })
          .on('error', reject);
      });
    const before = connections.length;
    // Twice, so that Node's own per-request listeners have settled.
    await get('s1');
    await get('made-up');
    const used = connections.slice(before);
    expect(used).toHaveLength(1);
    const listening = used[0]?.listenerCount('close');
    for (let i = 0; i < 500; i++) await get(`made-up-${i}`);
    for (const sid of ['s2', 's3', 's1', 's2', 's3']) await get(sid);
    expect(answered()).toBe(507);
    expect(connections).toHaveLength(before + 1);
    expect(used[0]?.listenerCount('close')).toBe(listening);
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
