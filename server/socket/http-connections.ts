/**
 * What a closing chat server must end itself on the HTTP server it shares with Socket.IO.
 *
 * - Upgraded (websocket) TCP sockets: Node's `closeAllConnections` does not reach them, and ws
 *   holds one whose peer does not answer its close frame for 30 s, so they are destroyed.
 * - Requests under way, other than engine.io's (its close answers those): their answers go out,
 *   within a deadline, before every connection is cut.
 *
 * The rest are connections with no answer owed: idle ones, and ones that sent nothing or half a
 * request line. Node stops its header deadline once `close()` is called, so these held the
 * server's close, and the process, until the peer went away; `closeAllConnections` ends them.
 */
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

export class HttpConnections {
  private readonly upgraded = new Set<Duplex>();
  private readonly underWay = new Set<ServerResponse>();
  private answeredAll: (() => void) | undefined;

  /** `ownPath`: requests under it belong to engine.io (its `path` with the trailing slash). */
  constructor(
    private readonly server: HttpServer,
    ownPath: string,
  ) {
    server.on('upgrade', (_request: IncomingMessage, socket: Duplex) => {
      this.upgraded.add(socket);
      socket.once('close', () => this.upgraded.delete(socket));
    });
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      if (request.url?.startsWith(ownPath) === true) return;
      this.underWay.add(response);
      // 'close' comes once the answer is sent, and also when its connection goes first.
      response.once('close', () => {
        this.underWay.delete(response);
        if (this.underWay.size === 0) this.answeredAll?.();
      });
    });
  }

  /** Resolves once no request is left unanswered. */
  answered(): Promise<void> {
    if (this.underWay.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.answeredAll = resolve;
    });
  }

  /** Ends every connection, HTTP and upgraded alike, whatever its peer does. */
  destroyAll(): void {
    this.server.closeAllConnections();
    for (const socket of this.upgraded) socket.destroy();
  }
}
