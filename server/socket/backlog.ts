/**
 * What a socket has been sent that its peer has not read. Socket.IO caps frames coming in, but
 * nothing going out: a client that stops reading (or reads slowly while its 500-member group is
 * flooded, or asks for many 1.6 MB history pages) made the server hold everything it was sent,
 * 2 GB from one socket in an audit. The server measures each socket's backlog and drops a
 * socket above the cap; the client reconnects and catches up with `messages:sync`.
 *
 * Neither engine.io nor Socket.IO exposes the backlog, so this reads engine.io's own fields
 * (the packets it holds, and the websocket's `bufferedAmount`, which counts what ws and the TCP
 * socket still hold) through runtime checks: if a version changes their shape, the reading is
 * 0 and nothing is dropped; test/integration/chat-backlog.test.ts fails then.
 */
import type { ChatSocket } from './types';

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}

function packetBytes(packet: unknown): number {
  const data = field(packet, 'data');
  if (typeof data === 'string') return Buffer.byteLength(data);
  if (data instanceof Uint8Array) return data.byteLength;
  return 0;
}

/** Bytes queued for the peer on either transport: polling (engine.io's buffer) or websocket. */
export function outgoingBacklog(socket: ChatSocket): number {
  const conn: unknown = socket.conn;
  let bytes = 0;
  const buffered = field(conn, 'writeBuffer');
  if (Array.isArray(buffered)) for (const packet of buffered) bytes += packetBytes(packet);
  const ws = field(field(conn, 'transport'), 'socket');
  const wsBuffered = field(ws, 'bufferedAmount');
  if (typeof wsBuffered === 'number') bytes += wsBuffered;
  return bytes;
}
