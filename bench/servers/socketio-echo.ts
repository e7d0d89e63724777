/**
 * Baseline: bare Socket.IO doing the least a chat server must do — ack the sender, emit to the
 * recipient's room — with no validation, no storage. Same server options as a real chat server.
 */
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

const httpServer = createServer();
const io = new Server(httpServer, { maxHttpBufferSize: 64 * 1024 });

io.on('connection', (socket) => {
  const auth: unknown = socket.handshake.auth;
  const user = typeof auth === 'object' && auth !== null && typeof (auth as { id?: unknown }).id === 'string' ? (auth as { id: string }).id : socket.id;
  void socket.join(`user:${user}`);
  socket.on('send', (payload: DirectPayload, ack: (r: { ok: true; id: string }) => void) => {
    ack({ ok: true, id: payload.id });
    io.to(`user:${payload.to}`).emit('deliver', payload);
  });
  socket.on('join', (room: string, ack: () => void) => {
    void socket.join(room);
    ack();
  });
  socket.on('group', (payload: GroupPayload, ack: (r: { ok: true; id: string }) => void) => {
    ack({ ok: true, id: payload.id });
    io.to(payload.room).emit('deliver', payload);
  });
});

httpServer.listen(0, '127.0.0.1', () => {
  const { port } = httpServer.address() as AddressInfo;
  serveBench(`http://127.0.0.1:${port}`, {}, () => new Promise<void>((done) => void io.close(() => done())));
});
