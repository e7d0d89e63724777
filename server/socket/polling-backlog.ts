/**
 * What long-polling responses hold unread. engine.io counts a poll as answered once it hands
 * the response to Node, and the websocket-side backlog watch (backlog.ts) never sees it: a
 * client that sent each poll over a new connection and read none of the answers made the
 * server hold them all, 5 GB in 150 s in an audit. On every polling request of a session, the
 * bytes its other connections still hold unsent are added up; past the cap the session is
 * closed and those connections are destroyed. The client reconnects and catches up with
 * `messages:sync`, as after any drop.
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';

export function watchPollingBacklog(server: HttpServer, ownPath: string, maxBytes: number, closeSession: (sessionId: string, unsent: number) => void): void {
  const bySession = new Map<string, Set<Duplex>>();
  server.on('request', (request: IncomingMessage) => {
    const url = request.url ?? '';
    if (!url.startsWith(ownPath)) return;
    const sessionId = new URL(url, 'http://localhost').searchParams.get('sid');
    if (sessionId === null) return;
    const socket = request.socket;
    let sockets = bySession.get(sessionId);
    if (sockets === undefined) {
      sockets = new Set();
      bySession.set(sessionId, sockets);
    }
    if (!sockets.has(socket)) {
      const own = sockets;
      own.add(socket);
      socket.once('close', () => {
        own.delete(socket);
        if (own.size === 0 && bySession.get(sessionId) === own) bySession.delete(sessionId);
      });
    }
    // Only the session's other connections count: what they hold are answers to earlier polls,
    // which a client reading its answers has taken before it polls again. This request's own
    // connection may be handing over a large answer this moment.
    let unsent = 0;
    for (const held of sockets) if (held !== socket) unsent += held.writableLength;
    if (unsent <= maxBytes) return;
    closeSession(sessionId, unsent);
    // The connections holding the unread answers go; this request is answered (engine.io: the
    // session is unknown now).
    for (const held of sockets) if (held !== socket) held.destroy();
  });
}
