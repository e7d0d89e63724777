/**
 * What a socket has been sent that its peer has not read. Socket.IO caps frames coming in, but
 * nothing going out: a client that stops reading (or reads slowly while its 500-member group is
 * flooded, or asks for many 1.6 MB history pages) made the server hold everything it was sent,
 * 2 GB from one socket in an audit. The server measures each socket's backlog and drops a
 * socket above the cap; the client reconnects and catches up with `messages:sync`.
 *
 * The backlog is checked as each packet is queued (`watchBacklog`), not only before each event
 * is handled: a burst of requests read at once is dispatched entirely before any of its answers
 * is queued, and 60 `messages:sync` answered with ~3 MB each held 643 MB for one paused socket.
 * So that those answers are not all built before the first is queued either, such events take
 * turns per socket (dispatch.ts).
 *
 * Neither engine.io nor Socket.IO exposes the backlog, so this reads engine.io's own fields
 * (the packets it holds, and the websocket's `bufferedAmount`, which counts what ws and the TCP
 * socket still hold) through runtime checks: if a version changes their shape, the reading is
 * 0 and nothing is dropped; test/integration/chat-backlog.test.ts fails then.
 */
import type { ChatSocket, EngineConnection } from './types';

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}

/**
 * The last string measured, and its size: a fan-out queues the same string for every member's
 * socket, and measuring it costs a pass over it, so each is measured once, not once a member.
 */
let lastString = '';
let lastStringBytes = 0;

/**
 * Sizes of the large packets measured so far. A paused socket's held answers (about 1 MB each,
 * a different one on every socket) are measured again at every look at its backlog, and the
 * heavy lane looks at every waiting socket's each turn: 1,000 paused sockets kept the server
 * 80-90 % busy answering nothing (an audit).
 */
const LARGE_PACKET = 16 * 1024;
const largeSizes = new WeakMap<object, number>();

function packetBytes(packet: unknown): number {
  const data = field(packet, 'data');
  if (typeof data === 'string') {
    const known = typeof packet === 'object' && packet !== null ? largeSizes.get(packet) : undefined;
    if (known !== undefined) return known;
    if (data !== lastString) {
      lastString = data;
      lastStringBytes = Buffer.byteLength(data);
    }
    if (lastStringBytes > LARGE_PACKET && typeof packet === 'object' && packet !== null) largeSizes.set(packet, lastStringBytes);
    return lastStringBytes;
  }
  if (data instanceof Uint8Array) return data.byteLength;
  return 0;
}

/** What ws and the TCP socket under a websocket transport still hold; 0 for long-polling. */
function websocketBuffered(conn: unknown): number {
  const wsBuffered = field(field(field(conn, 'transport'), 'socket'), 'bufferedAmount');
  return typeof wsBuffered === 'number' ? wsBuffered : 0;
}

/** Bytes queued for the peer on either transport: polling (engine.io's buffer) or websocket. */
export function outgoingBacklog(socket: ChatSocket): number {
  const conn: unknown = socket.conn;
  let bytes = 0;
  const buffered = field(conn, 'writeBuffer');
  if (Array.isArray(buffered)) for (const packet of buffered) bytes += packetBytes(packet);
  return bytes + websocketBuffered(conn);
}

/**
 * Calls `over` with the backlog whenever a packet queued for the connection (an answer, an
 * event, a fan-out) takes it past `maxBytes`. engine.io's buffer is counted as packets are
 * created (`packetCreate`, just before the packet joins it) and emptied when it is flushed
 * (`flush` hands the whole buffer to the transport), so that a check costs the same however
 * many packets are waiting. What a polling response carries is not counted: the client takes
 * at most one at a time, and each holds at most the buffer.
 *
 * Every event a socket sends is checked against this count (`bytes()`), not against a walk of
 * the buffer: a burst of 40,000 events read at once, whose answers wait while the transport is
 * held, made each check walk all the answers before it, and the server stalled 22 s for
 * everyone (an audit). The listeners are shared by every connection (`this` is the connection)
 * and the count lives in this object: closures of their own cost every idle connection 600 B
 * (bench scenario 5).
 */
export class BacklogWatch {
  private queued = 0;

  constructor(
    private readonly conn: EngineConnection,
    private readonly maxBytes: number,
    private readonly over: (bytes: number) => void,
  ) {
    watches.set(conn, this);
    conn.on('packetCreate', onPacketCreate);
    conn.on('flush', onFlush);
  }

  /** The backlog now, in constant time: what `outgoingBacklog` reads by walking the buffer. */
  bytes(): number {
    return this.queued + websocketBuffered(this.conn);
  }

  /**
   * The caller stops watching when its socket ends: the connection may outlive it (a client
   * connects and disconnects again over one connection), and listeners left behind held every
   * ended socket, 62,000 of them until the heap ran out in an audit.
   */
  stop(): void {
    this.conn.off('packetCreate', onPacketCreate);
    this.conn.off('flush', onFlush);
    if (watches.get(this.conn) === this) watches.delete(this.conn);
  }

  /** @internal */
  counted(packet: unknown): void {
    this.queued += packetBytes(packet);
    const bytes = this.bytes();
    if (bytes > this.maxBytes) this.over(bytes);
  }

  /** @internal */
  flushed(): void {
    this.queued = 0;
  }
}

/** The watch of each connection; one at a time (a connection carries one socket at a time). */
const watches = new WeakMap<object, BacklogWatch>();

function onPacketCreate(this: EngineConnection, packet: unknown): void {
  watches.get(this)?.counted(packet);
}

function onFlush(this: EngineConnection): void {
  watches.get(this)?.flushed();
}
