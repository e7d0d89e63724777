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

export interface PollingBacklog {
  /** The session ended: its connections are no longer looked at for it. */
  forget(sessionId: string): void;
}

/**
 * Only sessions engine.io knows are tracked (`isSession`), and each TCP connection has one close
 * listener whatever sessions it carried: every made-up `sid` polled over one keep-alive
 * connection once added a listener and an entry, which its close then removed one by one, each
 * from a list as long as all of them (300,000 requests held a core for over ten minutes, an audit).
 */
export function watchPollingBacklog(
  server: HttpServer,
  ownPath: string,
  maxBytes: number,
  isSession: (sessionId: string) => boolean,
  closeSession: (sessionId: string, unsent: number) => void,
): PollingBacklog {
  const bySession = new Map<string, Set<Duplex>>();
  const sessionsOf = new WeakMap<Duplex, Set<string>>();
  function onConnectionClose(this: Duplex): void {
    for (const sessionId of sessionsOf.get(this) ?? []) {
      const sockets = bySession.get(sessionId);
      sockets?.delete(this);
      if (sockets?.size === 0) bySession.delete(sessionId);
    }
    sessionsOf.delete(this);
  }
  server.on('request', (request: IncomingMessage) => {
    const url = request.url ?? '';
    if (!url.startsWith(ownPath)) return;
    const sessionId = new URL(url, 'http://localhost').searchParams.get('sid');
    if (sessionId === null || !isSession(sessionId)) return;
    const socket = request.socket;
    let sockets = bySession.get(sessionId);
    if (sockets === undefined) {
      sockets = new Set();
      bySession.set(sessionId, sockets);
    }
    if (!sockets.has(socket)) {
      sockets.add(socket);
      const carried = sessionsOf.get(socket);
      if (carried === undefined) {
        sessionsOf.set(socket, new Set([sessionId]));
        socket.once('close', onConnectionClose);
      } else {
        carried.add(sessionId);
      }
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
  return {
    forget(sessionId) {
      for (const socket of bySession.get(sessionId) ?? []) sessionsOf.get(socket)?.delete(sessionId);
      bySession.delete(sessionId);
    },
  };
}
