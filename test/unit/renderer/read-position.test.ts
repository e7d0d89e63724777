/** Which rows of the message list count as seen, and where the first unread message is. */
import { describe, expect, it } from 'vitest';
import type { Message } from '../../../protocol';
import { firstIndexAfter, lastSeenIndex, type RowSpan } from '../../../renderer/src/ui/read-position';

/** Rows of 50 px from 0. */
const rows = (count: number, size = 50): RowSpan[] => Array.from({ length: count }, (_, index) => ({ index, start: index * size, end: (index + 1) * size }));

describe('lastSeenIndex', () => {
  it('is the last row shown whole within the viewport, not one cut by its bottom edge', () => {
    expect(lastSeenIndex(rows(20), 100, 320)).toBe(5); // row 6 spans 300-350: cut off
    expect(lastSeenIndex(rows(20), 100, 350)).toBe(6);
    expect(lastSeenIndex(rows(20), 100, 351)).toBe(6);
  });

  it('counts a row within 2 px of the bottom edge as whole (rounding)', () => {
    expect(lastSeenIndex(rows(20), 0, 298)).toBe(5);
    expect(lastSeenIndex(rows(20), 0, 297)).toBe(4);
  });

  it('counts a row taller than the viewport once its top is at or above the viewport top', () => {
    const tall: RowSpan[] = [{ index: 0, start: 0, end: 50 }, { index: 1, start: 50, end: 1050 }, { index: 2, start: 1050, end: 1100 }];
    expect(lastSeenIndex(tall, 0, 400)).toBe(0);
    expect(lastSeenIndex(tall, 60, 460)).toBe(1);
  });

  it('is undefined when no row is shown whole', () => {
    expect(lastSeenIndex([], 0, 400)).toBeUndefined();
    expect(lastSeenIndex([{ index: 3, start: 10, end: 900 }], 0, 400)).toBeUndefined();
  });
});

describe('firstIndexAfter', () => {
  const log = [3, 4, 5, 9, 10].map((seq) => ({ seq }) as Message);
  it('finds the first message after a seq, also across gaps', () => {
    expect(firstIndexAfter(log, 0)).toBe(0);
    expect(firstIndexAfter(log, 4)).toBe(2);
    expect(firstIndexAfter(log, 6)).toBe(3);
    expect(firstIndexAfter(log, 10)).toBeUndefined();
    expect(firstIndexAfter([], 1)).toBeUndefined();
  });
});
