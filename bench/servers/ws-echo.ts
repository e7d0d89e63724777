/**
 * Baseline: a raw `ws` server acking the sender and sending a Message-shaped object to the
 * recipient and back to the sender (the frames PROTOCOL.md §3 has a 1:1 send cause) — the floor
 * under Socket.IO.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { serveBench } from './bench-server';

const httpServer = createServer();
const wss = new WebSocketServer({ server: httpServer, maxPayload: 64 * 1024 });
const byUser = new Map<string, WebSocket>();
const conversationId = randomUUID();
let seq = 0;

wss.on('connection', (socket, request) => {
  const user = new URL(request.url ?? '/', 'http://localhost').searchParams.get('id') ?? '';
  byUser.set(user, socket);
  socket.on('close', () => {
    if (byUser.get(user) === socket) byUser.delete(user);
  });
  socket.on('message', (data) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(data.toString());
    } catch {
      return;
    }
    if (typeof parsed !== 'object' || parsed === null) return;
    const { id, to, text } = parsed as { id?: unknown; to?: unknown; text?: unknown };
    if (typeof id !== 'string' || typeof to !== 'string' || typeof text !== 'string') return;
    const message = { id: randomUUID(), conversationId, seq: ++seq, senderId: user, clientId: id, kind: 'text', text, createdAt: Date.now() };
    socket.send(JSON.stringify({ ack: id, message }));
    const deliver = JSON.stringify({ deliver: message });
    socket.send(deliver);
    byUser.get(to)?.send(deliver);
  });
});

httpServer.listen(0, '127.0.0.1', () => {
  const { port } = httpServer.address() as AddressInfo;
  serveBench(`http://127.0.0.1:${port}`, {}, () => new Promise<void>((done) => wss.close(() => httpServer.close(() => done()))));
});
