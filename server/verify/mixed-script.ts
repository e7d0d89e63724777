/**
 * Mixed-script labels (UTS #39 §5, restriction level "highly restrictive"): a label may use
 * one script, or Latin together with Han + Hiragana + Katakana (Japanese), Han + Bopomofo
 * (Chinese) or Han + Hangul (Korean). Anything else (`pаypal` with a Cyrillic а) mixes scripts.
 */

/** Scripts told apart; a letter of any other script counts as a script of its own. */
const SCRIPTS = [
  'Latin', 'Greek', 'Cyrillic', 'Armenian', 'Hebrew', 'Arabic', 'Syriac', 'Thaana', 'Nko', 'Devanagari',
  'Bengali', 'Gurmukhi', 'Gujarati', 'Oriya', 'Tamil', 'Telugu', 'Kannada', 'Malayalam', 'Sinhala', 'Thai',
  'Lao', 'Tibetan', 'Myanmar', 'Georgian', 'Hangul', 'Ethiopic', 'Cherokee', 'Canadian_Aboriginal', 'Ogham',
  'Runic', 'Khmer', 'Mongolian', 'Hiragana', 'Katakana', 'Bopomofo', 'Han', 'Yi', 'Coptic', 'Glagolitic',
  'Tifinagh', 'Vai', 'Javanese', 'Balinese',
] as const;

const SCRIPT_TESTS = SCRIPTS.map((name) => ({ name, test: new RegExp(`\\p{scx=${name}}`, 'u') }));
const NEUTRAL = /[\p{scx=Common}\p{scx=Inherited}]/u;

/** UTS #39's augmented scripts: the writing systems that combine several scripts. */
const AUGMENTED: Readonly<Record<string, readonly string[]>> = {
  Han: ['Han', 'Hanb', 'Jpan', 'Kore'],
  Hiragana: ['Hiragana', 'Jpan'],
  Katakana: ['Katakana', 'Jpan'],
  Hangul: ['Hangul', 'Kore'],
  Bopomofo: ['Bopomofo', 'Hanb'],
};
const CJK_SYSTEMS = ['Hanb', 'Jpan', 'Kore'];

const cache = new Map<number, readonly string[] | null>();

/** The augmented script set of one code point; null for Common and Inherited (they go with any). */
function scriptsOf(char: string): readonly string[] | null {
  const code = char.codePointAt(0) ?? 0;
  const known = cache.get(code);
  if (known !== undefined) return known;
  let result: readonly string[] | null;
  const names = SCRIPT_TESTS.filter((script) => script.test.test(char)).flatMap((script) => AUGMENTED[script.name] ?? [script.name]);
  if (names.length > 0) result = names;
  else result = NEUTRAL.test(char) ? null : [`U+${code.toString(16)}`];
  cache.set(code, result);
  return result;
}

const ASCII = /^[ -~]*$/;

function intersect(set: ReadonlySet<string>, names: readonly string[]): Set<string> {
  return new Set(names.filter((name) => set.has(name)));
}

export function isMixedScript(label: string): boolean {
  if (ASCII.test(label)) return false;
  let hasLatin = false;
  let others: Set<string> | null = null;
  for (const char of label) {
    const scripts = scriptsOf(char);
    if (scripts === null) continue;
    if (scripts.includes('Latin')) {
      hasLatin = true;
      if (scripts.length === 1) continue;
    }
    const own = scripts.filter((name) => name !== 'Latin');
    const common: Set<string> = others === null ? new Set(own) : intersect(others, own);
    if (common.size === 0) return true;
    others = common;
  }
  if (others === null || !hasLatin) return false;
  const remaining = others;
  return !CJK_SYSTEMS.some((system) => remaining.has(system));
}
