/**
 * Socket.IO on the chat server's HTTP server: frames capped at 64 KiB, a bearer token checked
 * at the handshake, every socket in its user's room, every event through the dispatcher.
 */
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { LIMITS } from '../../protocol';
import type { Accounts } from '../chat/accounts';
import { userRoom } from '../chat/fanout';
import type { Logger } from '../chat/logger';
import type { EventDispatcher } from './dispatch';
import type { PresenceTracker } from './presence-tracker';
import type { ChatIo } from './types';

export function createSocketServer(httpServer: HttpServer, deps: { accounts: Accounts; dispatcher: EventDispatcher; presence: PresenceTracker; log: Logger }): ChatIo {
  const io: ChatIo = new Server(httpServer, {
    maxHttpBufferSize: LIMITS.socketFrameMax,
    // Clients authenticate with a token in the handshake, never with cookies: any origin may connect.
    cors: { origin: '*' },
    serveClient: false,
    connectTimeout: 10_000,
  });

  io.use((socket, next) => {
    const auth: unknown = socket.handshake.auth;
    const token = typeof auth === 'object' && auth !== null && 'token' in auth ? auth.token : undefined;
    const session = typeof token === 'string' && token.length <= 512 ? deps.accounts.authenticate(token) : undefined;
    if (session === undefined) {
      next(new Error('unauthorized'));
      return;
    }
    socket.data.userId = session.user.id;
    socket.data.tokenHash = session.tokenHash;
    next();
  });

  io.on('connection', (socket) => {
    const { userId } = socket.data;
    void socket.join(userRoom(userId));
    deps.presence.connected(userId);
    // A client may emit an event named "error"; without a listener Node would throw it.
    socket.on('error', (error) => deps.log.error(`socket ${socket.id} error`, error));
    socket.onAny((event: string, ...args: unknown[]) => deps.dispatcher.dispatch(socket.id, { userId }, event, args));
    socket.on('disconnect', () => deps.presence.disconnected(userId));
  });

  return io;
}

/** Ends the sockets opened with a session that has just logged out. */
export async function disconnectSession(io: ChatIo, userId: string, tokenHash: string): Promise<void> {
  const sockets = await io.in(userRoom(userId)).fetchSockets();
  for (const socket of sockets) {
    if (socket.data.tokenHash === tokenHash) socket.disconnect(true);
  }
}
