/**
 * Open-loop load: message i is due at start + i / rate, whatever happened to earlier ones.
 * Latency is measured from that scheduled time, so a stalled server cannot hide its stall by
 * slowing the sender down (coordinated omission).
 */
import { performance } from 'node:perf_hooks';

export interface OpenLoopPlan {
  /** Messages per second. */
  rate: number;
  durationMs: number;
  /** Sends message `index`, due at `scheduledAt` (performance.now() time base). */
  send(index: number, scheduledAt: number): void;
}

export interface OpenLoopRun {
  startedAt: number;
  sent: number;
  /** How late the last send left compared with its schedule: the generator's own backlog. */
  worstSendLagMs: number;
}

/** The times at which `count` messages at `rate` per second are due after `start`. */
export function scheduleAt(start: number, rate: number, index: number): number {
  return start + (index * 1000) / rate;
}

export function runOpenLoop(plan: OpenLoopPlan): Promise<OpenLoopRun> {
  const total = Math.max(1, Math.floor((plan.rate * plan.durationMs) / 1000));
  const startedAt = performance.now();
  let next = 0;
  let worstSendLagMs = 0;
  return new Promise((resolve) => {
    const tick = () => {
      const now = performance.now();
      // Everything due by now goes out in this turn; bounded by the plan's count.
      while (next < total) {
        const due = scheduleAt(startedAt, plan.rate, next);
        if (due > now) break;
        worstSendLagMs = Math.max(worstSendLagMs, now - due);
        plan.send(next, due);
        next++;
      }
      if (next >= total) {
        resolve({ startedAt, sent: next, worstSendLagMs });
        return;
      }
      const wait = scheduleAt(startedAt, plan.rate, next) - performance.now();
      setTimeout(tick, Math.max(0, Math.floor(wait)));
    };
    tick();
  });
}
