import { describe, expect, it } from 'vitest';
import { PageQueue } from '../../main/page-queue';

describe('PageQueue', () => {
  it('holds items until the window is ready, then delivers in order', () => {
    const queue = new PageQueue<string>();
    const delivered: string[] = [];
    queue.push('a');
    queue.push('b');
    expect(delivered).toEqual([]);
    queue.attach((item) => delivered.push(item));
    queue.push('c');
    expect(delivered).toEqual(['a', 'b', 'c']);
    queue.detach();
    queue.push('d');
    expect(delivered).toHaveLength(3);
  });

  it('holds at most 16 while no window listens', () => {
    const queue = new PageQueue<number>();
    for (let i = 0; i < 20; i++) queue.push(i);
    const delivered: number[] = [];
    queue.attach((item) => delivered.push(item));
    expect(delivered).toEqual([...Array(16).keys()]);
  });
});
