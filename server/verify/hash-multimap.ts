/**
 * A compact multimap from 32-bit string hashes to small integers, in one typed array (open
 * addressing, linear probing). It holds the deletion neighbourhoods of millions of brand
 * labels where a Map of strings would take gigabytes and stop at 2^24 entries, and the word
 * sequences of brands of several words. A hash may collide: callers check every value they
 * get against the real strings.
 */

const EMPTY = 0;
const MAX_LOAD = 0.8;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Spreads an FNV-1a state over all 32 bits, so that the table's low bits are well mixed. */
function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/**
 * FNV-1a over `text`, leaving out its code point number `skip` (-1: none), then mixed. Code
 * points, not UTF-16 units: a typo leaves out a character, and `𠮷` is one character in two
 * units (PROTOCOL.md §4 rule 7 counts characters).
 */
export function hashSkipping(text: string, skip: number): number {
  let h = FNV_OFFSET;
  let point = 0;
  for (let i = 0; i < text.length; i++, point++) {
    const unit = text.charCodeAt(i);
    const pair = isHighSurrogate(unit) && isLowSurrogate(text.charCodeAt(i + 1));
    if (point === skip) {
      if (pair) i++;
      continue;
    }
    h = Math.imul(h ^ unit, FNV_PRIME);
    if (pair) {
      i++;
      h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
    }
  }
  return finish(h);
}

/** The state of a running hash of a sequence of words (`phraseStep`), before its first word. */
export const PHRASE_START = FNV_OFFSET;

/** The running hash of a sequence of words with `word` appended; a separator keeps `ab c` apart from `a bc`. */
export function phraseStep(state: number, word: string): number {
  let h = state;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), FNV_PRIME);
  return Math.imul(h ^ 0x2d, FNV_PRIME);
}

/** The key of a sequence of words under which a `HashMultimap` stores it. */
export function phraseHash(state: number): number {
  return finish(state);
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

  /** Whether the pair is stored; no callback, for the hot loop over a host's words. */
  has(hash: number, value: number): boolean {
    const stored = value + 1;
    let i = hash & this.mask;
    for (;;) {
      const slot = this.slots[i * 2 + 1];
      if (slot === undefined || slot === EMPTY) return false;
      if (slot === stored && this.slots[i * 2] === hash) return true;
      i = (i + 1) & this.mask;
    }
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
