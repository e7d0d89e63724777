/**
 * Each connection's packets of one burst leave in one write (server/socket/write-coalescer.ts):
 * a send's ack and the sender's own `message:new` reach the sending websocket in one system
 * call. Observed on the server's side of the TCP connection, where Node hands each `writev`
 * to the stream's `_writev`, for a connection that opened as a websocket and for one upgraded
 * from long-polling (socket.io-client's default).
 */
import type { Socket as TcpSocket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatSocket } from '../../server/socket/types';
import { createChatWorld, type ChatWorld } from './helpers/chat-world';
import { call, connectClient, waitForEvent } from './helpers/sockets';

/** Records what the server's side of a connection writes, one entry per write handed to the OS. */
function recordWrites(tcp: TcpSocket): string[] {
  const writes: string[] = [];
  const stream = tcp as unknown as {
    _write(chunk: Buffer | string, encoding: BufferEncoding, done: (error?: Error | null) => void): void;
    _writev(chunks: { chunk: Buffer | string }[], done: (error?: Error | null) => void): void;
  };
  const write = stream._write.bind(tcp);
  const writev = stream._writev.bind(tcp);
  stream._write = (chunk, encoding, done) => {
    writes.push(Buffer.from(chunk).toString('latin1'));
    write(chunk, encoding, done);
  };
  stream._writev = (chunks, done) => {
    writes.push(chunks.map(({ chunk }) => Buffer.from(chunk).toString('latin1')).join(''));
    writev(chunks, done);
  };
  return writes;
}

function serverSocketOf(world: ChatWorld, userId: string, clientSocketId: string | undefined): ChatSocket {
  for (const socket of world.server.server.io.sockets.sockets.values()) {
    if (socket.data.userId === userId && socket.id === clientSocketId) return socket;
  }
  throw new Error('no such server socket');
}

describe('write coalescing', () => {
  let world: ChatWorld;
  beforeEach(async () => {
    world = await createChatWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  it("sends a send's ack and the sender's own message:new in one write", async () => {
    const alice = await world.user();
    const bob = await world.user();
    const { conversation } = await world.contacts(bob, alice);
    const sender = world.track(await connectClient(world.url, alice.token, { transports: ['websocket'] }));
    const server = serverSocketOf(world, alice.user.id, sender.id);
    const writes = recordWrites(server.conn.request.socket as TcpSocket);
    for (let i = 0; i < 10; i++) {
      const clientId = `coalesce-${String(i).padStart(4, '0')}`;
      const own = waitForEvent(sender, 'message:new', { filter: (m) => m.clientId === clientId });
      const delivered = waitForEvent(bob.socket, 'message:new', { filter: (m) => m.clientId === clientId });
      const { message } = await call(sender, 'messages:send', { conversationId: conversation.id, clientId, text: `hello ${i}` });
      expect((await own).id).toBe(message.id);
      expect((await delivered).id).toBe(message.id);
      const carrying = writes.filter((w) => w.includes(`"clientId":"${clientId}"`));
      expect(carrying).toHaveLength(1);
      // Both frames in that one write: the event and the ack (engine.io "4", Socket.IO "2" event, "3" ack).
      expect(carrying[0]).toContain('42["message:new",');
      expect(carrying[0]?.match(/"clientId":"coalesce-\d{4}"/g)).toHaveLength(2);
    }
  });

  it('does the same for a websocket upgraded from long-polling, on the socket of its upgrade', async () => {
    const alice = await world.user();
    const bob = await world.user();
    const { conversation } = await world.contacts(bob, alice);
    let upgradeSocket: TcpSocket | undefined;
    world.server.server.io.httpServer.once('upgrade', (_request: unknown, socket: TcpSocket) => {
      upgradeSocket = socket;
    });
    const upgraded = world.track(await connectClient(world.url, alice.token, { transports: ['polling', 'websocket'] }));
    await expect.poll(() => serverSocketOf(world, alice.user.id, upgraded.id).conn.transport.name).toBe('websocket');
    if (upgradeSocket === undefined) throw new Error('no upgrade seen');
    const writes = recordWrites(upgradeSocket);
    for (let i = 0; i < 5; i++) {
      const clientId = `upgraded-${String(i).padStart(4, '0')}`;
      const own = waitForEvent(upgraded, 'message:new', { filter: (m) => m.clientId === clientId });
      const { message } = await call(upgraded, 'messages:send', { conversationId: conversation.id, clientId, text: `hi ${i}` });
      expect((await own).id).toBe(message.id);
      const carrying = writes.filter((w) => w.includes(`"clientId":"${clientId}"`));
      expect(carrying).toHaveLength(1);
      expect(carrying[0]?.match(/"clientId":"upgraded-\d{4}"/g)).toHaveLength(2);
    }
  });
});
