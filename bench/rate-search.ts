/**
 * Finds the maximum sustained rate: step the offered rate up until a step fails (latency
 * explodes, acks or deliveries lag behind), then narrow between the last good and the first bad.
 * Steps where the generator itself lagged are repeated; if it keeps lagging the search stops
 * there and says the maximum is bounded by the generator, not the server.
 */
import { GeneratorLagError, guarded } from './loop-guard';

/** A step is sustained while its p99 stays under this and everything arrives within the drain time. */
export const EXPLODE_P99_MS = 100;

export interface SearchStep {
  rate: number;
  sent: number;
  acked: number;
  delivered: number;
  p99: number;
  achievedRate: number;
}

export interface SearchConfig {
  startRate: number;
  factor: number;
  maxRate: number;
  /** Narrowing steps between the last good and the first failing rate. */
  refinements: number;
  /** Stop after this many steps in all, whatever happened. */
  maxSteps: number;
}

export interface SearchOutcome<S extends SearchStep> {
  /** NaN when no step could be measured because the generator lagged. */
  maxRate: number;
  best: S | null;
  steps: { step: S; sustained: boolean }[];
  generatorBound: boolean;
  /** Every rate tried held: the search ended on its step budget or rate cap, and the true maximum is higher. */
  ceilingReached: boolean;
}

export function sustained(step: SearchStep): boolean {
  return step.acked >= step.sent && step.delivered >= step.sent && Number.isFinite(step.p99) && step.p99 <= EXPLODE_P99_MS && step.achievedRate >= 0.9 * step.rate;
}

export async function searchMaxRate<S extends SearchStep>(config: SearchConfig, runStep: (rate: number) => Promise<S>, log: (line: string) => void): Promise<SearchOutcome<S>> {
  const steps: { step: S; sustained: boolean }[] = [];
  let good: S | null = null;
  let badRate = Infinity;
  let generatorBound = false;
  let rate = config.startRate;

  const attempt = async (r: number): Promise<boolean | null> => {
    try {
      const step = await guarded(() => runStep(r));
      const ok = sustained(step);
      steps.push({ step, sustained: ok });
      log(`  ${Math.round(r)}/s: ${ok ? 'sustained' : 'FAILED'} p99 ${step.p99.toFixed(2)} ms, ${step.delivered}/${step.sent} delivered, loop p99 ${step.loop.p99Ms.toFixed(1)} ms`);
      if (ok && (good === null || step.rate > good.rate)) good = step;
      return ok;
    } catch (error) {
      if (!(error instanceof GeneratorLagError)) throw error;
      log(`  ${Math.round(r)}/s: generator lagged (${error.message}); not reported`);
      generatorBound = true;
      return null;
    }
  };

  let tried = 0;
  // Up from the start while steps hold; if the very first one fails, down until one holds.
  const firstOk = await attempt(rate);
  tried++;
  if (firstOk === true) {
    while (tried++ < config.maxSteps && rate * config.factor <= config.maxRate) {
      rate = Math.round(rate * config.factor);
      if ((await attempt(rate)) !== true) {
        badRate = rate;
        break;
      }
    }
  } else {
    badRate = rate;
    // Lagging says nothing about the server's capacity, so it does not send the search further down.
    while (firstOk === false && tried++ < config.maxSteps && rate / config.factor >= config.startRate / 64) {
      rate = Math.round(rate / config.factor);
      const ok = await attempt(rate);
      if (ok !== false) break;
      badRate = rate;
    }
  }
  // A rate where the generator lagged counts as an upper bound too, so narrowing goes on below it.
  for (let i = 0; i < config.refinements && Number.isFinite(badRate) && tried++ < config.maxSteps; i++) {
    const low: number = (good as S | null)?.rate ?? 0;
    const mid = Math.round((low + badRate) / 2);
    if (mid <= low || mid >= badRate) break;
    const ok = await attempt(mid);
    if (ok !== true) badRate = mid;
  }
  const best = good as S | null;
  // No step held: zero if the server failed them, unknown (NaN, left out of medians) if the generator lagged.
  const maxRate = best ? best.rate : generatorBound ? NaN : 0;
  return { maxRate, best, steps, generatorBound, ceilingReached: best !== null && !generatorBound && badRate === Infinity };
}
