/**
 * One open-loop step of the fan-out scenario: `rate` group messages per second; the latency of a
 * message is the time from its scheduled send until the LAST receiver has it. Receivers live in
 * other processes, so times are compared in epoch milliseconds (timeOrigin + now).
 */
import { performance } from 'node:perf_hooks';
import type { FanoutTransport } from './clients/fanout-transport';
import { FAN_KEY_PREFIX } from './clients/receiver-pool';
import type { StepConfig } from './direct-step';
import { LatencyHistogram, type LatencySummary } from './histogram';
import type { LoopReport } from './loop-guard';
import { runOpenLoop } from './open-loop';
import { stepKeys } from './step-keys';
import type { ServerProcess } from './server-process';
import { waitFor } from './stats';

export interface FanoutStepResult {
  rate: number;
  sent: number;
  acked: number;
  /** Messages every receiver has. */
  delivered: number;
  lastMember: LatencySummary;
  /** Messages fully delivered per second. */
  achievedRate: number;
  deliveriesPerSecond: number;
  cpuPerDeliveryUs: number;
  generatorLoops: LoopReport[];
}


export async function runFanoutStep(transport: FanoutTransport, server: ServerProcess, config: StepConfig): Promise<FanoutStepResult> {
  const total = Math.max(1, Math.floor((config.rate * config.durationMs) / 1000));
  const receivers = transport.pool.receivers;
  const scheduled = new Float64Array(total);
  const counts = new Uint32Array(total);
  const lastAt = new Float64Array(total);
  const ackSeen = new Uint8Array(total);
  const histogram = new LatencyHistogram();
  let acked = 0;
  let delivered = 0;
  let deliveries = 0;
  let lastDeliveryAt = 0;
  let recordFrom = Infinity;
  const { key: keyOf, indexOf } = stepKeys(FAN_KEY_PREFIX, total);
  transport.onAck = (key) => {
    const i = indexOf(key);
    if (i < 0 || ackSeen[i] === 1) return;
    ackSeen[i] = 1;
    acked++;
  };
  transport.pool.onComplete = (key, count, at) => {
    const i = indexOf(key);
    if (i < 0) return;
    deliveries += count;
    const reached = (counts[i] ?? 0) + count;
    counts[i] = reached;
    lastAt[i] = Math.max(lastAt[i] ?? 0, at);
    if (reached !== receivers) return;
    delivered++;
    const last = lastAt[i] ?? at;
    lastDeliveryAt = Math.max(lastDeliveryAt, last);
    const due = scheduled[i] ?? 0;
    if (due >= recordFrom) histogram.recordMs(last - due);
  };
  await transport.pool.guardStart();
  const before = await server.stats();
  const origin = performance.timeOrigin;
  const run = await runOpenLoop({
    rate: config.rate,
    durationMs: config.durationMs,
    send(index, scheduledAt) {
      if (index === 0) recordFrom = origin + scheduledAt + config.warmupMs;
      scheduled[index] = origin + scheduledAt;
      transport.send(keyOf(index));
    },
  });
  await waitFor(() => acked >= run.sent && delivered >= run.sent, config.drainMs, 2);
  const after = await server.stats();
  const generatorLoops = await transport.pool.guardStop();
  const cpuUs = after.cpuUserUs + after.cpuSystemUs - before.cpuUserUs - before.cpuSystemUs;
  const end = delivered > 0 ? lastDeliveryAt : origin + performance.now();
  const elapsedS = Math.max(1, end - (origin + run.startedAt)) / 1000;
  return {
    rate: config.rate,
    sent: run.sent,
    acked,
    delivered,
    lastMember: histogram.summary(),
    achievedRate: delivered / elapsedS,
    deliveriesPerSecond: deliveries / elapsedS,
    cpuPerDeliveryUs: deliveries > 0 ? cpuUs / deliveries : NaN,
    generatorLoops,
  };
}
