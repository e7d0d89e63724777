/**
 * A receiver process of the fan-out scenario: holds a share of the group's sockets, and for each
 * message reports (over IPC) when all of its sockets have it, in epoch milliseconds with
 * sub-millisecond precision (performance.timeOrigin + now), and watches its own event loop.
 */
import { performance } from 'node:perf_hooks';
import { isIpcRequest, type IpcResponse } from '../ipc';
import { startLoopGuard, type LoopReport } from '../loop-guard';
import { connectRaw, type RawSocket } from './raw-socketio';

export interface ReceiverSetup {
  url: string;
  auths: Record<string, string>[];
  /** Room to join first with an ack'ed `join` (the bare Socket.IO baseline only). */
  joinRoom?: string;
  /** Keys start with this; everything else on the wire is ignored. */
  keyPrefix: string;
}

/** One report: these keys reached every socket of this process at these times. */
export interface CompletionBatch {
  kind: 'bench-completions';
  keys: string[];
  at: number[];
}

const sockets: RawSocket[] = [];
const counts = new Map<string, number>();
let deliveries = 0;
let prefix = '';
let guard: { stop(): LoopReport } | null = null;
let pending: CompletionBatch = { kind: 'bench-completions', keys: [], at: [] };
let flushScheduled = false;

function flush(): void {
  flushScheduled = false;
  if (pending.keys.length === 0) return;
  process.send?.(pending);
  pending = { kind: 'bench-completions', keys: [], at: [] };
}

function onEvent(frame: string): void {
  const start = frame.indexOf(`"${prefix}`);
  if (start < 0) return;
  const end = frame.indexOf('"', start + 1);
  const key = frame.slice(start + 1, end);
  deliveries++;
  const count = (counts.get(key) ?? 0) + 1;
  if (count < sockets.length) {
    counts.set(key, count);
    return;
  }
  counts.delete(key);
  pending.keys.push(key);
  pending.at.push(performance.timeOrigin + performance.now());
  if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flush);
  }
}

async function setup(payload: ReceiverSetup): Promise<number> {
  prefix = payload.keyPrefix;
  for (let i = 0; i < payload.auths.length; i += 25) {
    const batch = payload.auths.slice(i, i + 25);
    sockets.push(...(await Promise.all(batch.map((auth) => connectRaw(payload.url, auth, onEvent)))));
  }
  const room = payload.joinRoom;
  if (room !== undefined) await Promise.all(sockets.map((s) => s.emitWithAck('join', room)));
  return sockets.length;
}

const handlers: Record<string, (payload: unknown) => unknown> = {
  setup: (payload) => setup(payload as ReceiverSetup),
  guardStart: () => {
    guard = startLoopGuard();
    return null;
  },
  guardStop: () => {
    const report = guard?.stop() ?? { p99Ms: 0, maxMs: 0, valid: true };
    guard = null;
    return report;
  },
  deliveries: () => deliveries,
};

process.on('message', (message: unknown) => {
  if (!isIpcRequest(message)) return;
  const reply = (response: IpcResponse) => process.send?.(response);
  const handler = handlers[message.type];
  Promise.resolve()
    .then(() => {
      if (!handler) throw new Error(`unknown request ${message.type}`);
      return handler(message.payload);
    })
    .then(
      (value) => reply({ kind: 'bench-response', id: message.id, ok: true, value }),
      (error: unknown) => reply({ kind: 'bench-response', id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) }),
    );
});
process.on('disconnect', () => {
  for (const s of sockets) s.close();
  process.exit(0);
});
process.stdout.write('BENCH_URL receiver\n');
