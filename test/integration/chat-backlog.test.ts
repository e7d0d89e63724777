/**
 * A client that stops reading must not make the server hold what it is sent without bound: past
 * the backlog cap the server drops that socket, and keeps serving everyone else.
 */
import { once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { userRoom } from '../../server/chat/fanout';
import { HEAVY_PER_SOCKET } from '../../server/socket/dispatch';
import type { ChatSocket } from '../../server/socket/types';
import { createChatWorld, type ChatWorld } from './helpers/chat-world';
import { call } from './helpers/sockets';

const BACKLOG_MAX = 512 * 1024;

/** A Socket.IO client over a raw websocket, so that the test can stop reading it. */
async function rawClient(url: string, token: string): Promise<WebSocket> {
  return (await rawClientWithTcp(url, token)).ws;
}

/** The same, with its TCP socket, so that the test can write many frames in one system call. */
async function rawClientWithTcp(url: string, token: string): Promise<{ ws: WebSocket; tcp: Socket }> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`);
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

describe('sockets that stop reading', () => {
  let world: ChatWorld;
  beforeAll(async () => {
    world = await createChatWorld({
      socketBacklogMaxBytes: BACKLOG_MAX,
      limits: {
        messagesPerUser: { burst: 100_000, perSecond: 100_000 },
        eventsPerSocket: { burst: 100_000, perSecond: 100_000 },
        listsPerUser: { burst: 100_000, perSecond: 100_000 },
      },
    });
  });
  afterAll(async () => {
    await world.close();
  });

  it('are dropped once they hold more than the cap unread, and everyone else is still served', async () => {
    const sender = await world.user();
    const reader = await world.user();
    const { conversation } = await world.contacts(sender, reader);
    reader.socket.close();
    const ws = await rawClient(world.url, reader.token);
    const { io } = world.server.server;
    const readerSockets = async () => (await io.in(userRoom(reader.user.id)).fetchSockets()).length;
    await expect.poll(readerSockets).toBe(1);
    // It reads nothing from now on: what the server sends it piles up (TCP buffers first).
    ws.pause();
    const text = '往来'.repeat(2000);
    let sent = 0;
    while ((await readerSockets()) > 0 && sent < 4000) {
      for (let i = 0; i < 50; i++) {
        const ack = await call(sender.socket, 'messages:send', { conversationId: conversation.id, clientId: `flood-${String(sent).padStart(6, '0')}`, text });
        expect(ack.message.seq).toBe(sent + 1);
        sent++;
      }
    }
    expect(await readerSockets()).toBe(0);
    // Dropped well before everything sent was held: 12 KB a message, a few MB of TCP buffers.
    expect(sent).toBeLessThan(4000);
    expect(await call(sender.socket, 'conversations:list', {})).toMatchObject({ ok: true });
    ws.terminate();
  });

  it('are dropped as the answers to a burst read at once pile up, not once all of them are held', async () => {
    const sender = await world.user();
    const reader = await world.user();
    const { conversation } = await world.contacts(sender, reader);
    const text = '往来'.repeat(2000);
    for (let i = 0; i < 10; i++) await call(sender.socket, 'messages:send', { conversationId: conversation.id, clientId: `long-${String(i).padStart(4, '0')}`, text });
    const since = { [conversation.id]: 0 };
    const answerBytes = Buffer.byteLength(JSON.stringify(await call(reader.socket, 'messages:sync', { since })));
    expect(answerBytes).toBeGreaterThan(BACKLOG_MAX / 8);
    reader.socket.close();
    const { ws, tcp } = await rawClientWithTcp(world.url, reader.token);
    const { io } = world.server.server;
    await expect.poll(async () => (await io.in(userRoom(reader.user.id)).fetchSockets()).length).toBe(1);
    const serverSide = [...io.sockets.sockets.values()].find((socket: ChatSocket) => socket.data.userId === reader.user.id);
    if (serverSide === undefined) throw new Error('no server socket for the reader');
    let queued = 0;
    serverSide.conn.on('packetCreate', (packet: { data?: unknown }) => {
      if (typeof packet.data === 'string') queued += Buffer.byteLength(packet.data);
    });
    const dropped = once(serverSide, 'disconnect');
    const reads = vi.spyOn(world.server.server.store, 'messagesAfter');
    // It reads nothing, and asks for 40 answers of the same size in one write: the server reads
    // them at once and lets every one through before the first answer is queued.
    ws.pause();
    tcp.cork();
    for (let i = 0; i < 40; i++) ws.send(`42${100 + i}${JSON.stringify(['messages:sync', { since }])}`);
    tcp.uncork();
    await dropped;
    // Dropped as the backlog passed the cap: never more than the cap and the answer that crossed it.
    expect(queued).toBeLessThanOrEqual(BACKLOG_MAX + 2 * answerBytes);
    // Nor were the other answers built: a few at a time were, and none after the drop.
    expect(reads.mock.calls.length).toBeLessThanOrEqual(Math.ceil(BACKLOG_MAX / answerBytes) + 1 + HEAVY_PER_SOCKET);
    reads.mockRestore();
    expect(await call(sender.socket, 'conversations:list', {})).toMatchObject({ ok: true });
    ws.terminate();
  });
});

describe('one connection, many connects', () => {
  it('carries one socket at a time, and leaves nothing behind of the sockets it ended', async () => {
    const world = await createChatWorld();
    try {
      const user = await world.user();
      const room = async () => (await world.server.server.io.in(userRoom(user.user.id)).fetchSockets()).length;
      const ws = new WebSocket(`${world.url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`);
      let tcp: Socket | undefined;
      ws.once('upgrade', (response: IncomingMessage) => {
        tcp = response.socket as Socket;
      });
      const closed = once(ws, 'close');
      ws.on('message', (data: Buffer) => {
        if (!data.toString('utf8').startsWith('0')) return;
        // 50 connect packets in one write, read at once: Socket.IO would accept every one of them.
        tcp?.cork();
        for (let i = 0; i < 50; i++) ws.send(`40${JSON.stringify({ token: user.token })}`);
        tcp?.uncork();
      });
      await closed;
      // Only the user's own socket from world.user() is left.
      await expect.poll(room).toBe(1);

      // Connect and disconnect again and again over one connection.
      const cycling = new WebSocket(`${world.url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`);
      let connects = 0;
      let opened = false;
      cycling.on('message', (data: Buffer) => {
        const frame = data.toString('utf8');
        if (frame.startsWith('0')) opened = true;
        if (frame.startsWith('40{"sid"')) connects++;
      });
      await expect.poll(() => opened).toBe(true);
      for (let i = 1; i <= 30; i++) {
        cycling.send(`40${JSON.stringify({ token: user.token })}`);
        await expect.poll(() => connects).toBe(i);
        await expect.poll(room).toBe(2);
        cycling.send('41');
        await expect.poll(room).toBe(1);
      }
      const engine = world.server.server.io.engine as unknown as { clients: Record<string, { listenerCount(event: string): number }> };
      // Engine.io's and the write coalescer's own, and none for each socket that ended (30 before).
      for (const conn of Object.values(engine.clients)) expect(conn.listenerCount('packetCreate')).toBeLessThan(5);
      cycling.close();
    } finally {
      await world.close();
    }
  });
});
