/**
 * A client that stops reading must not make the server hold what it is sent without bound: past
 * the backlog cap the server drops that socket, and keeps serving everyone else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { userRoom } from '../../server/chat/fanout';
import { createChatWorld, type ChatWorld } from './helpers/chat-world';
import { call } from './helpers/sockets';

const BACKLOG_MAX = 512 * 1024;

/** A Socket.IO client over a raw websocket, so that the test can stop reading it. */
async function rawClient(url: string, token: string): Promise<WebSocket> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`);
  await new Promise<void>((resolve, reject) => {
    ws.on('error', reject);
    ws.on('message', (data: Buffer) => {
      const frame = data.toString('utf8');
      if (frame.startsWith('0')) ws.send(`40${JSON.stringify({ token })}`);
      else if (frame.startsWith('40')) resolve();
      else if (frame.startsWith('44')) reject(new Error(`connect refused: ${frame}`));
    });
  });
  return ws;
}

describe('sockets that stop reading', () => {
  let world: ChatWorld;
  beforeAll(async () => {
    world = await createChatWorld({
      socketBacklogMaxBytes: BACKLOG_MAX,
      limits: { messagesPerUser: { burst: 100_000, perSecond: 100_000 }, eventsPerSocket: { burst: 100_000, perSecond: 100_000 } },
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
});
