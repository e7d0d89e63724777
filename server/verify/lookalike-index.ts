/**
 * Rule 7 of PROTOCOL.md §4: hosts that imitate a verified merchant's domain. Each verified
 * registrable domain gives a brand: its label left of the public suffix (`taobao` of
 * `taobao.com`, `alice` of `alice.github.io`). A host imitates a brand when
 * - the confusable skeleton of its registrable label, or of that label joined to the label
 *   before it (`tao.bao.com`), is the brand's, whatever the suffix;
 * - one of those is one typo away from a brand of 5 characters or more (see `typo-edits`);
 * - any label, or hyphen-separated part of one, is a brand of 3 characters or more
 *   (`taobao.com.evil.tld`, `taobao-secure.tld`), or a shorter brand followed by its own suffix
 *   (`jd-com-login.tld`);
 * - or a label mixes scripts (the imitated domain is then named when one of the above finds it).
 * Lookups use a Map of skeletons and a deletion-neighbourhood multimap (SymSpell, distance 1),
 * so their cost does not grow with the number of merchants.
 */
import { domainToUnicode } from 'node:url';
import { domainParts } from './domain-name';
import { HashMultimap, hashSkipping } from './hash-multimap';
import { isMixedScript } from './mixed-script';
import { skeleton } from './skeleton';
import { isOneTypoAway } from './typo-edits';

export interface Imitation {
  /** The verified domain imitated, when one is known. */
  imitates?: string;
}

export interface LookalikeIndex {
  addVerified(merchantId: string, domains: readonly string[]): void;
  removeVerified(merchantId: string): void;
  check(host: string, registrableDomain: string): Imitation | null;
}

/** Typosquats are looked for only around brands this long (PROTOCOL.md §4). */
export const TYPO_BRAND_MIN = 5;
/** A brand this long is a lookalike wherever it stands as a word of a host. */
export const TOKEN_BRAND_MIN = 3;
const LABEL_MAX = 63;
/** Hyphenated brands are matched as runs of up to this many words. */
const WORDS_PER_BRAND_MAX = 4;

function toUnicodeLabel(label: string): string {
  if (!label.startsWith('xn--')) return label;
  const unicode = domainToUnicode(label);
  return unicode === '' ? label : unicode;
}

function codePointLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

interface Brand {
  raw: string;
  skeleton: string;
  domain: string;
  suffixLabels: readonly string[];
  alive: boolean;
}

