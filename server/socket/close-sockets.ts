/**
 * Closing every engine.io session at shutdown without cutting off what was just written to it,
 * and without waiting on a client that never answers. Each Socket.IO socket is told to
 * disconnect, and each session is closed, also one that never joined the namespace: a raw
 * websocket that never did held the exit for ws's 30 s closing timeout. Then, up to a deadline:
 *
 * - websocket clients answer the closing handshake: the server waits for that (ws's own `close`
 *   event), then terminates the websockets still open;
 * - long-polling clients collect what engine.io holds for them (the answers just given, then the
 *   disconnect) with their next requests, and the session closes when the client says so or
 *   takes the close packet. The HTTP server still serves these requests: it stops accepting only
 *   after this (chat-server.ts). An audit found stored sends unanswered, all on polling sockets,
 *   whose answers were discarded with the session while the client could no longer poll.
 *
 * engine.io keeps the websocket as its transport's `socket`; it is read through run-time checks,
 * so a version that moves it only loses the wait (test/integration/chat-shutdown.test.ts).
 */
import { withDeadline } from '../deadline';
import type { ChatIo, EngineConnection } from './types';

interface ClosingWebSocket {
  readyState: number;
  once(event: 'close', listener: () => void): unknown;
  terminate(): void;
}

/** ws's WebSocket.CLOSED. */
const CLOSED = 3;

export function websocketOf(transport: unknown): ClosingWebSocket | undefined {
  if (typeof transport !== 'object' || transport === null) return undefined;
  const socket: unknown = (transport as Record<string, unknown>).socket;
  if (typeof socket !== 'object' || socket === null) return undefined;
  const candidate = socket as Record<string, unknown>;
  return typeof candidate.readyState === 'number' && typeof candidate.once === 'function' && typeof candidate.terminate === 'function' ? (socket as ClosingWebSocket) : undefined;
}

/** Resolves once the session is closed and, over a websocket, its closing handshake is done. */
function closed(connection: EngineConnection, websocket: ClosingWebSocket | undefined): Promise<void> {
  const sessionClosed = connection.readyState === 'closed' ? Promise.resolve() : new Promise<void>((resolve) => connection.once('close', () => resolve()));
  const websocketClosed = websocket === undefined || websocket.readyState === CLOSED ? Promise.resolve() : new Promise<void>((resolve) => websocket.once('close', () => resolve()));
  return Promise.all([sessionClosed, websocketClosed]).then(() => undefined);
}

export async function closeSocketsGracefully(io: ChatIo, sessions: Iterable<EngineConnection>, deadlineMs: number): Promise<void> {
  const closing = [...sessions].map((connection) => ({ connection, websocket: websocketOf(connection.transport) }));
  const done = closing.map(({ connection, websocket }) => closed(connection, websocket));
  io.disconnectSockets(true);
  // Without discarding: engine.io writes what it holds first (the polling client's next request).
  for (const { connection } of closing) connection.close();
  await withDeadline(Promise.all(done), deadlineMs);
  for (const { websocket } of closing) if (websocket !== undefined && websocket.readyState !== CLOSED) websocket.terminate();
}
