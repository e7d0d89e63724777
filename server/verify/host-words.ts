/**
 * A host's words, among which rule 7 looks for a verified brand (PROTOCOL.md §4): its labels
 * split at every character that is, or reads as, ASCII punctuation or a dash. Not only at
 * hyphens: URL parsers keep `_ + ~ , ! $ & ' ( ) * ; =` in host names (`paypal_login`,
 * `paypal%5Flogin` decoded), browsers open them and wildcard DNS answers them. And not only at
 * ASCII: the brand-in-domain test is one of skeletons, and `shopbrand‐secure` (U+2010) has the
 * skeleton `shopbrand-secure`; `paypal—secure` (U+2014) reads as `paypal-secure` too, though
 * its skeleton is `paypalーsecure`, so every dash is a break: Unicode's dash punctuation (Pd),
 * what confusables.txt maps to `-` or to the long dash `ー`, and horizontal lines.
 *
 * Some of those are letters: `ー` lengthens a kana vowel (`ソニー`), `一` is Han "one" (`一号店`),
 * `ㅡ` a Hangul vowel, `ノ` a kana. Next to a CJK letter they are part of a word, and CJK
 * brands are looked for inside such words anyway (`cjk-brands.ts`); elsewhere (`paypalーsecure`)
 * they break words like any dash.
 *
 * The words keep their own form (not their skeleton), so that a one-letter word stays one
 * letter even when its skeleton is longer (`m` is `rn`).
 */
import { LONG_DASH_LOOKALIKES, PUNCTUATION_LOOKALIKES } from './skeleton';

/** Lines drawn like a dash that confusables.txt (Unicode 10) does not map; the URL parser keeps them. */
const HORIZONTAL_LINES = [0x23af, 0x23e4, 0x2504, 0x2505, 0x2508, 0x2509, 0x254c, 0x254d, 0x2574, 0x2576, 0x2578, 0x257a, 0x257c, 0x257e];

const LETTER = /\p{L}/u;
const LOOKALIKES = [...new Set([...PUNCTUATION_LOOKALIKES, ...LONG_DASH_LOOKALIKES, ...HORIZONTAL_LINES])];
const isLetter = (code: number): boolean => LETTER.test(String.fromCodePoint(code));
const classOf = (codes: readonly number[]): string => codes.map((code) => `\\u{${code.toString(16)}}`).join('');

const BREAKING = classOf(LOOKALIKES.filter((code) => !isLetter(code)));
const LETTERS = classOf(LOOKALIKES.filter(isLetter));
/** A CJK letter that is not itself one of the look-alike letters, so that `paypalーーsecure` still breaks. */
const CJK_LETTER = `(?![${LETTERS}])[\\p{scx=Han}\\p{scx=Hiragana}\\p{scx=Katakana}\\p{scx=Hangul}\\p{scx=Bopomofo}]`;
const LETTER_BREAK = `(?<!${CJK_LETTER})[${LETTERS}](?!${CJK_LETTER})`;
const WORD_BREAK = new RegExp(`(?:[^a-z0-9\\u0080-\\u{10ffff}]|[\\p{Pd}${BREAKING}]|${LETTER_BREAK})+`, 'u');

/** The words of labels in their Unicode form (not punycode), in order, empty ones left out. */
export function wordsOf(labels: readonly string[]): string[] {
  return labels.flatMap((label) => label.split(WORD_BREAK)).filter((word) => word !== '');
}
