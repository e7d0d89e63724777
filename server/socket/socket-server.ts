/**
 * Socket.IO on the chat server's HTTP server: frames capped at 64 KiB, a bearer token checked
 * at the handshake, every socket in its user's room, every event through the dispatcher, each
 * connection's writes of one burst in one system call, and a bounded close of everything the
 * HTTP server carries.
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { Server } from 'socket.io';
import { LIMITS } from '../../protocol';
import type { Accounts } from '../chat/accounts';
import { userRoom } from '../chat/fanout';
import type { Logger } from '../chat/logger';
import { withDeadline } from '../deadline';
import { answerUpgradesAsPlainRequests } from '../http/plain-upgrades';
import { addressKey } from '../http/address-key';
import type { DispatchPeer, EventDispatcher } from './dispatch';
import type { PresenceTracker } from './presence-tracker';
import { BacklogWatch, outgoingBacklog } from './backlog';
import { closeSocketsGracefully, websocketOf } from './close-sockets';
import { HttpConnections } from './http-connections';
import { watchPollingBacklog } from './polling-backlog';
import type { ChatIo, ChatSocket, EngineConnection } from './types';
import { WriteCoalescer } from './write-coalescer';

/** A socket that holds more than this, unread by its peer, is dropped (see backlog.ts). */
export const DEFAULT_BACKLOG_MAX_BYTES = 16 * 1024 * 1024;
const BACKLOG_SWEEP_MS = 1000;

export interface SocketServerDeps {
  accounts: Accounts;
  dispatcher: EventDispatcher;
  presence: PresenceTracker;
  log: Logger;
  backlogMaxBytes?: number;
}

export interface SocketServer {
  io: ChatIo;
  /** From now on engine.io refuses new sessions (403): the server is closing. */
  refuseSessions(): void;
  /**
   * Closes every session (close-sockets.ts), each kind of client given up to `deadlineMs`; then
   * stops accepting, lets the HTTP answers under way go out (up to `deadlineMs` more), and ends
   * every connection left, whatever its peer does. Resolves once the HTTP server is closed.
   */
  close(deadlineMs: number): Promise<void>;
}

