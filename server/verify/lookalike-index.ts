/**
 * Rule 7 of PROTOCOL.md §4: hosts that imitate a verified merchant's domain. Each verified
 * domain gives a brand: its labels left of the public suffix, as one hyphenated name when
 * there are several (`taobao` of `taobao.com`, `alice` of `alice.github.io`, `mall-example` of
 * `mall.example.com`). A host imitates a brand when
 * - the confusable skeleton of its registrable label is the brand's, whatever the suffix, or
 *   that of the label joined to the label before it (`tao.bao.com`) for a brand of 5
 *   characters or more (a split by a dot is a typo);
 * - one of those is one typo away from a one-label brand of 5 characters or more (see `typo-edits`);
 * - a run of its words (labels and their parts between hyphens, underscores, other ASCII
 *   punctuation, dashes and what reads as such, see `host-words`), however many, has the
 *   skeleton of a brand of 2 characters or more (`taobao.com.evil.tld`, `jd-secure.tld`,
 *   `jd‐secure.tld` with U+2010, `paypal—secure.tld` with U+2014, `rnall.example.com`,
 *   `mall-example.com`), or of a one-character brand followed by its own suffix
 *   (`x-com-login.tld`, `x۰com` whose skeleton is `x.com`);
 * - a brand written in CJK characters, 2 or more, stands anywhere in a run of CJK characters
 *   (`登录淘宝.com`; see `cjk-brands`);
 * - or a label mixes scripts (the imitated domain is then named when one of the above finds it).
 * Lookups use a Map of skeletons, a deletion-neighbourhood multimap (SymSpell, distance 1) and
 * a multimap of the hashed word sequences of brands of several words, so their cost does not
 * grow with the number of merchants.
 */
import { domainToUnicode } from 'node:url';
import { domainParts } from './domain-name';
import { CjkBrandIndex } from './cjk-brands';
import { HashMultimap, hashSkipping, PHRASE_START, phraseHash, phraseStep } from './hash-multimap';
import { wordsOf } from './host-words';
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
  /**
   * `registrableDomain` is the one the verdict reports: for a host the PSL gives none (a bare
   * suffix, one label) it is the host itself, whose first label is then taken as the
   * registrable label and the rest, if any, as its suffix.
   */
  check(host: string, registrableDomain: string): Imitation | null;
}

/** Typosquats are looked for only around brands this long (PROTOCOL.md §4). */
export const TYPO_BRAND_MIN = 5;
/**
 * A brand this long is a lookalike wherever it stands as whole words of a host. Two, because
 * Chinese brands are often two characters (`淘宝`); a single letter is too common a word
 * (`x-ray`, `e-shop`, `t-mobile`) for a one-letter brand to count anywhere but as a whole
 * registrable label or followed by its own suffix.
 */
