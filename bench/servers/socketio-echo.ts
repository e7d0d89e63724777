/**
 * Baseline: bare Socket.IO doing the least a chat server must do — ack the sender, emit to the
 * recipient's room — with no validation, no storage. Same server options as a real chat server,
 * and what it emits has the shape and size of a protocol Message, so that the comparison is
 * about the work of the chat server, not about bytes on the wire.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { serveBench } from './bench-server';

interface DirectPayload {
  id: string;
  to: string;
  text: string;
}

interface GroupPayload {
  id: string;
  room: string;
  text: string;
}

let seq = 0;
const conversationId = randomUUID();

function asMessage(sender: string, payload: { id: string; text: string }) {
  return { id: randomUUID(), conversationId, seq: ++seq, senderId: sender, clientId: payload.id, kind: 'text', text: payload.text, createdAt: Date.now() };
}

const httpServer = createServer();
const io = new Server(httpServer, { maxHttpBufferSize: 64 * 1024 });

io.on('connection', (socket) => {
  const auth: unknown = socket.handshake.auth;
  const user = typeof auth === 'object' && auth !== null && typeof (auth as { id?: unknown }).id === 'string' ? (auth as { id: string }).id : socket.id;
  void socket.join(`user:${user}`);
  socket.on('send', (payload: DirectPayload, ack: (r: { ok: true; id: string; message: object }) => void) => {
    const message = asMessage(user, payload);
    ack({ ok: true, id: payload.id, message });
    io.to(`user:${payload.to}`).emit('deliver', message);
  });
  socket.on('join', (room: string, ack: () => void) => {
    void socket.join(room);
    ack();
  });
  socket.on('group', (payload: GroupPayload, ack: (r: { ok: true; id: string; message: object }) => void) => {
    const message = asMessage(user, payload);
    ack({ ok: true, id: payload.id, message });
    io.to(payload.room).emit('deliver', message);
  });
});

httpServer.listen(0, '127.0.0.1', () => {
  const { port } = httpServer.address() as AddressInfo;
  serveBench(`http://127.0.0.1:${port}`, {}, () => new Promise<void>((done) => void io.close(() => done())));
});
