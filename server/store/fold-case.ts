/**
 * Case folding for users:search, the same for names and queries. `toLowerCase` alone leaves two
 * spellings of one word apart: a capital Σ lowers to ς at the end of a word and to σ inside one
 * (`ΚΩΣ` is `κως`, `ΚΩΣΤΑΣ` is `κωστασ`), and İ lowers to i followed by a combining dot above
 * (`İlker` did not contain `ilker`).
 */
export function foldCase(text: string): string {
  return text.toLowerCase().replace(/ς/g, 'σ').replace(/i\u0307/g, 'i');
}
