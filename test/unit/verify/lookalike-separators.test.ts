/**
 * Rule 7 for the two gaps an outside audit found: brands carried as words between characters
 * whose confusable skeleton is punctuation (`shopbrand‐secure.tld` with U+2010, read as
 * `shopbrand-secure.tld`), and hosts with no registrable domain (`shоpbrand`, one label), which
 * skipped rule 7 altogether.
 */
import { describe, expect, it } from 'vitest';
import type { LinkVerdict } from '../../../protocol';
import { createVerdictEngine, type VerdictEngine } from '../../../server/verify/verdict-rules';

const engine = createVerdictEngine({
  merchants: [
    { id: 'sb', name: 'ShopBrand', domains: ['shopbrand.com'], status: 'verified' },
    { id: 'jd', name: 'JD', domains: ['jd.com'], status: 'verified' },
    { id: 'x', name: 'X', domains: ['x.com'], status: 'verified' },
    { id: 'rn', name: 'RN', domains: ['rn.com'], status: 'verified' },
  ],
  blocked: [],
});

function verdictOf(url: string, on: VerdictEngine = engine): LinkVerdict {
  const result = on.verdict(url);
  if (!result.ok) throw new Error(`${url}: ${result.error.code}`);
  return result.value;
}

const summary = (url: string, on: VerdictEngine = engine): string => {
  const v = verdictOf(url, on);
  return [v.verdict, v.reason].filter(Boolean).join(' ');
};

/**
 * Characters whose skeleton (UTS #39, Unicode 10 data) is `-` and that the URL parser keeps as
 * they are (U+FE58 too has the skeleton `-`, but the parser turns it into U+2014 first).
 */
const HYPHENS = ['\u2010', '\u2011', '\u2012', '\u2013', '\u2043', '\u2212', '\u02d7', '\u2796'];

describe('words separated by characters whose skeleton is punctuation', () => {
  it.each(HYPHENS.map((h) => [`U+${(h.codePointAt(0) ?? 0).toString(16).toUpperCase()}`, h]))(
    '%s between the brand and a word is read as a hyphen',
    (_name, h) => {
      expect(verdictOf(`https://shopbrand${h}secure.tld/`)).toMatchObject({ verdict: 'blocked', reason: 'lookalike', imitates: 'shopbrand.com' });
      expect(verdictOf(`https://jd${h}secure.com/`)).toMatchObject({ verdict: 'blocked', reason: 'lookalike', imitates: 'jd.com' });
    },
  );

  it.each([
    'https://shopbrand\u2010com\u2010secure.tld/',
    'https://login.shopbrand\u2010secure.tld/',
    'https://secure\u2212shopbrand.tld/',
    'https://x\u2010com\u2010login.tld/',
    'https://rn\u2010login.tld/',
    'https://jd\u2010sports.tld/',
  ])('%s carries a brand as a word', (url) => expect(summary(url)).toBe('blocked lookalike'));

  it('reads a character whose skeleton is a dot as a label break', () => {
    // U+1D16D is of the Common script: no script is mixed, only the skeleton tells.
    expect(verdictOf('https://shopbrand\u{1d16d}com.tld/')).toMatchObject({ verdict: 'blocked', reason: 'lookalike', imitates: 'shopbrand.com' });
    expect(verdictOf('https://shopbrand\u06f0com.tld/')).toMatchObject({ verdict: 'blocked', reason: 'lookalike', imitates: 'shopbrand.com' });
  });

  it('keeps the rules for one-letter words and whole words', () => {
    // `m` has the skeleton `rn`, yet a one-letter word of the host is too common to count.
    expect(summary('https://m\u2010shop.tld/')).toBe('unverified');
    expect(summary('https://x\u2010ray.tld/')).toBe('unverified');
    expect(summary('https://ajd\u2010shop.tld/')).toBe('unverified');
    expect(summary('https://shopbrands\u2010secure.tld/')).toBe('unverified');
  });
});

