/**
 * A/B/A/B: the subject and its baseline alternate, so drift of a shared, busy machine (other
 * work, thermal state, page cache) falls on both; the ratio reported is the median of rounds.
 */
import { median } from './stats';

export interface AbRound<T> {
  subject: T;
  baseline: T;
}

export interface AbOutcome<T> {
  rounds: AbRound<T>[];
  ratios: number[];
  medianRatio: number;
}

export async function alternate<T>(
  rounds: number,
  run: { subject: () => Promise<T>; baseline: () => Promise<T> },
  ratioOf: (round: AbRound<T>) => number,
): Promise<AbOutcome<T>> {
  const done: AbRound<T>[] = [];
  for (let i = 0; i < rounds; i++) {
    // Subject first in every round: A/B/A/B as the method asks.
    const subject = await run.subject();
    const baseline = await run.baseline();
    done.push({ subject, baseline });
  }
  const ratios = done.map(ratioOf);
  return { rounds: done, ratios, medianRatio: median(ratios) };
}

/** One figure over all rounds: median subject value, median baseline value, median per-round ratio. */
export function abFigure<T>(outcome: AbOutcome<T>, pick: (measurement: T) => number): { value: number; baseline: number; ratio: number } {
  const values = outcome.rounds.map((r) => pick(r.subject));
  const baselines = outcome.rounds.map((r) => pick(r.baseline));
  const ratios = outcome.rounds.map((_, i) => (values[i] ?? NaN) / (baselines[i] ?? NaN));
  return { value: median(values), baseline: median(baselines), ratio: median(ratios) };
}
