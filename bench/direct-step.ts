/**
 * One open-loop step of the 1:1 scenario: `rate` messages per second spread over the pairs for
 * `durationMs`; ack and delivery latency from the scheduled send time, server CPU per message.
 */
import { performance } from 'node:perf_hooks';
import type { DirectTransport } from './clients/direct-transport';
import { LatencyHistogram, type LatencySummary } from './histogram';
import { runOpenLoop } from './open-loop';
import { stepKeys } from './step-keys';
import type { ServerProcess } from './server-process';
import { waitFor } from './stats';

export interface StepConfig {
  rate: number;
  durationMs: number;
  /** The first part of the step warms the server up and is not recorded. */
  warmupMs: number;
  /** How long after the last scheduled send the step waits for acks and deliveries. */
  drainMs: number;
}

export interface StepResult {
  rate: number;
  sent: number;
  acked: number;
  delivered: number;
  ack: LatencySummary;
  delivery: LatencySummary;
  /** Deliveries per second over the step, first send to last delivery. */
  achievedRate: number;
  cpuPerMessageUs: number;
}


export async function runDirectStep(transport: DirectTransport, server: ServerProcess, config: StepConfig): Promise<StepResult> {
  const total = Math.max(1, Math.floor((config.rate * config.durationMs) / 1000));
  const scheduled = new Float64Array(total);
  const ackSeen = new Uint8Array(total);
  const deliverySeen = new Uint8Array(total);
  const ackHistogram = new LatencyHistogram();
  const deliveryHistogram = new LatencyHistogram();
  let acked = 0;
  let delivered = 0;
  let lastDeliveryAt = 0;
  let recordFrom = Infinity;

  const { key: keyOf, indexOf } = stepKeys('bench-', total);
  transport.onAck = (key) => {
    const i = indexOf(key);
    if (i < 0 || ackSeen[i] === 1) return;
    ackSeen[i] = 1;
    acked++;
    const due = scheduled[i] ?? 0;
    if (due >= recordFrom) ackHistogram.recordMs(performance.now() - due);
  };
  transport.onDeliver = (key) => {
    const i = indexOf(key);
    if (i < 0 || deliverySeen[i] === 1) return;
    deliverySeen[i] = 1;
    delivered++;
    const now = performance.now();
    lastDeliveryAt = now;
    const due = scheduled[i] ?? 0;
    if (due >= recordFrom) deliveryHistogram.recordMs(now - due);
  };

  const before = await server.stats();
  const run = await runOpenLoop({
    rate: config.rate,
    durationMs: config.durationMs,
    send(index, scheduledAt) {
      if (index === 0) recordFrom = scheduledAt + config.warmupMs;
      scheduled[index] = scheduledAt;
      transport.send(index % transport.pairs, keyOf(index));
    },
  });
  await waitFor(() => acked >= run.sent && delivered >= run.sent, config.drainMs, 2);
  const after = await server.stats();
  const cpuUs = after.cpuUserUs + after.cpuSystemUs - before.cpuUserUs - before.cpuSystemUs;
  const elapsed = Math.max(1, (delivered > 0 ? lastDeliveryAt : performance.now()) - run.startedAt);
  return {
    rate: config.rate,
    sent: run.sent,
    acked,
    delivered,
    ack: ackHistogram.summary(),
    delivery: deliveryHistogram.summary(),
    achievedRate: (delivered * 1000) / elapsed,
    cpuPerMessageUs: run.sent > 0 ? cpuUs / run.sent : NaN,
  };
}
