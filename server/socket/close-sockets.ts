/**
 * Closing every socket at shutdown without cutting off what was just written to it, and without
 * waiting on a client that never answers. Each client is told to disconnect; websocket clients
 * answer the closing handshake, and the server waits for that (ws's own `close` event) up to a
 * deadline, then terminates the websockets still open: the HTTP server's `closeAllConnections`
 * does not reach upgraded connections, which would otherwise hold the server's close for ws's
 * 30 s closing timeout. Long-polling clients cannot answer once the HTTP server stops accepting
 * requests; engine.io closes them when the server closes.
 *
 * engine.io keeps the websocket as its transport's `socket`; it is read through run-time checks,
 * so a version that moves it only loses the wait (test/integration/chat-shutdown.test.ts).
 */
import { withDeadline } from '../deadline';
import type { ChatIo } from './types';

interface ClosingWebSocket {
  readyState: number;
  once(event: 'close', listener: () => void): unknown;
  terminate(): void;
}

/** ws's WebSocket.CLOSED. */
const CLOSED = 3;

function websocketOf(transport: unknown): ClosingWebSocket | undefined {
  if (typeof transport !== 'object' || transport === null) return undefined;
  const socket: unknown = (transport as Record<string, unknown>).socket;
  if (typeof socket !== 'object' || socket === null) return undefined;
  const candidate = socket as Record<string, unknown>;
  return typeof candidate.readyState === 'number' && typeof candidate.once === 'function' && typeof candidate.terminate === 'function' ? (socket as ClosingWebSocket) : undefined;
}

export async function closeSocketsGracefully(io: ChatIo, deadlineMs: number): Promise<void> {
  const websockets = [...io.sockets.sockets.values()].flatMap((socket) => {
    const websocket = websocketOf(socket.conn.transport);
    return websocket === undefined ? [] : [websocket];
  });
  io.disconnectSockets(true);
  const closed = websockets.map((websocket) => (websocket.readyState === CLOSED ? Promise.resolve() : new Promise<void>((resolve) => websocket.once('close', () => resolve()))));
  await withDeadline(Promise.all(closed), deadlineMs);
  for (const websocket of websockets) if (websocket.readyState !== CLOSED) websocket.terminate();
}
