/**
 * A host's words, among which rule 7 looks for a verified brand (PROTOCOL.md §4): its labels
 * split at every character that is, or reads as, ASCII punctuation. Not only at hyphens: URL
 * parsers keep `_ + ~ , ! $ & ' ( ) * ; =` in host names (`paypal_login`, `paypal%5Flogin`
 * decoded), browsers open them and wildcard DNS answers them. And not only at ASCII: the
 * brand-in-domain test is one of skeletons, and `shopbrand‐secure` (U+2010) has the skeleton
 * `shopbrand-secure`. The words keep their own form (not their skeleton), so that a one-letter
 * word stays one letter even when its skeleton is longer (`m` is `rn`).
 */
import { PUNCTUATION_LOOKALIKES } from './skeleton';

const LOOKALIKE_CLASS = PUNCTUATION_LOOKALIKES.map((code) => `\\u{${code.toString(16)}}`).join('');
const WORD_BREAK = new RegExp(`(?:[^a-z0-9\\u0080-\\u{10ffff}]|[${LOOKALIKE_CLASS}])+`, 'u');

/** The words of labels in their Unicode form (not punycode), in order, empty ones left out. */
export function wordsOf(labels: readonly string[]): string[] {
  return labels.flatMap((label) => label.split(WORD_BREAK)).filter((word) => word !== '');
}
