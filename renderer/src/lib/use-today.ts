import { useSyncExternalStore } from 'react';
import { startOfDay } from './format-time';

const MINUTE_MS = 60_000;

const listeners = new Set<() => void>();
let timer: ReturnType<typeof setTimeout> | undefined;

/**
 * One timer for every subscriber, set for the next minute boundary rather than for midnight: a
 * wait of hours would miss a changed system clock or time zone, or a computer woken from sleep,
 * while a minute's wait puts any of those right within a minute. Early wake-ups are harmless: the
 * day is read afresh each time and the next wait is computed from the real time.
 */
function schedule(): void {
  timer = setTimeout(() => {
    schedule();
    for (const listener of listeners) listener();
  }, MINUTE_MS - (Date.now() % MINUTE_MS));
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (timer === undefined) schedule();
  return () => {
    listeners.delete(listener);
    if (listeners.size > 0 || timer === undefined) return;
    clearTimeout(timer);
    timer = undefined;
  };
}

function today(): number {
  return startOfDay(Date.now());
}

/**
 * The start of the local day, for labels relative to today ("Yesterday", a weekday, "Today"). The
 * component re-renders when the day changes even if nothing else does; a minute passing alone
 * re-renders nothing, since React compares the day, not the time.
 */
export function useToday(): number {
  return useSyncExternalStore(subscribe, today);
}
