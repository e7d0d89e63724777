/**
 * Rule 7's "a verified brand's name carried by some other registrable domain" for brands of
 * many words: an outside audit found a brand of 9 hyphenated words not found when carried
 * (`…-for-less.com.attacker.tld`), because runs of at most 8 words were looked up. Any brand
 * a host name can hold is now found: 32 words in one 63-character label, more below a
 * registrable domain.
 */
import { describe, expect, it } from 'vitest';
import type { LinkVerdict } from '../../../protocol';
import { createVerdictEngine } from '../../../server/verify/verdict-rules';

const NINE_WORDS = 'buy-cheap-phone-cases-and-chargers-online-for-less';
/** The most words one label can hold: 32 one-letter words in 63 characters. */
const LABEL_OF_32_WORDS = Array.from({ length: 32 }, (_, i) => String.fromCharCode(97 + (i % 26))).join('-');
/** A merchant domain below a registrable domain, of 60 labels: 60 words as a brand. */
const DEEP_LABELS = Array.from({ length: 59 }, (_, i) => `w${i}`).join('.');
const DEEP_DOMAIN = `${DEEP_LABELS}.example.org`;

const engine = createVerdictEngine({
  merchants: [
    { id: 'nine', name: 'Nine words', domains: [`${NINE_WORDS}.com`], status: 'verified' },
    { id: 'label', name: 'Full label', domains: [`${LABEL_OF_32_WORDS}.com`], status: 'verified' },
    { id: 'deep', name: 'Deep', domains: [DEEP_DOMAIN], status: 'verified' },
    { id: 'shop', name: 'Shop', domains: ['shop.com'], status: 'verified' },
  ],
  blocked: [],
});

function verdict(url: string): LinkVerdict {
  const result = engine.verdict(url);
  if (!result.ok) throw new Error(`${url}: ${result.error.code}`);
  return result.value;
}

describe('brands of more than 8 words carried by another domain', () => {
  it.each([
    `https://${NINE_WORDS}.com.attacker.tld/`,
    `https://${NINE_WORDS}-secure.tld/`,
    `https://secure-${NINE_WORDS}.tld/`,
    `https://login.${NINE_WORDS}.evil.tld/`,
    `https://${NINE_WORDS.replaceAll('-', '_')}.evil.tld/`,
  ])('%s imitates the 9-word brand', (url) => {
    expect(verdict(url)).toMatchObject({ verdict: 'blocked', reason: 'lookalike', imitates: `${NINE_WORDS}.com` });
  });

  it('finds a brand of 32 words, a whole label, carried', () => {
    expect(verdict(`https://${LABEL_OF_32_WORDS}.com.evil.tld/`).imitates).toBe(`${LABEL_OF_32_WORDS}.com`);
    expect(verdict(`https://x.${LABEL_OF_32_WORDS}.evil.tld/`).imitates).toBe(`${LABEL_OF_32_WORDS}.com`);
  });

  it('finds a brand of 61 words below a registrable domain, carried', () => {
    expect(DEEP_DOMAIN.split('.').length).toBe(61);
    expect(verdict(`https://${DEEP_DOMAIN}.evil.tld/`).imitates).toBe(DEEP_DOMAIN);
    expect(verdict(`https://${DEEP_LABELS.replaceAll('.', '-')}-example.tld/`).imitates).toBe(DEEP_DOMAIN);
  });

  it('finds the brand after words that begin it again and again', () => {
    const restarts = 'buy-cheap-phone-buy-cheap-buy-buy-cheap-phone-cases-and-chargers-online-for';
    expect(verdict(`https://${restarts}-${NINE_WORDS}.tld/`).imitates).toBe(`${NINE_WORDS}.com`);
  });

  it.each([
    'https://buy-cheap-phone-cases-and-chargers-online-for.tld/',
    'https://cheap-phone-cases-and-chargers-online-for-less.tld/',
    'https://buy-cheap-phone-cases-and-chargers-online-for-more.com/',
  ])('leaves %s alone: not all of the words', (url) => expect(verdict(url)).toMatchObject({ verdict: 'unverified' }));

  it('keeps finding brands of one word among as many words as a host holds', () => {
    const label = Array.from({ length: 31 }, () => 'a').join('-');
    const host = `${label}.${label}.${label}.${label.slice(4)}-shop.tld`;
    expect(host.length).toBeLessThanOrEqual(253);
    expect(verdict(`https://${host}/`).imitates).toBe('shop.com');
  });
});
