/**
 * Whether a label is one typo away from a brand label (PROTOCOL.md §4, rule 7): a character
 * left out, added or repeated, a hyphen added or removed, two neighbours swapped, or one
 * character replaced by a keyboard neighbour, a look-alike, a flipped bit, another vowel, or
 * any non-ASCII letter in an ASCII brand (a homoglyph). An arbitrary replacement is not a typo
 * here: `tango` is not `mango`, so unrelated names one letter apart stay apart.
 */

/** QWERTY, QWERTZ and AZERTY rows: dnstwist's keyboards. */
const KEYBOARDS: readonly (readonly string[])[] = [
  ['1234567890-', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'],
  ['1234567890-', 'qwertzuiop', 'asdfghjkl', 'yxcvbnm'],
  ['1234567890-', 'azertyuiop', 'qsdfghjklm', 'wxcvbn'],
];

/** Letters and digits that read alike in common fonts. */
const LOOKALIKE_PAIRS = ['o0', 'l1', 'i1', 'il', 'e3', 'a4', 's5', 'b6', 't7', 'b8', 'g9', 'q9', 'z2', 'bd', 'pq', 'gq', 'mn', 'nr', 'uv', 'ce', 'vy'];

const VOWELS = 'aeiouy';

function buildNeighbours(): Set<string> {
  const pairs = new Set<string>();
  const add = (a: string | undefined, b: string | undefined): void => {
    if (a === undefined || b === undefined || a === b) return;
    pairs.add(a + b);
    pairs.add(b + a);
  };
  for (const rows of KEYBOARDS) {
    rows.forEach((row, r) => {
      for (let i = 0; i < row.length; i++) {
        add(row[i], row[i + 1]);
        const below = rows[r + 1];
        if (below) {
          add(row[i], below[i]);
          add(row[i], below[i - 1]);
        }
      }
    });
  }
  for (const pair of LOOKALIKE_PAIRS) add(pair[0], pair[1]);
  for (const a of VOWELS) for (const b of VOWELS) add(a, b);
  return pairs;
}

const NEIGHBOURS = buildNeighbours();

function isBitFlip(a: number, b: number): boolean {
  const x = a ^ b;
  return x !== 0 && (x & (x - 1)) === 0;
}

/** Whether `typed` replacing `brand` (one character each) is a plausible typo or homoglyph. */
export function isTypoReplacement(brand: string, typed: string): boolean {
  const a = brand.charCodeAt(0);
  const b = typed.charCodeAt(0);
  if (a < 0x80 && b >= 0x80) return true;
  if (a >= 0x80 || b >= 0x80) return false;
  return isBitFlip(a, b) || NEIGHBOURS.has(brand + typed);
}

/** Whether `label` differs from `brand` by exactly one typo (UTF-16 units; brands are BMP text). */
export function isOneTypoAway(label: string, brand: string): boolean {
  const n = label.length;
  const m = brand.length;
  if (n === m) {
    let first = -1;
    for (let i = 0; i < n; i++) {
      if (label.charCodeAt(i) === brand.charCodeAt(i)) continue;
      if (first >= 0) {
        const swapped = i === first + 1 && label[first] === brand[i] && label[i] === brand[first];
        return swapped && label.slice(i + 1) === brand.slice(i + 1);
      }
      first = i;
    }
    return first >= 0 && isTypoReplacement(brand.charAt(first), label.charAt(first));
  }
  if (Math.abs(n - m) !== 1) return false;
  const [longer, shorter] = n > m ? [label, brand] : [brand, label];
  let i = 0;
  while (i < shorter.length && longer.charCodeAt(i) === shorter.charCodeAt(i)) i++;
  return longer.slice(i + 1) === shorter.slice(i);
}