export function createLookalikeIndex(): LookalikeIndex {
  const brands: Brand[] = [];
  const brandsByMerchant = new Map<string, number[]>();
  /** Brand skeleton → brand id, or ids when several verified domains share a skeleton. */
  const bySkeleton = new Map<string, number | number[]>();
  const typos = new HashMultimap();
  /** One array per public suffix rather than one per brand. */
  const suffixLabels = new Map<string, readonly string[]>();

  function suffixLabelsOf(suffix: string): readonly string[] {
    let labels = suffixLabels.get(suffix);
    if (!labels) {
      labels = suffix.split('.');
      suffixLabels.set(suffix, labels);
    }
    return labels;
  }

  function addSkeleton(key: string, id: number): void {
    const present = bySkeleton.get(key);
    if (present === undefined) bySkeleton.set(key, id);
    else if (typeof present === 'number') bySkeleton.set(key, [present, id]);
    else present.push(id);
  }

  function liveBySkeleton(key: string): number[] {
    const present = bySkeleton.get(key);
    if (present === undefined) return [];
    const ids = typeof present === 'number' ? [present] : present;
    return ids.filter((id) => brands[id]?.alive === true);
  }

  function addBrand(domain: string): number | null {
    const parts = domainParts(domain);
    // A merchant domain below a registrable domain (`shop.example.com`) names no brand of its own.
    if (parts.registrableDomain !== domain || parts.publicSuffix === null) return null;
    const label = domain.slice(0, domain.length - parts.publicSuffix.length - 1);
    const raw = toUnicodeLabel(label);
    const brand: Brand = { raw, skeleton: skeleton(raw), domain, suffixLabels: suffixLabelsOf(parts.publicSuffix), alive: true };
    const id = brands.length;
    brands.push(brand);
    addSkeleton(brand.skeleton, id);
    if (codePointLength(raw) >= TYPO_BRAND_MIN) {
      for (let skip = -1; skip < raw.length; skip++) typos.add(hashSkipping(raw, skip), id);
      if (brand.skeleton !== raw) {
        for (let skip = -1; skip < brand.skeleton.length; skip++) typos.add(hashSkipping(brand.skeleton, skip), id);
      }
    }
    return id;
  }

  /** A brand one typo away from the label, in its own form or in its skeleton. */
  function typoOf(label: string, labelSkeleton: string): number | null {
    let found: number | null = null;
    const matches = (id: number): boolean => {
      const brand = brands[id];
      if (!brand?.alive) return false;
      if (isOneTypoAway(label, brand.raw) || isOneTypoAway(labelSkeleton, brand.skeleton)) {
        found = id;
        return true;
      }
      return false;
    };
    const inForm = (form: string): boolean => {
      if (form.length < TYPO_BRAND_MIN - 1 || form.length > LABEL_MAX) return false;
      for (let skip = -1; skip < form.length; skip++) {
        if (typos.find(hashSkipping(form, skip), matches)) return true;
      }
      return false;
    };
    if (inForm(label) || (labelSkeleton !== label && inForm(labelSkeleton))) return found;
    return null;
  }

  /** A brand the whole label imitates: same skeleton, or one typo away. */
  function imitatedByLabel(label: string): number | null {
    const labelSkeleton = skeleton(label);
    const same = liveBySkeleton(labelSkeleton)[0];
    if (same !== undefined) return same;
    return typoOf(label, labelSkeleton);
  }

  /**
   * A brand carried as words (`taobao.com.evil.tld`, `taobao-secure.tld`, `jd-com-login.tld`,
   * `shop-brand-login.tld` for the hyphenated brand `shop-brand`).
   */
  function imitatedByWords(labels: readonly string[]): number | null {
    const words = labels.flatMap((label) => label.split('-')).filter((word) => word !== '');
    for (let i = 0; i < words.length; i++) {
      let phrase = '';
      for (let n = 0; n < WORDS_PER_BRAND_MAX && i + n < words.length; n++) {
        phrase = n === 0 ? (words[i] ?? '') : `${phrase}-${words[i + n] ?? ''}`;
        for (const id of liveBySkeleton(skeleton(phrase))) {
          const brand = brands[id];
          if (!brand) continue;
          if (codePointLength(brand.raw) >= TOKEN_BRAND_MIN) return id;
          if (brand.suffixLabels.every((suffixLabel, k) => words[i + n + 1 + k] === suffixLabel)) return id;
        }
      }
    }
    return null;
  }

  return {
    addVerified(merchantId, domains) {
      const ids: number[] = [];
      for (const domain of domains) {
        const id = addBrand(domain);
        if (id !== null) ids.push(id);
      }
      brandsByMerchant.set(merchantId, ids);
    },

    removeVerified(merchantId) {
      // Entries of a removed brand stay in the indexes and are skipped: `alive` is checked on every hit.
      for (const id of brandsByMerchant.get(merchantId) ?? []) {
        const brand = brands[id];
        if (brand) brand.alive = false;
      }
      brandsByMerchant.delete(merchantId);
    },

    check(host, registrableDomain) {
      const suffixLength = registrableDomain.length - registrableDomain.indexOf('.');
      const ownPart = host.slice(0, host.length - suffixLength);
      const labels = ownPart.split('.').map(toUnicodeLabel);
      const last = labels[labels.length - 1];
      if (last === undefined) return null;

      const before = labels[labels.length - 2];
      const found = imitatedByLabel(last) ?? (before === undefined ? null : imitatedByLabel(before + last)) ?? imitatedByWords(labels);
      const brand = found === null ? undefined : brands[found];
      if (brand) return { imitates: brand.domain };
      return labels.some(isMixedScript) ? {} : null;
    },
  };
}
