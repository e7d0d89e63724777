/**
 * Rule 7 for the brands an outside audit found unprotected: merchant domains below a
 * registrable domain (`mall.example.com`), and brands of one or two characters (`jd.com`,
 * `淘宝.com`, `x.com`), each with the hosts that must stay as they are.
 */
import { describe, expect, it } from 'vitest';
import type { LinkVerdict } from '../../../protocol';
import { createVerdictEngine } from '../../../server/verify/verdict-rules';

const engine = createVerdictEngine({
  merchants: [
    { id: 'mall', name: 'Example Mall', domains: ['mall.example.com'], status: 'verified' },
    { id: 'deep', name: 'Deep', domains: ['a-b.c-d.e.example.org'], status: 'verified' },
    { id: 'jd', name: 'JD', domains: ['jd.com'], status: 'verified' },
    { id: 'tb', name: '淘宝', domains: [new URL('https://淘宝.com/').hostname], status: 'verified' },
    { id: 'x', name: 'X', domains: ['x.com'], status: 'verified' },
    { id: 'rn', name: 'RN', domains: ['rn.com'], status: 'verified' },
  ],
  blocked: [],
});

function verdict(url: string): LinkVerdict {
  const result = engine.verdict(url);
  if (!result.ok) throw new Error(`${url}: ${result.error.code}`);
  return result.value;
}

const summary = (url: string): string => {
  const v = verdict(url);
  return [v.verdict, v.reason].filter(Boolean).join(' ');
};

describe('a verified merchant domain below a registrable domain', () => {
  it.each([
    ['rn for m', 'https://rnall.example.com/'],
    ['digit for a letter', 'https://mall.examp1e.com/'],
    ['rn for m in the parent label', 'https://mall.exarnple.com/'],
    ['Cyrillic о in the suffix', 'https://mall.example.cоm/'],
    ['a host under a lookalike', 'https://www.rnall.example.com/'],
    ['the name under another suffix', 'https://mall.example.net/'],
    ['the name as labels of another domain', 'https://mall.example.com.evil.tld/'],
    ['the name as hyphenated words', 'https://mall-example.com/'],
    ['the name among other words', 'https://secure-mall-example-login.tld/'],
    ['a six-word name carried whole', 'https://a-b-c-d-e-example.tld/'],
  ])('%s: %s is a lookalike of it', (_kind, url) => {
    expect(verdict(url)).toMatchObject({ verdict: 'blocked', reason: 'lookalike' });
  });

  it('names the imitated merchant domain', () => {
    expect(verdict('https://rnall.example.com/').imitates).toBe('mall.example.com');
    expect(verdict('https://mall.example.cоm/').imitates).toBe('mall.example.com');
    expect(verdict('https://mall-example.com/').imitates).toBe('mall.example.com');
    expect(verdict('https://a.b.c.d.e.example.org.evil.tld/').imitates).toBe('a-b.c-d.e.example.org');
  });

  it.each(['https://mall.example.com/', 'https://www.mall.example.com/x', 'https://a-b.c-d.e.example.org/'])('keeps %s verified', (url) =>
    expect(summary(url)).toBe('verified'),
  );

  it.each([
    'https://example.com/',
    'https://blog.example.com/',
    'https://www.example.com/',
    'https://shop.example.com/',
    // Siblings one edit away belong to example.com's owner; typosquats are looked for around brand labels only.
    'https://mail.example.com/',
    'https://malls.example.com/',
    'https://mall.evil.tld/',
    'https://example-mall.com/',
    'https://e.example.org/',
    'https://c-d.e.example.org/',
  ])('leaves %s alone', (url) => expect(summary(url)).toBe('unverified'));
});

describe('scripts mixed in the public suffix', () => {
  it('blocks them like any other label that mixes scripts', () => {
    expect(verdict('https://example.cоm/')).toMatchObject({ verdict: 'blocked', reason: 'lookalike' });
    expect(verdict('https://example.cоm/').imitates).toBeUndefined();
  });
});

describe('brands of two characters', () => {
  it.each([
    'https://jd-secure.tld/',
    'https://jd-login.com/',
    'https://jd.evil.tld/',
    'https://jd-sports.com/',
    'https://www.jd.evil.tld/',
    'https://淘宝-secure.tld/',
    'https://淘宝.evil.tld/',
    'https://登录-淘宝.com/',
  ])('%s carries the brand as a word', (url) => expect(summary(url)).toBe('blocked lookalike'));

  // CJK names have no separators between words: a CJK brand is found inside a run of CJK characters.
  it.each(['https://淘宝网.com/', 'https://登录淘宝.com/'])('%s carries the CJK brand inside a CJK word', (url) =>
    expect(summary(url)).toBe('blocked lookalike'),
  );

  it('names the imitated domain', () => {
    expect(verdict('https://jd-login.com/').imitates).toBe('jd.com');
    expect(verdict('https://登录-淘宝.com/').imitates).toBe('xn--pbt173b.com');
  });

  it.each(['https://jdsports.com/', 'https://ajd.com/', 'https://ajd-shop.com/', 'https://jd2.com/'])(
    'leaves %s alone: the brand is not a whole word there',
    (url) => expect(summary(url)).toBe('unverified'),
  );

  it('counts a one-letter word of the host with the same skeleton only as a whole registrable label', () => {
    expect(summary('https://rn-login.tld/')).toBe('blocked lookalike');
    expect(summary('https://m.net/')).toBe('blocked lookalike');
    expect(summary('https://m.facebook.com/')).toBe('unverified');
    expect(summary('https://m-shop.tld/')).toBe('unverified');
  });

  it('does not look for typos of them', () => {
    expect(summary('https://jb.com/')).toBe('unverified');
    expect(summary('https://jdd.com/')).toBe('unverified');
  });
});

describe('brands of one character', () => {
  it.each(['https://x.net/', 'https://x.com.evil.tld/', 'https://x-com-login.tld/'])('%s is a lookalike: the whole label, or the brand with its suffix', (url) =>
    expect(summary(url)).toBe('blocked lookalike'),
  );

  it.each(['https://x-ray.com/', 'https://x.evil.tld/', 'https://pay-x.tld/', 'https://spacex.com/'])('leaves %s alone: one letter is too common a word', (url) =>
    expect(summary(url)).toBe('unverified'),
  );
});
