/**
 * Baseline: bare Socket.IO doing the least a chat server must do, with no validation and no
 * storage. A 1:1 `send` is answered as PROTOCOL.md §3 has a chat server answer it: the ack to the
 * sending socket, and the message to every socket of both users (the recipient's, and the
 * sender's own: every socket of a user receives that user's events), one broadcast serialised
 * once. Same server options as a real chat server, and what it emits has the shape and size of a
 * protocol Message, so that the comparison is about the work of the chat server, not about the
 * frames on the wire. `send-to-recipient` leaves out the sender's copy: the lighter baseline of
 * the first rounds, still measured as context.
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
    io.to([`user:${user}`, `user:${payload.to}`]).emit('deliver', message);
  });
  socket.on('send-to-recipient', (payload: DirectPayload, ack: (r: { ok: true; id: string; message: object }) => void) => {
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