export const TOKEN_BRAND_MIN = 2;
const LABEL_MAX = 63;
/** What `phrases` holds for a sequence of words: the words of a brand go on past it, or end with it. */
const PHRASE_GOES_ON = 0;
const PHRASE_ENDS = 1;

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
  /**
   * The word sequences of brands of two words or more, hashed, each prefix marked as going on
   * or ending a brand. A query extends a run of its words only while it is the start of some
   * brand's words: a brand of any length (a label holds 32 words, a host 127) is found, and a
   * host costs about one lookup per word, not one per word and brand length.
   */
  const phrases = new HashMultimap();
  const cjkBrands = new CjkBrandIndex(TOKEN_BRAND_MIN);
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
    if (parts.registrableDomain === null || parts.publicSuffix === null) return null;
    const labels = domain.slice(0, domain.length - parts.publicSuffix.length - 1).split('.').map(toUnicodeLabel);
    const words = wordsOf(labels);
    // Below a registrable domain (`mall.example.com`) the brand is every label, `mall-example`:
    // the parent's label alone would brand hosts of the parent's (`blog.example.com`) that no
    // merchant owns. As words it is found carried elsewhere and with its skeleton under any suffix.
    const oneLabel = labels.length === 1 ? labels[0] : undefined;
    const raw = oneLabel ?? words.join('-');
    if (raw === '') return null;
    const brand: Brand = { raw, skeleton: skeleton(raw), domain, suffixLabels: suffixLabelsOf(parts.publicSuffix), alive: true };
    const id = brands.length;
    brands.push(brand);
    addSkeleton(brand.skeleton, id);
    addWords(words.map(skeleton), brand, id);
    cjkBrands.add(raw, id);
    // Typosquats are of a brand label (PROTOCOL.md §4). One edit from `mall-example` is mostly
    // a sibling under example.com (`malls.`, `mail.`), which is example.com's own to name.
    if (oneLabel !== undefined && codePointLength(raw) >= TYPO_BRAND_MIN) {
      addDeletions(raw, id);
      if (brand.skeleton !== raw) addDeletions(brand.skeleton, id);
    }
    return id;
  }

  /** The brand and every form of it with one character (code point) left out. */
  function addDeletions(form: string, id: number): void {
    const length = codePointLength(form);
    for (let skip = -1; skip < length; skip++) typos.add(hashSkipping(form, skip), id);
  }

  /**
   * How a host's words find the brand: by the skeletons of its words joined with hyphens, which
   * is its skeleton unless it holds separators other than single hyphens (`foo—bar`, `a--b`),
   * and, for several words, through `phrases`.
   */
  function addWords(wordKeys: readonly string[], brand: Brand, id: number): void {
    const key = wordKeys.join('-');
    if (key !== '' && key !== brand.skeleton) addSkeleton(key, id);
    if (wordKeys.length < 2) return;
    let state = PHRASE_START;
    wordKeys.forEach((wordKey, i) => {
      state = phraseStep(state, wordKey);
      phrases.add(phraseHash(state), i === wordKeys.length - 1 ? PHRASE_ENDS : PHRASE_GOES_ON);
    });
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
      const length = codePointLength(form);
      if (length < TYPO_BRAND_MIN - 1 || length > LABEL_MAX) return false;
      for (let skip = -1; skip < length; skip++) {
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
   * A brand label split by a dot (`tao.bao.com`, `sh.op-brand.tld`): a typosquat, so only of
   * brands of TYPO_BRAND_MIN characters or more (PROTOCOL.md §4 rule 7); `s.hop.com` is a
   * name of `hop.com`, not an imitation of `shop.com`.
   */
  function imitatedBySplitLabel(joined: string): number | null {
    const found = imitatedByLabel(joined);
    const brand = found === null ? undefined : brands[found];
    return brand !== undefined && codePointLength(brand.raw) >= TYPO_BRAND_MIN ? found : null;
  }

  /**
   * A brand carried as whole words (`taobao.com.evil.tld`, `jd-secure.tld`, `x-com-login.tld`,
   * `shop-brand-login.tld` for the hyphenated brand `shop-brand`, `www.rnall.example.com` for
   * `mall.example.com`). Whole words only, so `jd` is not found in `jdsports.com` or `ajd.com`.
   */
  function imitatedByWords(labels: readonly string[]): number | null {
    const words = wordsOf(labels);
    const keys = words.map(skeleton);
    for (let first = 0; first < words.length; first++) {
      let state = PHRASE_START;
      for (let last = first; last < words.length; last++) {
        state = phraseStep(state, keys[last] ?? '');
        const hash = phraseHash(state);
        if (last === first || phrases.has(hash, PHRASE_ENDS)) {
          const found = brandOfWords(words, keys, first, last);
          if (found !== null) return found;
        }
        if (!phrases.has(hash, PHRASE_GOES_ON)) break;
      }
    }
    return null;
  }

  /** A brand whose skeleton words `first` to `last` have, if they may stand for it. */
  function brandOfWords(words: readonly string[], keys: readonly string[], first: number, last: number): number | null {
    const key = last === first ? (keys[first] ?? '') : keys.slice(first, last + 1).join('-');
    // Both sides: a one-letter word is as common on the host's side (`m.` has the skeleton of `rn`).
    const longEnough = last > first || codePointLength(words[first] ?? '') >= TOKEN_BRAND_MIN;
    for (const id of liveBySkeleton(key)) {
      const brand = brands[id];
      if (!brand) continue;
      if (longEnough && codePointLength(brand.raw) >= TOKEN_BRAND_MIN) return id;
      if (brand.suffixLabels.every((suffixLabel, k) => words[last + 1 + k] === suffixLabel)) return id;
    }
    return null;
  }

  /** A CJK brand inside a run of CJK characters (`登录淘宝.com`). */
  function imitatedInCjkRuns(labels: readonly string[]): number | null {
    return cjkBrands.find(labels, (id) => brands[id]?.alive === true);
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
      // Counted with its leading dot; a registrable domain of one label has no suffix at all.
      const firstDot = registrableDomain.indexOf('.');
      const suffixLength = firstDot < 0 ? 0 : registrableDomain.length - firstDot;
      const ownPart = host.slice(0, host.length - suffixLength);
      const labels = ownPart.split('.').map(toUnicodeLabel);
      const last = labels[labels.length - 1];
      if (last === undefined) return null;

      const before = labels[labels.length - 2];
      const found =
        imitatedByLabel(last) ??
        (before === undefined ? null : imitatedBySplitLabel(before + last)) ??
        imitatedByWords(labels) ??
        imitatedInCjkRuns(labels);
      const brand = found === null ? undefined : brands[found];
      if (brand) return { imitates: brand.domain };
      // The suffix's labels too: in `example.cоm` (a Cyrillic о) the unknown last label is the suffix.
      const suffix = suffixLength === 0 ? [] : host.slice(host.length - suffixLength + 1).split('.').map(toUnicodeLabel);
      return labels.some(isMixedScript) || suffix.some(isMixedScript) ? {} : null;
    },
  };
}
