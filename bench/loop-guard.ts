/**
 * Watches the load generator's own event loop. A generator that lags sends late and reads late,
 * so its figures would describe itself, not the server: such a run is invalid and repeated.
 */
import { createHistogram, performance } from 'node:perf_hooks';

export const LOOP_DELAY_P99_LIMIT_MS = 5;

export interface LoopReport {
  p99Ms: number;
  maxMs: number;
  valid: boolean;
}

/** How often the guard's probe timer asks to run. */
const PROBE_MS = 2;

/**
 * A timer that asks to run every PROBE_MS and records how late it ran. Written out rather than
 * monitorEventLoopDelay, whose Node 20 figures include the sampling interval itself.
 */
export function startLoopGuard(): { stop(): LoopReport } {
  const lateness = createHistogram();
  let expected = performance.now() + PROBE_MS;
  let timer: NodeJS.Timeout | null = null;
  const probe = () => {
    const now = performance.now();
    lateness.record(Math.max(1, Math.round((now - expected) * 1000)));
    expected = now + PROBE_MS;
    timer = setTimeout(probe, PROBE_MS);
    timer.unref();
  };
  timer = setTimeout(probe, PROBE_MS);
  timer.unref();
  return {
    stop() {
      if (timer) clearTimeout(timer);
      const p99Ms = lateness.count > 0 ? lateness.percentile(99) / 1000 : 0;
      const maxMs = lateness.count > 0 ? lateness.max / 1000 : 0;
      return { p99Ms, maxMs, valid: p99Ms <= LOOP_DELAY_P99_LIMIT_MS };
    },
  };
}

export class GeneratorLagError extends Error {
  constructor(readonly attempts: number, readonly lastP99Ms: number) {
    super(`load generator lagged in ${attempts} attempts (event-loop delay p99 ${lastP99Ms.toFixed(1)} ms > ${LOOP_DELAY_P99_LIMIT_MS} ms)`);
  }
}

/**
 * Runs a measurement under the guard, repeating it while the generator lagged. A measurement
 * whose load is spread over other generator processes returns their reports as `generatorLoops`;
 * any of them lagging makes the run invalid too. A run that lagged every time is never
 * reported: the caller gets a GeneratorLagError instead.
 */
function otherLoops(result: object): LoopReport[] {
  const loops = (result as { generatorLoops?: unknown }).generatorLoops;
  return Array.isArray(loops) ? (loops as LoopReport[]) : [];
}

export async function guarded<T extends object>(measure: () => Promise<T>, attempts = 3): Promise<T & { loop: LoopReport }> {
  let worst: LoopReport = { p99Ms: 0, maxMs: 0, valid: false };
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const guard = startLoopGuard();
    let result: T;
    try {
      result = await measure();
    } finally {
      worst = guard.stop();
    }
    for (const other of otherLoops(result)) if (other.p99Ms > worst.p99Ms) worst = other;
    if (worst.p99Ms <= LOOP_DELAY_P99_LIMIT_MS) return { ...result, loop: { ...worst, valid: true } };
  }
  throw new GeneratorLagError(attempts, worst.p99Ms);
}
