/**
 * Rule 7's "a label mixing scripts" as UTS #39's resolved script set: an outside audit found
 * Latin mixed with Han, Hangul, kana or Bopomofo let through (`shㅇp.com` with a Hangul ㅇ),
 * because "highly restrictive" allows those pairs. Only the CJK writing systems themselves
 * (Han with kana, with Hangul, with Bopomofo) are one script.
 */
import { describe, expect, it } from 'vitest';
import type { LinkVerdict } from '../../../protocol';
import { isMixedScript } from '../../../server/verify/mixed-script';
import { createVerdictEngine } from '../../../server/verify/verdict-rules';

const engine = createVerdictEngine({
  merchants: [
    { id: 'shop', name: 'Shop', domains: ['shop.com'], status: 'verified' },
    { id: 'milo', name: 'Milo', domains: ['milo.com'], status: 'verified' },
    { id: 'pp', name: 'PayPal', domains: ['paypal.com'], status: 'verified' },
  ],
  blocked: [],
});

function verdict(url: string): LinkVerdict {
  const result = engine.verdict(url);
  if (!result.ok) throw new Error(`${url}: ${result.error.code}`);
  return result.value;
}

describe('isMixedScript', () => {
  it.each([
    ['Latin and Hangul', 'shㅇp'],
    ['Latin and Han', 'mi丨o'],
    ['Latin and Katakana', 'shロp'],
    ['Latin and a Han square', 'sh口p'],
    ['Latin and Han words', 'abc中国'],
    ['Latin and Hiragana', 'abcひらがな'],
    ['Latin and Bopomofo', 'abcㄅㄆ'],
    ['Latin and the kana long vowel mark', 'paypalー'],
    ['Hiragana and Hangul', 'ひらがな한국'],
    ['Han, Hangul and Hiragana', '中国한국ひらがな'],
    ['Latin and Cyrillic', 'pаypal'],
    ['Cyrillic and Han', 'пример中国'],
  ])('%s: %s mixes scripts', (_kind, label) => expect(isMixedScript(label)).toBe(true));

  it.each([
    ['ASCII', 'shop-brand-2'],
    ['Latin with accents', 'bücher'],
    ['Japanese: Han, Hiragana and Katakana', '日本語のドメイン'],
    ['Korean: Han and Hangul', '韓國한국어'],
    ['Chinese with Bopomofo', '中文ㄅㄆ'],
    ['Han with digits and a hyphen', '中国-123'],
    ['Hangul alone', '한국어도메인'],
    ['Cyrillic alone', 'пример'],
    ['one script the old list lacked (Tai Le)', 'ᥐᥑ'],
  ])('%s: %s does not', (_kind, label) => expect(isMixedScript(label)).toBe(false));
});

describe('hosts whose labels mix Latin with a CJK script', () => {
  it.each([
    'https://shㅇp.com/',
    'https://miㅣo.com/',
    'https://mi丨o.com/',
    'https://shロp.com/',
    'https://sh口p.com/',
    'https://paypaㅣ-secure.tld/',
    'https://shㅇp.com.attacker.tld/',
    'https://abc中国.com/',
    'https://abcカタカナ.com/',
    'https://abcひらがな.com/',
    'https://abc한국.com/',
    'https://abcㄅㄆ.com/',
  ])('%s is a lookalike', (url) => expect(verdict(url)).toMatchObject({ verdict: 'blocked', reason: 'lookalike' }));

  it.each(['https://日本語のドメイン.jp/', 'https://한국어도메인.kr/', 'https://中文ㄅㄆ.tw/', 'https://東京タワー.jp/', 'https://ᥐᥑ.com/'])(
    'leaves %s alone: one writing system',
    (url) => expect(verdict(url)).toMatchObject({ verdict: 'unverified' }),
  );
});
