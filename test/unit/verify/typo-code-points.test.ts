/**
 * Rule 7's typosquats counted in characters: an outside audit found that with `𠮷野家商店.com`
 * verified (5 characters, 6 UTF-16 units: `𠮷` is outside the BMP), `野家商店.com` (𠮷 left out)
 * and `𠮷𠮷野家商店.com` (𠮷 repeated) were let through, because edits were counted, and
 * characters left out in the deletion index, by UTF-16 unit.
 */
import { describe, expect, it } from 'vitest';
import type { LinkVerdict } from '../../../protocol';
import { hashSkipping } from '../../../server/verify/hash-multimap';
import { isOneTypoAway } from '../../../server/verify/typo-edits';
import { createVerdictEngine } from '../../../server/verify/verdict-rules';

const hostOf = (domain: string): string => new URL(`https://${domain}/`).hostname;

/** Five characters, one of them outside the BMP. */
const FIVE = hostOf('𠮷野家商店.com');
/** Four characters in five UTF-16 units: too short for typosquats. */
const FOUR = hostOf('𠮷野家店.net');

const engine = createVerdictEngine({
  merchants: [
    { id: 'five', name: '𠮷野家商店', domains: [FIVE], status: 'verified' },
    { id: 'four', name: '𠮷野家店', domains: [FOUR], status: 'verified' },
    { id: 'emoji', name: 'Emoji', domains: [hostOf('ab😀cd.com')], status: 'verified' },
  ],
  blocked: [],
});

function verdict(url: string): LinkVerdict {
  const result = engine.verdict(url);
  if (!result.ok) throw new Error(`${url}: ${result.error.code}`);
  return result.value;
}

describe('typo edits of a brand with characters outside the BMP', () => {
  it.each([
    ['the astral character left out', 'https://野家商店.com/'],
    ['the astral character repeated', 'https://𠮷𠮷野家商店.com/'],
    ['another character left out', 'https://𠮷野商店.com/'],
    ['a character repeated', 'https://𠮷野家商店店.com/'],
    ['the astral character swapped with its neighbour', 'https://野𠮷家商店.com/'],
    ['two neighbours swapped', 'https://𠮷家野商店.com/'],
    ['an ASCII letter added', 'https://𠮷野家商店x.com/'],
  ])('%s: %s', (_kind, url) => {
    expect(verdict(url)).toMatchObject({ verdict: 'blocked', reason: 'lookalike', imitates: FIVE });
  });

  it('counts an emoji as one character of an ASCII brand', () => {
    expect(verdict('https://abcd.com/').imitates).toBe(hostOf('ab😀cd.com'));
    expect(verdict('https://ab😀😀cd.com/').imitates).toBe(hostOf('ab😀cd.com'));
  });

  it.each(['https://野家店.net/', 'https://𠮷家野店.net/', 'https://𠮸野家店.net/'])(
    'looks for no typos of a brand of 4 characters, however many UTF-16 units: %s',
    (url) => expect(verdict(url)).toMatchObject({ verdict: 'unverified' }),
  );
});

describe('isOneTypoAway', () => {
  it.each([
    ['野家商店', '𠮷野家商店'],
    ['𠮷𠮷野家商店', '𠮷野家商店'],
    ['野𠮷家商店', '𠮷野家商店'],
    ['𠮷野家商店店', '𠮷野家商店'],
  ])('%s is one edit from %s', (label, brand) => expect(isOneTypoAway(label, brand)).toBe(true));

  it.each([
    ['\ud842野家商店', '𠮷野家商店'],
    ['野家商', '𠮷野家商店'],
    ['𠮸野家商店', '𠮷野家商店'],
  ])('%s is not', (label, brand) => expect(isOneTypoAway(label, brand)).toBe(false));
});

describe('hashSkipping', () => {
  it('leaves out a whole character, both units of a surrogate pair', () => {
    expect(hashSkipping('𠮷野家', 0)).toBe(hashSkipping('野家', -1));
    expect(hashSkipping('野𠮷家', 1)).toBe(hashSkipping('野家', -1));
    expect(hashSkipping('野家𠮷', 2)).toBe(hashSkipping('野家', -1));
    expect(hashSkipping('野家𠮷', 3)).toBe(hashSkipping('野家𠮷', -1));
  });

  it('hashes BMP text as before', () => {
    expect(hashSkipping('taobao', 2)).toBe(hashSkipping('tabao', -1));
    expect(hashSkipping('taobao', 5)).toBe(hashSkipping('taoba', -1));
  });
});
