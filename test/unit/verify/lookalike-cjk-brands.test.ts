/**
 * Rule 7's "a verified brand's name carried by some other registrable domain" for brands
 * written in Han, kana or Hangul: an outside audit found `登录淘宝.com` ("log in Taobao") let
 * through, because such names have no separators and brands were found as whole words only.
 * A CJK brand of 3 characters or more is now found anywhere inside a run of CJK characters, one
 * of 2 at the run's start or end; Latin brands stay whole words, and ordinary CJK names stay
 * unverified.
 */
import { describe, expect, it } from 'vitest';
import type { LinkVerdict } from '../../../protocol';
import { createVerdictEngine } from '../../../server/verify/verdict-rules';
import { UNRELATED_CJK_DOMAINS } from './unrelated-domains';

const hostOf = (domain: string): string => new URL(`https://${domain}/`).hostname;

const TAOBAO = hostOf('淘宝.com');
const SONY = hostOf('ソニー.jp');
const SAMSUNG = hostOf('삼성.com');

const engine = createVerdictEngine({
  merchants: [
    { id: 'tb', name: '淘宝', domains: [TAOBAO], status: 'verified' },
    { id: 'tm', name: '天猫', domains: [hostOf('天猫.com')], status: 'verified' },
    { id: 'sony', name: 'ソニー', domains: [SONY], status: 'verified' },
    { id: 'samsung', name: '삼성', domains: [SAMSUNG], status: 'verified' },
    { id: 'one', name: '宝', domains: [hostOf('宝.cn')], status: 'verified' },
    { id: 'mall', name: '淘宝网商城', domains: [hostOf('淘宝网商城.com')], status: 'verified' },
    { id: 'shop', name: 'Shop', domains: ['shop.com'], status: 'verified' },
  ],
  blocked: [],
});

function verdict(url: string): LinkVerdict {
  const result = engine.verdict(url);
  if (!result.ok) throw new Error(`${url}: ${result.error.code}`);
  return result.value;
}

describe('a CJK brand inside a run of CJK characters', () => {
  it.each([
    ['after another word', 'https://登录淘宝.com/', TAOBAO],
    ['before another word', 'https://淘宝登录.com/', TAOBAO],
    ['before a word, with Han "one" between', 'https://淘宝一登录.com/', TAOBAO],
    ['before a word, with the kana long vowel mark between', 'https://淘宝ー登录.com/', TAOBAO],
    ['a brand of 3 between two words', 'https://安全淘宝网商城登录.com/', hostOf('淘宝网商城.com')],
    ['in a label left of the registrable domain', 'https://www.登录淘宝.evil.tld/', TAOBAO],
    ['in a label with Latin words around it', 'https://login-淘宝登录-secure.tld/', TAOBAO],
    ['a Katakana brand', 'https://ソニーストア.com/', SONY],
    ['a Hangul brand', 'https://삼성전자.com/', SAMSUNG],
  ])('%s: %s imitates %s', (_kind, url, imitated) => {
    expect(verdict(url)).toMatchObject({ verdict: 'blocked', reason: 'lookalike', imitates: imitated });
  });

  it('looks for a brand of 2 at the start or end of a run only: ordinary words hold two characters by chance', () => {
    const withJd = createVerdictEngine({ merchants: [{ id: 'jd', name: '京东', domains: [hostOf('京东.com')], status: 'verified' }], blocked: [] });
    const jd = (url: string): LinkVerdict => {
      const result = withJd.verdict(url);
      if (!result.ok) throw new Error(url);
      return result.value;
    };
    expect(jd('https://北京东路.cn/')).toMatchObject({ verdict: 'unverified' });
    expect(jd('https://南京东路.cn/')).toMatchObject({ verdict: 'unverified' });
    expect(jd('https://京东商城.cn/')).toMatchObject({ verdict: 'blocked', reason: 'lookalike' });
    expect(jd('https://登录京东.cn/')).toMatchObject({ verdict: 'blocked', reason: 'lookalike' });
    expect(verdict('https://安全淘宝登录.com/')).toMatchObject({ verdict: 'unverified' });
  });

  it('keeps finding the longer brand a host names whole', () => {
    expect(verdict('https://淘宝网商城.net/').imitates).toBe(hostOf('淘宝网商城.com'));
  });

  it('looks for no brand of one character inside other words', () => {
    expect(verdict('https://宝马汽车.cn/')).toMatchObject({ verdict: 'unverified' });
    expect(verdict('https://宝.net/')).toMatchObject({ verdict: 'blocked', reason: 'lookalike' });
  });

  it('finds no brand across characters that are not CJK', () => {
    expect(verdict('https://淘a宝.com/').imitates).toBeUndefined();
  });
});

describe('what stays as it was', () => {
  it.each(['https://shopping.com/', 'https://myshop.com/', 'https://shopbrand.com/'])('finds a Latin brand as whole words only: %s', (url) =>
    expect(verdict(url)).toMatchObject({ verdict: 'unverified' }),
  );

  it.each(['https://淘宝.com/', 'https://www.淘宝.com/'])('keeps %s verified', (url) => expect(verdict(url)).toMatchObject({ verdict: 'verified' }));

  it('takes none of the ordinary CJK names for a lookalike', () => {
    const flagged = UNRELATED_CJK_DOMAINS.filter((domain) => verdict(`https://${domain}/`).verdict !== 'unverified');
    expect(flagged).toEqual([]);
  });
});