describe('hosts with no registrable domain', () => {
  it.each([
    ['a label mixing Latin and Cyrillic', 'https://shоpbrand/', 'shopbrand.com'],
    ['the brand alone as the host', 'https://shopbrand/', 'shopbrand.com'],
    ['a typo of the brand', 'https://shopbrnad/', 'shopbrand.com'],
    ['the skeleton of a verified domain (Latin and Arabic)', 'https://shopbrand\u06f0com/', 'shopbrand.com'],
    ['the skeleton of a verified domain (Common script)', 'https://shopbrand\u{1d16d}com/', 'shopbrand.com'],
    ['a one-letter brand with its suffix', 'https://x\u06f0com/', 'x.com'],
    ['a brand carried as a word', 'https://shopbrand\u2010secure/', 'shopbrand.com'],
  ])('%s: %s imitates %s', (_kind, url, imitated) => {
    expect(verdictOf(url)).toMatchObject({ verdict: 'blocked', reason: 'lookalike', imitates: imitated });
  });

  it('blocks a label mixing scripts even without a brand', () => {
    const v = verdictOf('https://hellо/');
    expect(v).toMatchObject({ verdict: 'blocked', reason: 'lookalike', host: 'xn--hell-85d', registrableDomain: 'xn--hell-85d' });
    expect(v.imitates).toBeUndefined();
  });

  it('reports the host as the registrable domain, as before', () => {
    expect(verdictOf('https://shopbrand\u06f0com/')).toMatchObject({ host: 'xn--shopbrandcom-nrr', registrableDomain: 'xn--shopbrandcom-nrr' });
    expect(verdictOf('https://shopbrand/')).toMatchObject({ host: 'shopbrand', registrableDomain: 'shopbrand' });
  });

  it.each(['http://localhost:3000/', 'https://intranet/', 'https://github.io/', 'https://co.uk/', 'https://com/', 'https://./', 'https://日本語/'])(
    'leaves %s alone',
    (url) => expect(summary(url)).toBe('unverified'),
  );

  it('takes the first label of a public suffix as its registrable label, the rest as its suffix', () => {
    const local = createVerdictEngine({
      merchants: [
        { id: 'aws', name: 'AWS', domains: ['amazonaws.com'], status: 'verified' },
        { id: 's3', name: 'S3', domains: ['s3.com'], status: 'verified' },
        { id: 'gh', name: 'GitHub', domains: ['github.com'], status: 'verified' },
      ],
      blocked: [],
    });
    // `s3.amazonaws.com` is under amazonaws.com and does not imitate it; its first label is s3's brand, though.
    expect(verdictOf('https://s3.amazonaws.com/', local)).toMatchObject({ verdict: 'blocked', reason: 'lookalike', imitates: 's3.com' });
    expect(verdictOf('https://github.io/', local)).toMatchObject({ verdict: 'blocked', reason: 'lookalike', imitates: 'github.com' });
    expect(summary('https://co.uk/', local)).toBe('unverified');
  });

  it('still gives rules 2, 3, 5 and 6 their turn first', () => {
    const local = createVerdictEngine({
      merchants: [
        { id: 's3', name: 'S3', domains: ['s3.com'], status: 'verified' },
        { id: 'aws', name: 'AWS', domains: ['amazonaws.com'], status: 'pending' },
      ],
      blocked: [],
    });
    expect(summary('https://user@shоpbrand/')).toBe('blocked deceptive_url');
    expect(summary('http://2130706433/')).toBe('unverified ip_host');
    expect(summary('https://s3.amazonaws.com/', local)).toBe('unverified pending');
    local.putMerchant({ id: 'aws', name: 'AWS', domains: ['amazonaws.com'], status: 'suspended' });
    expect(summary('https://s3.amazonaws.com/', local)).toBe('blocked suspended');
    local.addBlocked('amazonaws.com');
    expect(summary('https://s3.amazonaws.com/', local)).toBe('blocked phishing');
  });
});
