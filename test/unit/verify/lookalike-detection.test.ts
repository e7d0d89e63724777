/**
 * Rule 7 measured: the share of dnstwist-style permutations of verified brands that are
 * blocked as lookalikes, and unrelated real domains that must stay unverified.
 */
import { describe, expect, it } from 'vitest';
import { createVerdictEngine, type VerdictEngine } from '../../../server/verify/verdict-rules';
import { permutations, type PermutationKind } from './permutations';
import { UNRELATED_CJK_DOMAINS, UNRELATED_DOMAINS } from './unrelated-domains';

const BRANDS = ['taobao.com', 'alipay.com', 'jingdongmall.com', 'shop-brand.com', 'tmall.com', '淘宝网商城.com'];
const SHORT_BRAND = 'jd.com';

function engineFor(domains: readonly string[]): VerdictEngine {
  return createVerdictEngine({
    merchants: domains.map((domain, i) => ({ id: `m${i}`, name: domain, domains: [new URL(`https://${domain}/`).hostname], status: 'verified' })),
    blocked: [],
  });
}

const engine = engineFor([...BRANDS, SHORT_BRAND]);

function isLookalike(domain: string): boolean | 'unparsable' {
  const verdict = engine.verdict(`https://${domain}/`);
  if (!verdict.ok) return 'unparsable';
  return verdict.value.verdict === 'blocked' && verdict.value.reason === 'lookalike';
}

describe('lookalike detection over generated permutations', () => {
  for (const brand of BRANDS) {
    it(`blocks at least 99% of the permutations of ${brand}`, () => {
      const missed: string[] = [];
      const perKind = new Map<PermutationKind, { total: number; caught: number }>();
      let total = 0;
      for (const p of permutations(brand)) {
        const result = isLookalike(p.domain);
        if (result === 'unparsable') continue;
        total++;
        const kind = perKind.get(p.kind) ?? { total: 0, caught: 0 };
        kind.total++;
        if (result) kind.caught++;
        else missed.push(`${p.kind}:${p.domain}`);
        perKind.set(p.kind, kind);
      }
      const rate = (total - missed.length) / total;
      console.info(`${brand}: ${total - missed.length}/${total} = ${(rate * 100).toFixed(2)}%`, missed.length ? `missed ${missed.join(' ')}` : '');
      expect(total).toBeGreaterThan(100);
      expect(rate).toBeGreaterThanOrEqual(0.99);
    });
  }

  it('catches a short brand under other suffixes and carried with its suffix, not by typos', () => {
    expect(isLookalike('jd.net')).toBe(true);
    expect(isLookalike('jd.com.cn')).toBe(true);
    expect(isLookalike('jd-com-login.top')).toBe(true);
    expect(isLookalike('jd.com.secure-check.com')).toBe(true);
    expect(isLookalike('jb.com')).toBe(false);
  });

  it('blocks none of 200 unrelated real domains', () => {
    expect(UNRELATED_DOMAINS.length).toBeGreaterThanOrEqual(200);
    const flagged = UNRELATED_DOMAINS.filter((domain) => isLookalike(domain) !== false);
    expect(flagged).toEqual([]);
  });

  it('blocks none of the unrelated names in Han, kana and Hangul', () => {
    const flagged = UNRELATED_CJK_DOMAINS.filter((domain) => isLookalike(domain) !== false);
    expect(flagged).toEqual([]);
  });
});
