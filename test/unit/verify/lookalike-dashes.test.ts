/**
 * Rule 7's "a verified brand's name carried by some other registrable domain" with dashes an
 * outside audit found were not word separators: those whose confusable skeleton is the long
 * dash `ー` rather than `-` (U+2014, U+2015, U+30FC) and the rest of Unicode's dash
 * punctuation. Letters drawn as a dash (`ー`, `一`, `ㅡ`) stay letters inside CJK words.
 */
import { describe, expect, it } from 'vitest';
import type { LinkVerdict } from '../../../protocol';
import { createVerdictEngine } from '../../../server/verify/verdict-rules';

/** A verified domain whose label holds an em dash. */
const FOO_BAR = new URL('https://foo—bar.com/').hostname;

const engine = createVerdictEngine({
  merchants: [
    { id: 'pp', name: 'PayPal', domains: ['paypal.com'], status: 'verified' },
    { id: 'shop', name: 'Shop', domains: ['shop.com'], status: 'verified' },
    { id: 'sony', name: 'ソニー', domains: [new URL('https://ソニー.jp/').hostname], status: 'verified' },
    { id: 'yhd', name: '一号店', domains: [new URL('https://一号店.com/').hostname], status: 'verified' },
    { id: 'dash', name: 'Foo Bar', domains: [FOO_BAR], status: 'verified' },
    { id: 'nojima', name: 'ノジマ', domains: [new URL('https://ノジマ.jp/').hostname], status: 'verified' },
  ],
  blocked: [],
});

function verdict(url: string): LinkVerdict {
  const result = engine.verdict(url);
  if (!result.ok) throw new Error(`${url}: ${result.error.code}`);
  return result.value;
}

const hex = (char: string): string => `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/** Every dash punctuation character (Pd) the URL parser lets through into a host. */
function parsableDashes(): string[] {
  const dashes: string[] = [];
  for (let code = 0x80; code <= 0x10ffff; code++) {
    const char = String.fromCodePoint(code);
    if (!/\p{Pd}/u.test(char)) continue;
    try {
      new URL(`https://a${char}b.tld/`);
      dashes.push(char);
    } catch {
      // A host the URL parser refuses never reaches rule 7.
    }
  }
  return dashes;
}

describe('dashes between the brand and other words', () => {
  it.each([
    ['U+2014 em dash', '\u2014'],
    ['U+2015 horizontal bar', '\u2015'],
    ['U+30FC kana long vowel mark', '\u30fc'],
    ['U+FE58 small em dash (the parser makes it U+2014)', '\ufe58'],
    ['U+FF0D full-width hyphen-minus', '\uff0d'],
    ['U+FE63 small hyphen-minus', '\ufe63'],
    ['U+FF70 half-width long vowel mark', '\uff70'],
    ['U+2500 box drawing line', '\u2500'],
    ['U+23AF horizontal line extension', '\u23af'],
    ['U+4E00 Han "one" between Latin letters', '\u4e00'],
    ['U+3161 Hangul eu between Latin letters', '\u3161'],
    ['U+A7F7 Latin epigraphic sideways i', '\ua7f7'],
  ])('%s breaks words', (_name, dash) => {
    expect(verdict(`https://paypal${dash}secure.tld/`)).toMatchObject({ verdict: 'blocked', reason: 'lookalike', imitates: 'paypal.com' });
    expect(verdict(`https://secure${dash}paypal.com/`)).toMatchObject({ verdict: 'blocked', reason: 'lookalike', imitates: 'paypal.com' });
    expect(verdict(`https://shop${dash}com${dash}secure.tld/`)).toMatchObject({ verdict: 'blocked', reason: 'lookalike', imitates: 'shop.com' });
  });

  it('takes every dash punctuation character a host can carry as a break', () => {
    const dashes = parsableDashes();
    expect(dashes.length).toBeGreaterThan(15);
    const missed = dashes.filter((dash) => verdict(`https://paypal${dash}secure.tld/`).imitates !== 'paypal.com').map(hex);
    expect(missed).toEqual([]);
  });

  it.each(['https://paypal—secure.tld/', 'https://paypal―secure.tld/', 'https://paypalーsecure.tld/', 'https://shop—secure.tld/', 'https://shopーcomーsecure.tld/'])(
    'finds the brand in the audit case %s',
    (url) => expect(verdict(url)).toMatchObject({ verdict: 'blocked', reason: 'lookalike' }),
  );

  it('breaks at doubled long dashes too', () => {
    expect(verdict('https://paypalーーsecure.tld/').imitates).toBe('paypal.com');
    expect(verdict('https://paypal一一secure.tld/').imitates).toBe('paypal.com');
  });

  it('finds a brand whose own label holds a dash, carried with other separators', () => {
    expect(verdict('https://foo-bar-login.tld/').imitates).toBe(FOO_BAR);
    expect(verdict('https://foo_bar.evil.tld/').imitates).toBe(FOO_BAR);
    expect(verdict('https://login.foo—bar.evil.tld/').imitates).toBe(FOO_BAR);
  });
});

describe('letters drawn as a dash inside CJK words', () => {
  it('keeps CJK brands that hold them whole', () => {
    expect(verdict('https://ソニー-secure.tld/').imitates).toBe('xn--3ck2a1k.jp');
    expect(verdict('https://ソニー.evil.tld/').imitates).toBe('xn--3ck2a1k.jp');
    expect(verdict('https://一号店-login.tld/').imitates).toBe('xn--4gq48lf9j.com');
  });

  it('keeps a kana that reads as punctuation (ノ, whose skeleton is `/`) inside a Japanese word', () => {
    expect(verdict('https://ノジマ-secure.tld/').imitates).toBe(new URL('https://ノジマ.jp/').hostname);
    expect(verdict('https://shopノsecure.tld/').imitates).toBe('shop.com');
  });

  it.each(['https://号店.com/', 'https://ソニ.com/', 'https://ニー.com/', 'https://ジマ.com/'])('does not cut a CJK brand into a brand of its own: %s', (url) =>
    expect(verdict(url)).toMatchObject({ verdict: 'unverified' }),
  );

  it.each(['https://paypalsecure.tld/', 'https://shopping.com/', 'https://myshop.com/'])('leaves Latin brands whole words only: %s', (url) =>
    expect(verdict(url)).toMatchObject({ verdict: 'unverified' }),
  );
});
