/** The receivers of the fan-out scenario, spread over a few generator processes. */
import type { LoopReport } from '../loop-guard';
import { GENERATOR_NICE, spawnServer, type ServerProcess } from '../server-process';
import type { CompletionBatch, ReceiverSetup } from './fanout-receiver';

export const FAN_KEY_PREFIX = 'fan-';

export interface ReceiverPool {
  readonly receivers: number;
  /** `count` sockets (one process's share) have `key` since `atEpochMs`. */
  onComplete: (key: string, count: number, atEpochMs: number) => void;
  guardStart(): Promise<void>;
  guardStop(): Promise<LoopReport[]>;
  close(): Promise<void>;
}

function isCompletionBatch(message: unknown): message is CompletionBatch {
  return typeof message === 'object' && message !== null && (message as { kind?: unknown }).kind === 'bench-completions';
}

export async function receiverPool(url: string, auths: Record<string, string>[], options: { processes: number; joinRoom?: string }): Promise<ReceiverPool> {
  const shares = Array.from({ length: options.processes }, (_, p) => auths.filter((_, i) => i % options.processes === p)).filter((s) => s.length > 0);
  const procs: ServerProcess[] = [];
  try {
    for (const _ of shares) procs.push(await spawnServer('fanout-receiver', { script: 'bench/clients/fanout-receiver.ts', priority: GENERATOR_NICE }));
    const pool: ReceiverPool = {
      receivers: auths.length,
      onComplete: () => undefined,
      guardStart: async () => void (await Promise.all(procs.map((p) => p.request('guardStart')))),
      guardStop: () => Promise.all(procs.map((p) => p.request<LoopReport>('guardStop'))),
      close: async () => void (await Promise.all(procs.map((p) => p.close()))),
    };
    await Promise.all(
      procs.map(async (proc, i) => {
        const share = shares[i] ?? [];
        proc.onMessage((message) => {
          if (!isCompletionBatch(message)) return;
          message.keys.forEach((key, k) => pool.onComplete(key, share.length, message.at[k] ?? NaN));
        });
        const setup: ReceiverSetup = { url, auths: share, keyPrefix: FAN_KEY_PREFIX, ...(options.joinRoom !== undefined ? { joinRoom: options.joinRoom } : {}) };
        await proc.request('setup', setup);
      }),
    );
    return pool;
  } catch (error) {
    await Promise.all(procs.map((p) => p.close()));
    throw error;
  }
}
