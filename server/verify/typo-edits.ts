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
  const a = brand.codePointAt(0) ?? 0;
  const b = typed.codePointAt(0) ?? 0;
  if (a < 0x80 && b >= 0x80) return true;
  if (a >= 0x80 || b >= 0x80) return false;
  return isBitFlip(a, b) || NEIGHBOURS.has(brand + typed);
}

/** Whether the characters of `a` from `from` on are those of `b` from `fromB` on. */
function sameFrom(a: readonly string[], from: number, b: readonly string[], fromB: number): boolean {
  if (a.length - from !== b.length - fromB) return false;
  for (let k = 0; from + k < a.length; k++) if (a[from + k] !== b[fromB + k]) return false;
  return true;
}

/** Whether `label` differs from `brand` by exactly one typo, counted in characters (code points). */
export function isOneTypoAway(label: string, brand: string): boolean {
  // Characters, not UTF-16 units: `𠮷` is one character in two units, and a typo leaves out, adds or swaps characters.
  const typed = Array.from(label);
  const meant = Array.from(brand);
  const n = typed.length;
  const m = meant.length;
  if (n === m) {
    let first = -1;
    for (let i = 0; i < n; i++) {
      if (typed[i] === meant[i]) continue;
      if (first >= 0) {
        const swapped = i === first + 1 && typed[first] === meant[i] && typed[i] === meant[first];
        return swapped && sameFrom(typed, i + 1, meant, i + 1);
      }
      first = i;
    }
    return first >= 0 && isTypoReplacement(meant[first] ?? '', typed[first] ?? '');
  }
  if (Math.abs(n - m) !== 1) return false;
  const [longer, shorter] = n > m ? [typed, meant] : [meant, typed];
  let i = 0;
  while (i < shorter.length && longer[i] === shorter[i]) i++;
  return sameFrom(longer, i + 1, shorter, i);
}
