/**
 * A domain permutation generator in the manner of dnstwist, for measuring rule 7: given a
 * brand domain it yields the typosquats and homographs such tools register. Test code only.
 */

export type PermutationKind =
  | 'addition'
  | 'bitsquatting'
  | 'homoglyph'
  | 'hyphenation'
  | 'insertion'
  | 'omission'
  | 'repetition'
  | 'replacement'
  | 'subdomain'
  | 'transposition'
  | 'vowel-swap'
  | 'tld-swap'
  | 'brand-in-domain';

export interface Permutation {
  kind: PermutationKind;
  domain: string;
}

const KEYBOARD_ROWS = ['1234567890-', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'];

function keyboardNeighbours(char: string): string[] {
  const out: string[] = [];
  KEYBOARD_ROWS.forEach((row, r) => {
    const i = row.indexOf(char);
    if (i < 0) return;
    for (const [dr, di] of [[0, -1], [0, 1], [-1, 0], [-1, 1], [1, -1], [1, 0]] as const) {
      const near = KEYBOARD_ROWS[r + dr]?.[i + di];
      if (near !== undefined) out.push(near);
    }
  });
  return out;
}

/** dnstwist-style glyphs: ASCII look-alikes, accented and foreign letters, and pairs. */
const GLYPHS: Readonly<Record<string, readonly string[]>> = {
  a: ['à', 'á', 'â', 'ã', 'ä', 'å', 'ɑ', 'ạ', 'ǎ', 'ă', 'ȧ', 'ą', 'а', '4'],
  b: ['d', 'lb', 'ʙ', 'ɓ', 'ḃ', 'ḅ', 'ḇ', 'ƅ', 'Ь'],
  c: ['e', 'ƈ', 'ċ', 'ć', 'ç', 'č', 'ĉ', 'с'],
  d: ['b', 'cl', 'dl', 'ԁ', 'ɗ', 'đ', 'ḋ', 'ḍ'],
  e: ['é', 'ê', 'ë', 'ē', 'ĕ', 'ě', 'ė', 'ẹ', 'ę', 'ȩ', 'е', '3'],
  g: ['q', 'ɢ', 'ɡ', 'ġ', 'ğ', 'ǵ', 'ģ', '9'],
  h: ['lh', 'ĥ', 'ȟ', 'ħ', 'ɦ', 'ḧ', 'ḩ', 'һ'],
  i: ['1', 'l', 'ɩ', 'ı', 'ï', 'í', 'ì', 'і'],
  j: ['ʝ', 'ɉ', 'ј'],
  k: ['lk', 'ik', 'ķ', 'ĸ', 'κ'],
  l: ['1', 'i', 'ɫ', 'ł', 'ӏ'],
  m: ['n', 'nn', 'rn', 'ṃ', 'ᴍ', 'м', 'ɱ'],
  n: ['m', 'r', 'ń', 'ņ', 'ṅ', 'ṇ', 'ñ', 'ո'],
  o: ['0', 'ο', 'о', 'ơ', 'ó', 'ò', 'ô', 'ö', 'õ', 'ø', 'ō'],
  p: ['ρ', 'р', 'ƿ', 'þ'],
  q: ['g', 'ʠ', 'ԛ'],
  r: ['ʀ', 'ɼ', 'ɽ', 'ŕ', 'ŗ', 'ř', 'г'],
  s: ['ʂ', 'ś', 'ṣ', 'ṡ', 'ș', 'ŝ', 'š', 'ѕ', '5'],
  t: ['ţ', 'ŧ', 'ṫ', 'ṭ', 'ț', 'ƫ', '7'],
  u: ['ᴜ', 'ǔ', 'ŭ', 'ü', 'ʉ', 'ù', 'ú', 'û', 'ũ', 'ū', 'ų', 'ư', 'ů', 'v'],
  v: ['ṿ', 'ⱱ', 'ᶌ', 'ṽ', 'ⱴ', 'u', 'ν'],
  w: ['vv', 'ŵ', 'ẁ', 'ẃ', 'ẅ', 'ⱳ', 'ẇ', 'ẉ', 'ẘ', 'ѡ', 'ԝ'],
  x: ['х', 'ҳ', 'ẋ', 'ẍ'],
  y: ['ʏ', 'ý', 'ÿ', 'ŷ', 'ƴ', 'ȳ', 'ɏ', 'ỿ', 'ẏ', 'ỵ', 'у'],
  z: ['ʐ', 'ż', 'ź', 'ᴢ', 'ƶ', 'ẓ', 'ẕ', 'ⱬ', '2'],
};

const VOWELS = 'aeiou';
const ADDED = 'abcdefghijklmnopqrstuvwxyz0123456789';
const TLDS = ['net', 'org', 'cn', 'com.cn', 'shop', 'top', 'xyz', 'co.uk', 'github.io', 'info', 'hk', 'cn.com', 'blogspot.com'];
const WORDS = ['login', 'secure', 'account', 'pay', 'verify', 'support', 'shop', 'official'];

function* labelPermutations(label: string): Generator<{ kind: PermutationKind; label: string }> {
  const chars = [...label];
  const at = (i: number, ...insert: string[]): string => [...chars.slice(0, i), ...insert, ...chars.slice(i)].join('');
  const replace = (i: number, by: string): string => [...chars.slice(0, i), by, ...chars.slice(i + 1)].join('');
  for (const c of ADDED) yield { kind: 'addition', label: label + c };
  const queue: { kind: PermutationKind; label: string }[] = [];
  chars.forEach((char, i) => {
    for (let bit = 0; bit < 8; bit++) {
      const code = char.charCodeAt(0);
      if (code >= 0x80) break;
      const flipped = String.fromCharCode(code ^ (1 << bit)).toLowerCase();
      if (/^[a-z0-9-]$/.test(flipped) && flipped !== char) queue.push({ kind: 'bitsquatting', label: replace(i, flipped) });
    }
    for (const glyph of GLYPHS[char] ?? []) queue.push({ kind: 'homoglyph', label: replace(i, glyph) });
    if (i > 0) queue.push({ kind: 'hyphenation', label: at(i, '-') });
    for (const near of keyboardNeighbours(char)) {
      queue.push({ kind: 'insertion', label: at(i, near) });
      queue.push({ kind: 'insertion', label: at(i + 1, near) });
      queue.push({ kind: 'replacement', label: replace(i, near) });
    }
    queue.push({ kind: 'omission', label: [...chars.slice(0, i), ...chars.slice(i + 1)].join('') });
    queue.push({ kind: 'repetition', label: at(i, char) });
    if (i > 0 && chars[i - 1] !== '-' && char !== '-') queue.push({ kind: 'subdomain', label: at(i, '.') });
    const next = chars[i + 1];
    if (next !== undefined && next !== char) {
      queue.push({ kind: 'transposition', label: [...chars.slice(0, i), next, char, ...chars.slice(i + 2)].join('') });
    }
    if (VOWELS.includes(char)) {
      for (const v of VOWELS) if (v !== char) queue.push({ kind: 'vowel-swap', label: replace(i, v) });
    }
  });
  yield* queue;
}

/** Permutations of `label.suffix`, without duplicates and without the original. */
export function permutations(domain: string): Permutation[] {
  const dot = domain.indexOf('.');
  const label = domain.slice(0, dot);
  const suffix = domain.slice(dot + 1);
  const seen = new Map<string, PermutationKind>();
  const add = (kind: PermutationKind, candidate: string): void => {
    if (candidate !== domain && !seen.has(candidate)) seen.set(candidate, kind);
  };
  for (const p of labelPermutations(label)) {
    if (p.label.startsWith('-') || p.label.endsWith('-') || p.label.includes('.-') || p.label.includes('-.')) continue;
    add(p.kind, `${p.label}.${suffix}`);
  }
  for (const tld of TLDS) if (tld !== suffix) add('tld-swap', `${label}.${tld}`);
  for (const word of WORDS) {
    add('brand-in-domain', `${label}-${word}.com`);
    add('brand-in-domain', `${word}-${label}.net`);
    add('brand-in-domain', `${label}.${suffix}.${word}-check.com`);
    add('brand-in-domain', `${label}-${suffix.replaceAll('.', '-')}-${word}.top`);
  }
  return [...seen].map(([candidate, kind]) => ({ kind, domain: candidate }));
}