export function createSocketServer(httpServer: HttpServer, deps: SocketServerDeps): SocketServer {
  const backlogMax = deps.backlogMaxBytes ?? DEFAULT_BACKLOG_MAX_BYTES;
  let refusing = false;
  const io: ChatIo = new Server(httpServer, {
    maxHttpBufferSize: LIMITS.socketFrameMax,
    // Clients authenticate with a token in the handshake, never with cookies: any origin may connect.
    cors: { origin: '*' },
    serveClient: false,
    // Upgrade requests to other paths are answered as plain requests (plain-upgrades.ts).
    destroyUpgrade: false,
    connectTimeout: 10_000,
    // A closing server keeps serving the requests of the sessions it has (polling clients collect
    // their last answers with them), but takes no new one: the client retries elsewhere or later.
    allowRequest: (_request, answer) => answer(refusing ? 'the server is shutting down' : null, !refusing),
  });
  // Every HTTP request under /socket.io/ is engine.io's; upgrade requests elsewhere are plain ones.
  const connections = new HttpConnections(httpServer, `${io.path()}/`);
  answerUpgradesAsPlainRequests(httpServer, `${io.path()}/`);
  const engineClients = (io.engine as unknown as { clients: Record<string, { close(discard?: boolean): void } | undefined> }).clients;
  // Own keys only: a `sid` of `constructor` or `__proto__` names no session.
  const isSession = (sessionId: string): boolean => Object.prototype.hasOwnProperty.call(engineClients, sessionId);
  const polling = watchPollingBacklog(httpServer, `${io.path()}/`, backlogMax, isSession, (sessionId, unsent) => {
    deps.log.info(`polling session ${sessionId} dropped: ${unsent} bytes of answers unread by its peer`);
    if (isSession(sessionId)) engineClients[sessionId]?.close(true);
  });
  const sessions = new Set<EngineConnection>();
  // Listeners here and below are shared by every connection or socket (`this` is the emitter):
  // a closure each cost every idle connection its function and context (bench scenario 5).
  function forgetSession(this: EngineConnection): void {
    sessions.delete(this);
    polling.forget((this as unknown as { id: string }).id);
  }
  io.engine.on('connection', (connection: EngineConnection) => {
    sessions.add(connection);
    // An engine.io session closes once.
    connection.on('close', forgetSession);
  });

  // Each connection's packets of one burst leave in one write (write-coalescer.ts). A session
  // that starts on long-polling moves to the TCP socket of its websocket upgrade, whose request
  // names the session (`sid`).
  const coalescer = new WriteCoalescer(deps.log);
  const upgradeSockets = new Map<string, Duplex>();
  httpServer.on('upgrade', (request: IncomingMessage, socket: Duplex) => {
    if (!(request.url ?? '').startsWith(`${io.path()}/`)) return;
    const sessionId = new URL(request.url ?? '/', 'http://localhost').searchParams.get('sid');
    if (sessionId === null) return;
    upgradeSockets.set(sessionId, socket);
    socket.once('close', () => {
      if (upgradeSockets.get(sessionId) === socket) upgradeSockets.delete(sessionId);
    });
  });
  io.engine.on('connection', (connection: unknown) => coalescer.attach(connection, (sessionId) => upgradeSockets.get(sessionId)));

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

  // The socket each connection carries. A client has one per namespace and this server has one
  // namespace; more on one connection (connect packets sent in one burst, which Socket.IO accepts
  // all) made every packet run every socket's listeners: 10,000 of them held the server 4 s a message.
  const socketOf = new WeakMap<EngineConnection, ChatSocket>();

  /** What the dispatcher knows of a socket; methods, not closures, for the same reason. */
  class SocketPeer implements DispatchPeer {
    readonly socketId: string;
    constructor(
      private readonly socket: ChatSocket,
      readonly address: string,
      /** The socket's backlog, counted as packets are queued (backlog.ts); stopped once it ends. */
      readonly watch: BacklogWatch,
    ) {
      this.socketId = socket.id;
    }

    open(): boolean {
      return this.socket.connected && !this.dropIfOver();
    }

    backlog(): number {
      return this.watch.bytes();
    }

    /** Drops the socket when its backlog is over the cap; in constant time, as it runs per event. */
    dropIfOver(): boolean {
      const backlog = this.watch.bytes();
      if (backlog <= backlogMax) return false;
      drop(this.socket, backlog);
      return true;
    }
  }
  const peers = new WeakMap<ChatSocket, SocketPeer>();

  // A client may emit an event named "error"; without a listener Node would throw it. Its
  // payload is the client's, so it is not logged (a socket flooding such events filled the log
  // at network speed); only an Error Socket.IO itself raises is, by its message.
  function onSocketError(this: ChatSocket, error: unknown): void {
    if (error instanceof Error) deps.log.error(`socket ${this.id} error: ${error.message.slice(0, 200)}`);
  }
  function onSocketEvent(this: ChatSocket, event: string, ...args: unknown[]): void {
    const peer = peers.get(this);
    // Another answer onto a backlog already over the cap would only grow it.
    if (peer === undefined || peer.dropIfOver()) return;
    deps.dispatcher.dispatch(peer, { userId: this.data.userId }, event, args);
  }
  function onSocketDisconnect(this: ChatSocket): void {
    peers.get(this)?.watch.stop();
    peers.delete(this);
    if (socketOf.get(this.conn) === this) socketOf.delete(this.conn);
    deps.presence.disconnected(this.data.userId);
  }

  io.on('connection', (socket) => {
    const { userId } = socket.data;
    const other = socketOf.get(socket.conn);
    if (other !== undefined && other.connected) {
      // No client does this; the connection goes, with the socket it had.
      socket.disconnect(true);
      return;
    }
    socketOf.set(socket.conn, socket);
    void socket.join(userRoom(userId));
    deps.presence.connected(userId);
    socket.on('error', onSocketError);
    // Answers to a burst of events read at once are queued after all of them were let through.
    const watch = new BacklogWatch(socket.conn, backlogMax, (backlog) => drop(socket, backlog));
    peers.set(socket, new SocketPeer(socket, addressKey(socket.handshake.address), watch));
    socket.onAny(onSocketEvent);
    socket.on('disconnect', onSocketDisconnect);
  });

  /** By a walk of the buffer: the sweep's once-a-second look, which no client can make more often. */
  function dropIfBacklogged(socket: ChatSocket): boolean {
    const backlog = outgoingBacklog(socket);
    if (backlog <= backlogMax) return false;
    drop(socket, backlog);
    return true;
  }

  function drop(socket: ChatSocket, backlog: number): void {
    deps.log.info(`socket ${socket.id} of user ${socket.data.userId} dropped: ${backlog} bytes unread by its peer`);
    // What it holds is let go at once: a disconnect waits for the buffer to drain, and a
    // websocket's close for its peer's answer (30 s), neither of which a peer that does not read gives.
    websocketOf(socket.conn.transport)?.terminate();
    socket.conn.close(true);
  }

  // Fan-out reaches sockets that send nothing: a sweep finds those that stopped reading.
  const sweep = setInterval(() => {
    for (const socket of io.sockets.sockets.values()) dropIfBacklogged(socket);
  }, BACKLOG_SWEEP_MS);
  sweep.unref();
  httpServer.on('close', () => clearInterval(sweep));

  return {
    io,
    refuseSessions: () => {
      refusing = true;
    },
    close: async (deadlineMs) => {
      await closeSocketsGracefully(io, sessions, deadlineMs);
      const stopped = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      // Closes the sessions still open, discarding what they hold.
      const ioClosed = io.close();
      await withDeadline(connections.answered(), deadlineMs);
      connections.destroyAll();
      await Promise.all([stopped, ioClosed]);
    },
  };
}

/** Ends the sockets opened with a session that has just logged out. */
export async function disconnectSession(io: ChatIo, userId: string, tokenHash: string): Promise<void> {
  const sockets = await io.in(userRoom(userId)).fetchSockets();
  for (const socket of sockets) {
    if (socket.data.tokenHash === tokenHash) socket.disconnect(true);
  }
}
