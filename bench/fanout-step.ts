/**
 * One open-loop step of the fan-out scenario: `rate` group messages per second; the latency of a
 * message is the time from its scheduled send until the LAST receiver has it.
 */
import { performance } from 'node:perf_hooks';
import type { FanoutTransport } from './clients/fanout-transport';
import { LatencyHistogram, type LatencySummary } from './histogram';
import { runOpenLoop } from './open-loop';
import type { ServerProcess } from './server-process';
import { waitFor } from './stats';
import type { StepConfig } from './direct-step';

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
}

let stepCounter = 0;

export async function runFanoutStep(transport: FanoutTransport, server: ServerProcess, config: StepConfig): Promise<FanoutStepResult> {
  const prefix = `fan-${process.pid.toString(36)}${(stepCounter++).toString(36)}-`;
  const total = Math.max(1, Math.floor((config.rate * config.durationMs) / 1000));
  const scheduled = new Float64Array(total);
  const counts = new Uint32Array(total);
  const ackSeen = new Uint8Array(total);
  const histogram = new LatencyHistogram();
  let acked = 0;
  let delivered = 0;
  let deliveries = 0;
  let lastDeliveryAt = 0;
  let recordFrom = Infinity;
  const indexOf = (key: string): number => {
    if (!key.startsWith(prefix)) return -1;
    const index = Number(key.slice(prefix.length));
    return Number.isInteger(index) && index >= 0 && index < total ? index : -1;
  };
  transport.onAck = (key) => {
    const i = indexOf(key);
    if (i < 0 || ackSeen[i] === 1) return;
    ackSeen[i] = 1;
    acked++;
  };
  transport.onDeliver = (key) => {
    const i = indexOf(key);
    if (i < 0) return;
    const count = (counts[i] ?? 0) + 1;
    counts[i] = count;
    deliveries++;
    if (count !== transport.receivers) return;
    delivered++;
    const now = performance.now();
    lastDeliveryAt = now;
    const due = scheduled[i] ?? 0;
    if (due >= recordFrom) histogram.recordMs(now - due);
  };
  const before = await server.stats();
  const run = await runOpenLoop({
    rate: config.rate,
    durationMs: config.durationMs,
    send(index, scheduledAt) {
      if (index === 0) recordFrom = scheduledAt + config.warmupMs;
      scheduled[index] = scheduledAt;
      transport.send(`${prefix}${index}`);
    },
  });
  await waitFor(() => acked >= run.sent && delivered >= run.sent, config.drainMs, 2);
  const after = await server.stats();
  const cpuUs = after.cpuUserUs + after.cpuSystemUs - before.cpuUserUs - before.cpuSystemUs;
  const elapsedS = Math.max(1, (delivered > 0 ? lastDeliveryAt : performance.now()) - run.startedAt) / 1000;
  return {
    rate: config.rate,
    sent: run.sent,
    acked,
    delivered,
    lastMember: histogram.summary(),
    achievedRate: delivered / elapsedS,
    deliveriesPerSecond: deliveries / elapsedS,
    cpuPerDeliveryUs: deliveries > 0 ? cpuUs / deliveries : NaN,
  };
}
