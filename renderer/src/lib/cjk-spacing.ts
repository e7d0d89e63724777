import type { TFunction } from 'i18next';

/** Marks where an interpolated value starts and ends (private-use characters, never in a dictionary). */
const OPEN = '\uE000';
const CLOSE = '\uE001';

/** The blocks of Han, kana, Hangul, CJK punctuation and full-width forms. */
const CJK_BLOCKS = /[\u2E80-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFFEF]/u;
/** Letters and digits of scripts written with spaces (Latin, Cyrillic, Greek…). */
const SPACED = /[\p{L}\p{N}]/u;

function kind(char: string | undefined): 'cjk' | 'spaced' | 'other' {
  if (char === undefined) return 'other';
  // Their letters and digits (Han, kana, Hangul, full-width Ａ and １) take no spaces around them;
  // their punctuation (。，：“ and the ideographic space) is neutral: no space is ever put next to it.
  if (CJK_BLOCKS.test(char)) return SPACED.test(char) ? 'cjk' : 'other';
  return SPACED.test(char) ? 'spaced' : 'other';
}

/**
 * Joins interpolated values to the words around them as Chinese is written: no space between
 * Chinese and Chinese ("你创建了群聊"), one between Chinese and a Latin name or number
 * ("Ann QA 将你设为管理员"). Dictionaries write their templates without spaces around
 * placeholders where the language puts none; English templates carry their own spaces and
 * come out unchanged. The values themselves (names, titles) are never altered.
 */
export function joinValues(marked: string): string {
  let out = '';
  const chars = [...marked];
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i];
    if (char !== OPEN && char !== CLOSE) {
      out += char;
      continue;
    }
    const before = [...out].pop();
    let j = i + 1;
    while (chars[j] === OPEN || chars[j] === CLOSE) j++;
    const after = chars[j];
    const a = kind(before);
    const b = kind(after);
    if ((a === 'cjk' && b === 'spaced') || (a === 'spaced' && b === 'cjk')) out += ' ';
    i = j - 1;
  }
  return out;
}

/** `t(key, values)` with each value joined to its surroundings by joinValues. */
export function tJoined(t: TFunction, key: string, values: Record<string, string>): string {
  const marked: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) marked[name] = `${OPEN}${value}${CLOSE}`;
  return joinValues(t(key, marked) as string);
}
