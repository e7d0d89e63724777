/**
 * A compact multimap from 32-bit string hashes to small integers, in one typed array (open
 * addressing, linear probing). It holds the deletion neighbourhoods of millions of brand
 * labels where a Map of strings would take gigabytes and stop at 2^24 entries. A hash may
 * collide: callers check every value they get against the real strings.
 */

const EMPTY = 0;
const MAX_LOAD = 0.8;

/** FNV-1a over the UTF-16 units of `text`, leaving out the unit at `skip` (-1: none), then mixed. */
export function hashSkipping(text: string, skip: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    if (i === skip) continue;
    h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class HashMultimap {
  /** Pairs of (hash, value + 1); a value slot of 0 marks an empty pair. */
  private slots: Uint32Array;
  private mask: number;
  private count = 0;

  constructor(expected = 1024) {
    let capacity = 1024;
    while (capacity * MAX_LOAD < expected) capacity *= 2;
    this.slots = new Uint32Array(capacity * 2);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.count;
  }

  /** Adds the pair unless it is there already. */
  add(hash: number, value: number): void {
    if ((this.count + 1) > (this.mask + 1) * MAX_LOAD) this.grow();
    const stored = value + 1;
    let i = hash & this.mask;
    for (;;) {
      const slot = this.slots[i * 2 + 1];
      if (slot === EMPTY) break;
      if (slot === stored && this.slots[i * 2] === hash) return;
      i = (i + 1) & this.mask;
    }
    this.slots[i * 2] = hash;
    this.slots[i * 2 + 1] = stored;
    this.count++;
  }

  /** Calls `visit` with each value stored under `hash`; stops early when it returns true. */
  find(hash: number, visit: (value: number) => boolean): boolean {
    let i = hash & this.mask;
    for (;;) {
      const slot = this.slots[i * 2 + 1];
      if (slot === undefined || slot === EMPTY) return false;
      if (this.slots[i * 2] === hash && visit(slot - 1)) return true;
      i = (i + 1) & this.mask;
    }
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Uint32Array(old.length * 2);
    this.mask = old.length - 1;
    this.count = 0;
    for (let i = 0; i < old.length; i += 2) {
      const stored = old[i + 1];
      const hash = old[i];
      if (stored !== undefined && stored !== EMPTY && hash !== undefined) this.add(hash, stored - 1);
    }
  }
}
