/**
 * The write coalescer on connections shaped like engine.io's (the integration test runs it on
 * real ones): what one turn creates leaves in one flush, corked; a connection whose flush throws
 * is closed and logged, and does not keep the others held.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { Logger } from '../../../server/chat/logger';
import { WriteCoalescer } from '../../../server/socket/write-coalescer';

/** engine.io's Socket in miniature: sendPacket emits packetCreate, then flushes if the transport is writable; 'ready' flushes too. */
class FakeConnection extends EventEmitter {
  readonly transport = Object.assign(new EventEmitter(), { name: 'websocket', writable: true });
  readyState = 'open';
  readonly upgraded = false;
  /** Each flush: the packets it handed to the transport, and whether the TCP socket was corked meanwhile. */
  readonly flushes: { packets: string[]; corked: boolean }[] = [];
  closed = false;
  private buffer: string[] = [];
  private corked = 0;
  readonly request = { socket: { cork: () => void this.corked++, uncork: () => void this.corked-- } };

  constructor(private readonly failing = false) {
    super();
    this.transport.on('ready', () => this.flush());
  }

  send(packet: string): void {
    this.emit('packetCreate');
    this.buffer.push(packet);
    this.flush();
  }

  close(): void {
    this.closed = true;
    this.readyState = 'closed';
  }

  private flush(): void {
    if (!this.transport.writable || this.buffer.length === 0) return;
    if (this.failing) throw new Error('a listener threw while flushing');
    this.flushes.push({ packets: this.buffer, corked: this.corked > 0 });
    this.buffer = [];
  }
}

function recordingLog(): Logger & { errors: string[] } {
  const errors: string[] = [];
  return { errors, info: () => undefined, error: (message) => errors.push(message) };
}

/** Lets the ticks queued by the current turn run (the coalescer releases on one). */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('write coalescer', () => {
  it('writes what one turn created on a connection in one corked flush, and what comes later promptly', async () => {
    const coalescer = new WriteCoalescer(recordingLog());
    const connection = new FakeConnection();
    expect(coalescer.attach(connection)).toBe(true);
    connection.send('message:new');
    connection.send('ack');
    expect(connection.flushes).toEqual([]);
    await nextTurn();
    expect(connection.flushes).toEqual([{ packets: ['message:new', 'ack'], corked: true }]);
    connection.send('typing');
    await nextTurn();
    expect(connection.flushes[1]).toEqual({ packets: ['typing'], corked: true });
    expect(connection.transport.writable).toBe(true);
  });

  it('leaves alone a connection it does not know: long-polling, or upgraded from it', () => {
    const coalescer = new WriteCoalescer(recordingLog());
    const polling = new FakeConnection();
    polling.transport.name = 'polling';
    expect(coalescer.attach(polling)).toBe(false);
    expect(coalescer.attach(Object.assign(new FakeConnection(), { upgraded: true }))).toBe(false);
    expect(coalescer.attach({})).toBe(false);
  });

  it('closes a connection whose flush throws, logs it, and still releases the others', async () => {
    const log = recordingLog();
    const coalescer = new WriteCoalescer(log);
    const failing = new FakeConnection(true);
    const healthy = new FakeConnection();
    coalescer.attach(failing);
    coalescer.attach(healthy);
    failing.send('to the failing one');
    healthy.send('to the healthy one');
    await nextTurn();
    expect(failing.closed).toBe(true);
    expect(log.errors).toHaveLength(1);
    expect(healthy.flushes).toEqual([{ packets: ['to the healthy one'], corked: true }]);
    healthy.send('later');
    await nextTurn();
    expect(healthy.flushes.map((f) => f.packets)).toEqual([['to the healthy one'], ['later']]);
  });
});
