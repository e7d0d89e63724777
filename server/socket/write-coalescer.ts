/**
 * One write system call per socket per burst. engine.io writes a websocket packet the moment it
 * is created if no write of that connection is in flight, and otherwise waits for that write's
 * callback, a later turn, to write the rest, each frame in a call of its own. A send answers
 * with two packets to the sending socket (the sender's own `message:new` and the ack) in the
 * same run of microtasks, so they left in two calls, the second one after the event loop came
 * back to it; with the group commit answering a whole batch at once, every sender's ack waited
 * behind the whole batch's first writes (bench scenario 1: delivery p99 36-65 ms at 14-18k msg/s,
 * against 14-33 ms coalesced).
 *
 * Here the first packet created on a connection holds its writes (the transport is marked not
 * writable, as during a write in flight) until the current run of ticks and microtasks ends; then
 * its packets are written with the TCP socket corked, so that ws's frames leave in one `writev`.
 * A connection whose write is already in flight is left alone: that write's callback flushes
 * what piled up meanwhile.
 *
 * engine.io exposes neither the hold nor the TCP socket, so this relies on public fields
 * (`transport.writable`, `request.socket`), its `upgrade` event and the transport's `ready` event,
 * the one engine.io itself flushes on, checked at run time. The TCP socket is the handshake
 * request's when the connection opened as a websocket, else that of the websocket upgrade the
 * caller saw for the session (`upgradeSocket`); until it has one (long-polling), a connection
 * works as before. test/integration/chat-write-coalescing.test.ts fails if a version changes them.
 *
 * Socket.IO drops a `volatile` packet whenever its transport is not writable, so during a hold it
 * would drop every volatile packet after a connection's first: the server sends none.
 */
import type { Logger } from '../chat/logger';

interface HoldableTransport {
  name: string;
  writable: boolean;
  emit(event: 'ready'): boolean;
}

export interface Corkable {
  cork(): void;
  uncork(): void;
}

interface EngineConnection {
  id: string;
  transport: HoldableTransport;
  readyState: string;
  upgraded: boolean;
  request: unknown;
  on(event: 'packetCreate' | 'upgrade', listener: () => void): unknown;
  close(): unknown;
}

interface Held {
  connection: EngineConnection;
  transport: HoldableTransport;
  tcp: Corkable;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isCorkable(value: unknown): value is Corkable {
  return isObject(value) && typeof value.cork === 'function' && typeof value.uncork === 'function';
}

function isHoldable(value: unknown): value is HoldableTransport {
  return isObject(value) && typeof value.name === 'string' && typeof value.writable === 'boolean' && typeof value.emit === 'function';
}

function isEngineConnection(value: unknown): value is EngineConnection {
  return (
    isObject(value) &&
    typeof value.id === 'string' &&
    typeof value.on === 'function' &&
    typeof value.close === 'function' &&
    typeof value.readyState === 'string' &&
    typeof value.upgraded === 'boolean' &&
    isHoldable(value.transport)
  );
}

/** The TCP socket a connection that opened as a websocket speaks over: its handshake request's. */
function ownSocket(connection: EngineConnection): Corkable | undefined {
  if (connection.upgraded || connection.transport.name !== 'websocket' || !isObject(connection.request)) return undefined;
  const { socket } = connection.request;
  return isCorkable(socket) ? socket : undefined;
}

export class WriteCoalescer {
  private held: Held[] = [];
  private releaseScheduled = false;

  constructor(private readonly log: Logger) {}

  /**
   * Coalesces an engine.io connection's writes once it speaks websocket; `upgradeSocket` gives
   * the TCP socket of a session's websocket upgrade. Returns false (and leaves the connection as
   * it is) when its shape is not known.
   */
  attach(connection: unknown, upgradeSocket: (sessionId: string) => Corkable | undefined): boolean {
    if (!isEngineConnection(connection)) return false;
    let tcp = ownSocket(connection);
    if (tcp === undefined) {
      connection.on('upgrade', () => {
        if (connection.transport.name === 'websocket') tcp = upgradeSocket(connection.id);
      });
    }
    connection.on('packetCreate', () => {
      if (tcp !== undefined) this.hold(connection, tcp);
    });
    return true;
  }

  private hold(connection: EngineConnection, tcp: Corkable): void {
    const { transport } = connection;
    if (transport.name !== 'websocket' || !transport.writable) return;
    transport.writable = false;
    this.held.push({ connection, transport, tcp });
    if (this.releaseScheduled) return;
    this.releaseScheduled = true;
    // A tick queued now runs once the current macrotask's ticks and microtasks (a whole batch of answers) are done.
    process.nextTick(() => this.release());
  }

  private release(): void {
    this.releaseScheduled = false;
    const held = this.held;
    this.held = [];
    for (const { connection, transport, tcp } of held) {
      if (connection.transport !== transport) continue;
      transport.writable = true;
      if (connection.readyState === 'closed') continue;
      try {
        this.flush(tcp, transport);
      } catch (error) {
        // One connection's failure must not keep the others held; its own state is unknown, so
        // it is closed (the client reconnects and catches up with messages:sync).
        this.log.error('writing a connection\'s held packets failed; closing it', error);
        try {
          connection.close();
        } catch (closing) {
          this.log.error('closing that connection failed', closing);
        }
      }
    }
  }

  private flush(tcp: Corkable, transport: HoldableTransport): void {
    tcp.cork();
    try {
      transport.emit('ready');
    } finally {
      tcp.uncork();
    }
  }
}
