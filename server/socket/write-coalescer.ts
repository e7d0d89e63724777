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
 * (`transport.writable`, `request.socket`) and the transport's `ready` event, the one engine.io
 * itself flushes on, checked at run time: a connection of another shape (long-polling, or a
 * websocket upgraded from polling, whose upgrade request is not `request`) is not coalesced and
 * works as before. test/integration/chat-write-coalescing.test.ts fails if a version changes them.
 *
 * Socket.IO drops a `volatile` packet whenever its transport is not writable, so during a hold it
 * would drop every volatile packet after a connection's first: the server sends none.
 */
import type { Logger } from '../chat/logger';

interface Corkable {
  cork(): void;
  uncork(): void;
}

interface HoldableTransport {
  name: string;
  writable: boolean;
  emit(event: 'ready'): boolean;
}

interface CoalescibleConnection {
  transport: HoldableTransport;
  readyState: string;
  upgraded: boolean;
  request: { socket: Corkable };
  on(event: 'packetCreate', listener: () => void): unknown;
  close(): unknown;
}

interface Held {
  connection: CoalescibleConnection;
  transport: HoldableTransport;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isCorkable(value: unknown): value is Corkable {
  return isObject(value) && typeof value.cork === 'function' && typeof value.uncork === 'function';
}

function isCoalescible(value: unknown): value is CoalescibleConnection {
  if (!isObject(value) || typeof value.on !== 'function' || typeof value.close !== 'function' || value.upgraded !== false) return false;
  const { transport, request } = value;
  return (
    isObject(transport) &&
    transport.name === 'websocket' &&
    typeof transport.writable === 'boolean' &&
    typeof transport.emit === 'function' &&
    isObject(request) &&
    isCorkable(request.socket)
  );
}

export class WriteCoalescer {
  private held: Held[] = [];
  private releaseScheduled = false;

  constructor(private readonly log: Logger) {}

  /** Coalesces an engine.io connection's writes; returns false (and leaves it as it is) when its shape is not known. */
  attach(connection: unknown): boolean {
    if (!isCoalescible(connection)) return false;
    connection.on('packetCreate', () => this.hold(connection));
    return true;
  }

  private hold(connection: CoalescibleConnection): void {
    const { transport } = connection;
    if (!transport.writable) return;
    transport.writable = false;
    this.held.push({ connection, transport });
    if (this.releaseScheduled) return;
    this.releaseScheduled = true;
    // A tick queued now runs once the current macrotask's ticks and microtasks (a whole batch of answers) are done.
    process.nextTick(() => this.release());
  }

  private release(): void {
    this.releaseScheduled = false;
    const held = this.held;
    this.held = [];
    for (const { connection, transport } of held) {
      if (connection.transport !== transport) continue;
      transport.writable = true;
      if (connection.readyState === 'closed') continue;
      try {
        this.flush(connection, transport);
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

  private flush(connection: CoalescibleConnection, transport: HoldableTransport): void {
    const tcp = connection.request.socket;
    tcp.cork();
    try {
      transport.emit('ready');
    } finally {
      tcp.uncork();
    }
  }
}
