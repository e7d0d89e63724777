/**
 * Brands written in CJK scripts (Han, kana, Hangul, Bopomofo), found inside a run of CJK
 * characters of a host (PROTOCOL.md §4 rule 7, "a verified brand's name carried by some other
 * registrable domain"). Names in those scripts are written without separators between words
 * (`淘宝登录`, "Taobao login"), so looking for whole words would never find the brand; a Latin
 * brand stays whole words only (`shopping` does not carry `shop`). A brand of two characters
 * counts only at the start or end of a run: two characters are also part of ordinary words
 * (`京东` inside `北京东路`, Beijing East Road), while a longer brand in the middle of a run is
 * hardly there by chance.
 *
 * Keys are made of the skeletons of single characters, so that a run's substrings cost no
 * skeleton each, and only substrings as long as the longest CJK brand are looked up: a query
 * costs at most (CJK characters of the host × longest CJK brand) Map lookups, whatever the
 * number of merchants.
 */
import { skeleton } from './skeleton';

/** Brands this short are looked for only at the start or end of a run. */
const EDGE_ONLY_LENGTH = 2;

const CJK = /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}\p{scx=Bopomofo}]/u;
const ASCII = /^[\0-\x7f]*$/;

/** Per code point; CJK text repeats a few thousand characters. */
const keyCache = new Map<number, string>();

function keyOf(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  let key = keyCache.get(code);
  if (key === undefined) {
    key = skeleton(char);
    keyCache.set(code, key);
  }
  return key;
}

export class CjkBrandIndex {
  /** Brand key → brand id, or ids when several brands share a key. */
  private readonly byKey = new Map<string, number | number[]>();
  /** In characters: no substring longer than this can be a brand. */
  private longest = 0;

  /** `minLength`: the fewest characters a brand needs to be looked for inside other words. */
  constructor(private readonly minLength: number) {}

  /** Takes the brand if it is written in CJK characters only, `minLength` of them or more. */
  add(raw: string, id: number): void {
    const chars = Array.from(raw);
    if (chars.length < this.minLength || !chars.every((char) => CJK.test(char))) return;
    const key = chars.map(keyOf).join('');
    const present = this.byKey.get(key);
    if (present === undefined) this.byKey.set(key, id);
    else if (typeof present === 'number') this.byKey.set(key, [present, id]);
    else present.push(id);
    this.longest = Math.max(this.longest, chars.length);
  }

  /** The first brand `accept` takes among those a run of CJK characters in the labels holds. */
  find(labels: readonly string[], accept: (id: number) => boolean): number | null {
    if (this.longest === 0) return null;
    for (const label of labels) {
      if (ASCII.test(label)) continue;
      let run: string[] = [];
      for (const char of label) {
        if (CJK.test(char)) {
          run.push(keyOf(char));
          continue;
        }
        const found = this.findInRun(run, accept);
        if (found !== null) return found;
        run = [];
      }
      const found = this.findInRun(run, accept);
      if (found !== null) return found;
    }
    return null;
  }

  private findInRun(run: readonly string[], accept: (id: number) => boolean): number | null {
    for (let start = 0; start + this.minLength <= run.length; start++) {
      let key = '';
      const end = Math.min(run.length, start + this.longest);
      for (let i = start; i < end; i++) {
        key += run[i] ?? '';
        const length = i + 1 - start;
        if (length < this.minLength) continue;
        if (length <= EDGE_ONLY_LENGTH && start > 0 && i + 1 < run.length) continue;
        const present = this.byKey.get(key);
        if (present === undefined) continue;
        for (const id of typeof present === 'number' ? [present] : present) if (accept(id)) return id;
      }
    }
    return null;
  }
}
