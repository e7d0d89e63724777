import type { Message } from '../../../protocol';

/** A row's place in the list's scrolled content, as the virtualizer measures it. */
export interface RowSpan {
  index: number;
  start: number;
  end: number;
}

/** Rows within this many pixels of the viewport's bottom edge count as shown whole (rounding). */
const EDGE_PX = 2;

/**
 * The index of the last row the reader can see: shown whole within the viewport
 * [top, bottom), or taller than the part of it left below its top (a long message filling the
 * viewport). Rows are in order; undefined when none is.
 */
export function lastSeenIndex(rows: readonly RowSpan[], top: number, bottom: number): number | undefined {
  let seen: number | undefined;
  for (const row of rows) {
    if (row.start >= bottom) break;
    if (row.end <= bottom + EDGE_PX || row.start <= top) seen = row.index;
  }
  return seen;
}

/** The index of the first message after `seq` in a log ordered by seq, or undefined when none is. */
export function firstIndexAfter(items: readonly Message[], seq: number): number | undefined {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((items[middle]?.seq ?? Infinity) > seq) high = middle;
    else low = middle + 1;
  }
  return low < items.length ? low : undefined;
}
