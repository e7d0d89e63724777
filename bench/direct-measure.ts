/**
 * Measures one server under the 1:1 load: the maximum sustained rate, then latency and CPU per
 * message at half of it. Used by scenario 1 (against the baselines) and 3 (sync modes).
 */
import type { DirectTransport } from './clients/direct-transport';
import { runDirectStep, type StepConfig, type StepResult } from './direct-step';
import { GeneratorLagError, guarded } from './loop-guard';
import type { Launcher } from './launch';
import { searchMaxRate, type SearchConfig } from './rate-search';
import type { ServerProcess } from './server-process';

export interface DirectProfile {
  search: SearchConfig;
  stepMs: number;
  warmupMs: number;
  drainMs: number;
  /** Duration of the latency run at half the maximum rate. */
  latencyMs: number;
  pairs: number;
}

export const DIRECT_PROFILES: { quick: DirectProfile; full: DirectProfile } = {
  quick: {
    search: { startRate: 1000, factor: 2, maxRate: 100_000, refinements: 1, maxSteps: 8 },
    stepMs: 800,
    warmupMs: 150,
    drainMs: 1000,
    latencyMs: 1500,
    pairs: 50,
  },
  full: {
    search: { startRate: 1000, factor: 1.4, maxRate: 100_000, refinements: 3, maxSteps: 16 },
    stepMs: 3000,
    warmupMs: 500,
    drainMs: 2000,
    latencyMs: 6000,
    pairs: 50,
  },
};

export interface DirectMeasurement {
  label: string;
  maxRate: number;
  generatorBound: boolean;
  /** Every rate tried held: the maximum is higher than maxRate. */
  ceilingReached: boolean;
  /** The run at half the maximum rate. */
  half: StepResult | null;
}

export async function measureDirect(
  label: string,
  launch: Launcher,
  connect: (server: ServerProcess, pairs: number) => Promise<DirectTransport>,
  profile: DirectProfile,
  log: (line: string) => void,
): Promise<DirectMeasurement> {
  const launched = await launch();
  const proc = launched.server;
  let transport: DirectTransport | null = null;
  try {
    transport = await connect(proc, profile.pairs);
    const t = transport;
    const step = (rate: number): StepConfig => ({ rate, durationMs: profile.stepMs, warmupMs: profile.warmupMs, drainMs: profile.drainMs });
    // Unrecorded warm-up: JIT, statement caches and the first WAL pages, so the search starts even.
    await runDirectStep(t, proc, step(profile.search.startRate));
    log(` ${label}: searching the maximum sustained rate`);
    const search = await searchMaxRate(
      profile.search,
      async (rate) => {
        const r = await runDirectStep(t, proc, step(rate));
        return { ...r, p99: r.delivery.p99 };
      },
      log,
    );
    let half: StepResult | null = null;
    if (Number.isFinite(search.maxRate) && search.maxRate > 0) {
      const rate = Math.max(1, Math.round(search.maxRate / 2));
      try {
        const measured = await guarded(() => runDirectStep(t, proc, { ...step(rate), durationMs: profile.latencyMs }));
        log(`  half rate ${rate}/s: delivery p50 ${measured.delivery.p50.toFixed(2)} p99 ${measured.delivery.p99.toFixed(2)} p99.9 ${measured.delivery.p999.toFixed(2)} ms, cpu ${measured.cpuPerMessageUs.toFixed(0)} µs/msg`);
        half = measured;
      } catch (error) {
        if (!(error instanceof GeneratorLagError)) throw error;
        log(`  half rate ${rate}/s: generator lagged every time; latency of this round not reported`);
      }
    }
    return { label, maxRate: search.maxRate, generatorBound: search.generatorBound, ceilingReached: search.ceilingReached, half };
  } finally {
    await transport?.close();
    await launched.stop();
  }
}
