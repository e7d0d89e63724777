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
  readonly id = `session-${Math.random().toString(36).slice(2)}`;
  readonly transport = Object.assign(new EventEmitter(), { name: 'websocket', writable: true });
  readyState = 'open';
  upgraded = false;
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

const noUpgrades = (): undefined => undefined;

/** Lets the ticks queued by the current turn run (the coalescer releases on one). */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('write coalescer', () => {
  it('writes what one turn created on a connection in one corked flush, and what comes later promptly', async () => {
    const coalescer = new WriteCoalescer(recordingLog());
    const connection = new FakeConnection();
    expect(coalescer.attach(connection, noUpgrades)).toBe(true);
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

  it('leaves a long-polling connection as it is, and coalesces it on the socket of its websocket upgrade', async () => {
    const coalescer = new WriteCoalescer(recordingLog());
    const polling = new FakeConnection();
    polling.transport.name = 'polling';
    expect(coalescer.attach(polling, noUpgrades)).toBe(true);
    polling.send('handshake');
    expect(polling.flushes).toEqual([{ packets: ['handshake'], corked: false }]);
    expect(coalescer.attach({}, noUpgrades)).toBe(false);

    // Upgraded: the caller knows the TCP socket of the session's upgrade request.
    const upgrading = new FakeConnection();
    upgrading.transport.name = 'polling';
    const asked: string[] = [];
    coalescer.attach(upgrading, (sessionId) => {
      asked.push(sessionId);
      return upgrading.request.socket;
    });
    upgrading.transport.name = 'websocket';
    upgrading.upgraded = true;
    upgrading.emit('upgrade');
    expect(asked).toEqual([upgrading.id]);
    upgrading.send('message:new');
    upgrading.send('ack');
    expect(upgrading.flushes).toEqual([]);
    await nextTurn();
    expect(upgrading.flushes).toEqual([{ packets: ['message:new', 'ack'], corked: true }]);
  });

  it('closes a connection whose flush throws, logs it, and still releases the others', async () => {
    const log = recordingLog();
    const coalescer = new WriteCoalescer(log);
    const failing = new FakeConnection(true);
    const healthy = new FakeConnection();
    coalescer.attach(failing, noUpgrades);
    coalescer.attach(healthy, noUpgrades);
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
