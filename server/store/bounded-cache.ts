/**
 * A map with a size bound for the store's in-memory caches: past the bound the entries set least
 * recently go, a tenth at a time (a Map iterates in insertion order, and `set` moves an entry to
 * the end), so that the bound costs nothing on most calls and made-up keys cannot grow it.
 */
export class BoundedCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly max: number) {}

  get(key: string): V | undefined {
    return this.entries.get(key);
  }

  set(key: string, value: V): void {
    if (this.entries.delete(key) || this.entries.size < this.max) {
      this.entries.set(key, value);
      return;
    }
    let evict = Math.max(1, Math.floor(this.max / 10));
    for (const old of this.entries.keys()) {
      this.entries.delete(old);
      if (--evict === 0) break;
    }
    this.entries.set(key, value);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
