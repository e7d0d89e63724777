import { describe, expect, it } from 'vitest';
import { BoundedCache } from '../../../server/store/bounded-cache';

describe('bounded cache', () => {
  it('keeps at most its bound, dropping the entries set least recently, a tenth at a time', () => {
    const cache = new BoundedCache<number>(20);
    for (let i = 0; i < 20; i++) cache.set(`k${i}`, i);
    // Set again: k0 is now the most recent.
    cache.set('k0', 100);
    cache.set('k20', 20);
    expect(cache.size).toBe(19);
    expect(cache.get('k1')).toBeUndefined();
    expect(cache.get('k2')).toBeUndefined();
    expect(cache.get('k3')).toBe(3);
    expect(cache.get('k0')).toBe(100);
    expect(cache.get('k20')).toBe(20);
    for (let i = 21; i < 1000; i++) cache.set(`k${i}`, i);
    expect(cache.size).toBeLessThanOrEqual(20);
    expect(cache.get('k999')).toBe(999);
    cache.clear();
    expect(cache.size).toBe(0);
  });
});
